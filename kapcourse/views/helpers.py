"""Small helpers shared by views."""
from __future__ import annotations

from urllib.parse import urlsplit

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
