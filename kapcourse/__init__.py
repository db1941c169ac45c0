"""kapcourse: teach and assess clinicians; create_app builds the Flask application."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from .config import CONFIGS, PROJECT_ROOT, _database_url, load_secret_key


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI and error pages."""
    config = dict(config or {})
    app = Flask(
        __name__,
        instance_path=config.pop("INSTANCE_PATH", None),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    env = os.environ.get("KAPCOURSE_ENV", "development")
    app.config.from_object(CONFIGS.get(env, CONFIGS["development"]))
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app.instance_path)
    app.config.from_prefixed_env("KAPCOURSE")
    app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)

    from . import extensions, security, templating
    from .cli import register_cli
    from .database import init_database
    from .views import register_blueprints

    init_database(app)
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    register_blueprints(app)
    register_cli(app)
    return app
