"""Accounts: registration, login with throttling, profile, password reset, administrators."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AuditEvent, Role, User
from ..models.base import utcnow
from . import ratelimit

RESET_MAX_AGE_SECONDS = 24 * 3600


class AccountError(Exception):
    """A use case refused; the message is safe to show to the user."""


@dataclass(frozen=True)
class Profile:
    """The details printed on certificates."""

    full_name: str
    credentials: str = ""
    profession: str = ""
    licence_number: str = ""


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding space."""
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    """The user with this email, or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register(email: str, password: str, profile: Profile, role: Role = Role.LEARNER) -> User:
    """Create an account; raise AccountError when the email is taken."""
    if find_by_email(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(email=normalise_email(email), password_hash=generate_password_hash(password), role=role)
    _apply_profile(user, profile)
    db.session.add(user)
    db.session.flush()
    db.session.add(AuditEvent(actor_id=user.id, action="account.registered", subject=f"user:{user.id}"))
    db.session.commit()
    return user


def authenticate(email: str, password: str, client_ip: str) -> User:
    """Check credentials, throttled per account and per address; raise AccountError on failure."""
    config = current_app.config
    limit, window = config["LOGIN_RATE_LIMIT"], config["LOGIN_RATE_WINDOW_SECONDS"]
    keys = (f"login:account:{normalise_email(email)}", f"login:ip:{client_ip}")
    if any(ratelimit.is_limited(key, limit, window) for key in keys):
        raise AccountError("Too many failed attempts. Please wait a few minutes and try again.")
    user = find_by_email(email)
    if user is None or not user.password_hash or not check_password_hash(user.password_hash, password):
        for key in keys:
            ratelimit.hit(key, limit, window)
        raise AccountError("Email or password is incorrect.")
    ratelimit.reset(keys[0])
    return user


def update_profile(user: User, profile: Profile) -> User:
    """Save the certificate details of a user."""
    _apply_profile(user, profile)
    db.session.commit()
    return user


def _apply_profile(user: User, profile: Profile) -> None:
    user.full_name = profile.full_name.strip()
    user.credentials = profile.credentials.strip()
    user.profession = profile.profession.strip()
    user.licence_number = profile.licence_number.strip()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    """A signed token that resets this user's password once (it dies when the password changes)."""
    return _serializer().dumps({"uid": user.id, "pw": user.password_changed_at.timestamp()})


def user_for_reset_token(token: str) -> User:
    """The user a valid, unused reset token belongs to; raise AccountError otherwise."""
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise AccountError("This reset link has expired. Ask an administrator for a new one.") from None
    except BadSignature:
        raise AccountError("This reset link is not valid.") from None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.password_changed_at.timestamp() != data.get("pw"):
        raise AccountError("This reset link has already been used.")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset token; the token cannot be used again."""
    user = user_for_reset_token(token)
    user.password_hash = generate_password_hash(new_password)
    user.password_changed_at = utcnow()
    db.session.add(AuditEvent(actor_id=user.id, action="account.password_reset", subject=f"user:{user.id}"))
    db.session.commit()
    return user


def create_admin(email: str, password: str, full_name: str) -> User:
    """Create an administrator, or promote an existing account to administrator."""
    user = find_by_email(email)
    if user is None:
        return register(email, password, Profile(full_name=full_name), role=Role.ADMIN)
    user.role = Role.ADMIN
    db.session.add(AuditEvent(action="account.promoted_admin", subject=f"user:{user.id}"))
    db.session.commit()
    return user


def count_users() -> int:
    """How many accounts exist."""
    return db.session.scalar(select(func.count(User.id))) or 0
