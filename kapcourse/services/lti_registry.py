"""Platform registrations and the tool's own key pairs (rotation with overlap)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..lti.keys import generate_private_pem, public_jwk
from ..models.lti import LtiDeployment, LtiRegistration, LtiToolKey

NEXT, CURRENT, PREVIOUS = "next", "current", "previous"


class RegistrationError(ValueError):
    """A registration request that cannot be stored (duplicate, bad URL)."""


@dataclass(frozen=True)
class PlatformFields:
    """What an administrator types (or dynamic registration reads) for one platform."""

    issuer: str
    client_id: str
    auth_login_url: str
    token_url: str
    jwks_url: str
    name: str = ""
    token_audience: str = ""


def http_session() -> requests.Session:
    """The HTTP session for platform calls; tests route it to in-process WSGI apps."""
    factory = current_app.config.get("LTI_HTTP_SESSION_FACTORY") or requests.Session
    return factory()


def _check_url(url: str, field: str) -> None:
    parts = urlsplit(url)
    allowed = ("https",) if not current_app.config.get("LTI_ALLOW_HTTP") else ("https", "http")
    if parts.scheme not in allowed or not parts.hostname:
        raise RegistrationError(f"{field} must be an https URL")


def add_platform(fields: PlatformFields, deployment_ids: list[str]) -> LtiRegistration:
    """Store a registration with its deployments; (issuer, client_id) must be new."""
    for name in ("issuer", "auth_login_url", "token_url", "jwks_url"):
        _check_url(getattr(fields, name), name)
    if not fields.client_id.strip():
        raise RegistrationError("client_id is required")
    if find_registration(fields.issuer, fields.client_id) is not None:
        raise RegistrationError("this issuer and client_id are already registered")
    registration = LtiRegistration(**fields.__dict__)
    registration.deployments = [LtiDeployment(deployment_id=d) for d in _clean(deployment_ids)]
    db.session.add(registration)
    db.session.commit()
    return registration


def add_deployment(registration: LtiRegistration, deployment_id: str) -> None:
    """Add one deployment id to a registration (idempotent)."""
    if deployment_id and deployment_id not in registration.deployment_ids:
        registration.deployments.append(LtiDeployment(deployment_id=deployment_id))
    db.session.commit()


def _clean(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def find_registration(issuer: str, client_id: str | None) -> LtiRegistration | None:
    """The active registration for (issuer, client_id); without client_id only if unambiguous."""
    query = select(LtiRegistration).where(LtiRegistration.issuer == issuer,
                                          LtiRegistration.active.is_(True))
    if client_id:
        return db.session.scalar(query.where(LtiRegistration.client_id == client_id))
    found = db.session.scalars(query.limit(2)).all()
    return found[0] if len(found) == 1 else None


def registration_by_id(registration_id: int) -> LtiRegistration | None:
    """One registration by its id, or None."""
    return db.session.get(LtiRegistration, registration_id)


def list_registrations() -> list[LtiRegistration]:
    """Every registration, newest first."""
    return list(db.session.scalars(select(LtiRegistration).order_by(LtiRegistration.id.desc())))


def platform_origins() -> list[str]:
    """scheme://host of every active registration's login URL, for CSP frame-ancestors."""
    urls = db.session.scalars(select(LtiRegistration.auth_login_url)
                              .where(LtiRegistration.active.is_(True)))
    origins = {f"{p.scheme}://{p.netloc}" for p in map(urlsplit, urls) if p.netloc}
    return sorted(origins)


def _new_key(status: str) -> LtiToolKey:
    pem = generate_private_pem()
    return LtiToolKey(kid=public_jwk(pem)["kid"], private_pem=pem, status=status)


def _keys(status: str) -> list[LtiToolKey]:
    return list(db.session.scalars(select(LtiToolKey).where(LtiToolKey.status == status)))


def ensure_tool_keys() -> None:
    """Create the current and next key pairs when missing (first start)."""
    added = False
    for status in (CURRENT, NEXT):
        if not _keys(status):
            db.session.add(_new_key(status))
            added = True
    if added:
        db.session.commit()


def rotate_key() -> str:
    """next becomes current, current becomes previous (still published), a fresh next is made."""
    ensure_tool_keys()
    for key in _keys(PREVIOUS):
        db.session.delete(key)
    for key in _keys(CURRENT):
        key.status = PREVIOUS
    for key in _keys(NEXT):
        key.status = CURRENT
        kid = key.kid
    db.session.flush()
    db.session.add(_new_key(NEXT))
    db.session.commit()
    return kid


def signing_key() -> tuple[str, str]:
    """(private PEM, kid) of the current key."""
    ensure_tool_keys()
    key = _keys(CURRENT)[0]
    return key.private_pem, key.kid


def tool_jwks() -> dict[str, Any]:
    """The public key set: current, next and (during the overlap) previous keys."""
    ensure_tool_keys()
    order = {CURRENT: 0, NEXT: 1, PREVIOUS: 2}
    keys = sorted(db.session.scalars(select(LtiToolKey)), key=lambda k: order.get(k.status, 3))
    return {"keys": [public_jwk(k.private_pem) for k in keys]}
