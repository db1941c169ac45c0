"""Small helpers shared by views."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required

from ..services.accounts import Profile


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths may be redirect targets (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def profile_from(form) -> Profile:
    """The certificate details from a form with the profile fields."""
    return Profile(
        full_name=form.full_name.data or "",
        credentials=form.credentials.data or "",
        profession=form.profession.data or "",
        licence_number=form.licence_number.data or "",
    )


def role_required(attribute: str):
    """A view decorator: log in first, then 403 unless the user's `attribute` (is_admin, is_author) holds."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not getattr(current_user, attribute):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator


admin_required = role_required("is_admin")
author_required = role_required("is_author")
