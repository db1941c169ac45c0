"""Configuration classes; values come from the environment or the instance folder."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _database_url(instance_path: str) -> str:
    """Return the database URL: DATABASE_URL if set, else SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "kapcourse.db")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    # O_EXCL so two processes starting at once cannot overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class BaseConfig:
    """Settings shared by every environment."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None  # a long quiz must not lose its answers to an expired token
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    CONTENT_ROOT = str(PROJECT_ROOT)
    # Who may frame the app (LMS hosts); "'self'" alone forbids other sites.
    FRAME_ANCESTORS = os.environ.get("KAPCOURSE_FRAME_ANCESTORS", "'self'")
    # Login throttling: attempts per window, per account and per client address.
    LOGIN_RATE_LIMIT = 5
    LOGIN_RATE_WINDOW_SECONDS = 300
    VERIFY_RATE_LIMIT = 30
    VERIFY_RATE_WINDOW_SECONDS = 60
    # Crisis resources shown on suicide-related pages; a deployment may replace them.
    CRISIS_RESOURCES = [
        {"region": "United States", "text": "Call or text 988 (988 Suicide & Crisis Lifeline)"},
        {"region": "Canada", "text": "Call or text 9-8-8 (Suicide Crisis Helpline)"},
    ]
    # The deploying organisation's own statements; empty means no claim is made.
    ORGANISATION_NAME = os.environ.get("KAPCOURSE_ORGANISATION", "kapcourse")
    PUBLIC_BASE_URL = os.environ.get("KAPCOURSE_PUBLIC_URL", "")


class DevelopmentConfig(BaseConfig):
    """Local development: `make run`."""


class ProductionConfig(BaseConfig):
    """Behind HTTPS: secure, partitioned cookies so the app works inside an LMS iframe."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "None"
    SESSION_COOKIE_PARTITIONED = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(BaseConfig):
    """Tests pass their own database URI; CSRF stays on unless a test turns it off."""

    TESTING = True


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}
