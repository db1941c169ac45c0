"""Turn a validated launch into a kapcourse user and a recorded launch (role, service endpoints)."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..lti import claims as c
from ..lti.client import same_host
from ..lti.roles import context_role
from ..models.lti import LtiIdentity, LtiLaunch, LtiRegistration
from ..models.user import User

log = logging.getLogger("kapcourse.lti")


def registration_urls(registration: LtiRegistration) -> list[str]:
    """URLs whose hosts count as the platform's own for service calls."""
    return [registration.issuer, registration.auth_login_url, registration.token_url,
            registration.jwks_url]


def _display_name(payload: dict[str, Any]) -> str:
    name = payload.get("name") or " ".join(
        str(payload.get(k, "")) for k in ("given_name", "family_name")).strip()
    return str(name)[:200]


def _email_if_free(payload: dict[str, Any], user: User | None) -> str | None:
    """Claimed email, unless another account owns it: never merge accounts on an email claim."""
    email = payload.get("email")
    if not isinstance(email, str) or "@" not in email:
        return user.email if user else None
    owner = db.session.scalar(select(User).where(User.email == email.lower()))
    return email.lower() if owner is None or owner is user else (user.email if user else None)


def _identity(registration: LtiRegistration, payload: dict[str, Any]) -> LtiIdentity:
    deployment = payload[c.DEPLOYMENT_ID]
    identity = db.session.scalar(select(LtiIdentity).where(
        LtiIdentity.registration_id == registration.id,
        LtiIdentity.deployment_id == deployment, LtiIdentity.sub == str(payload["sub"])))
    if identity is None:
        user = User(full_name=_display_name(payload), email=_email_if_free(payload, None))
        db.session.add(user)
        db.session.flush()
        identity = LtiIdentity(registration_id=registration.id, deployment_id=deployment,
                               sub=str(payload["sub"]), user_id=user.id)
        db.session.add(identity)
    else:
        user = db.session.get(User, identity.user_id)
        if _display_name(payload) and not user.full_name:
            user.full_name = _display_name(payload)
        user.email = _email_if_free(payload, user)
    return identity


def _service_url(registration: LtiRegistration, url: Any, what: str) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    if not same_host(url, registration_urls(registration)):
        log.warning("lti launch: %s on a foreign host refused (registration %s)",
                    what, registration.id)
        return None
    return url


def _record(identity: LtiIdentity, registration: LtiRegistration, payload: dict[str, Any],
            role: str, now: datetime) -> LtiLaunch | None:
    link = payload.get(c.RESOURCE_LINK) or {}
    if not link.get("id"):
        return None
    launch = db.session.scalar(select(LtiLaunch).where(
        LtiLaunch.identity_id == identity.id, LtiLaunch.resource_link_id == str(link["id"])))
    if launch is None:
        launch = LtiLaunch(identity_id=identity.id, user_id=identity.user_id,
                           registration_id=registration.id, resource_link_id=str(link["id"]))
        db.session.add(launch)
    context, custom = payload.get(c.CONTEXT) or {}, payload.get(c.CUSTOM) or {}
    ags, nrps = payload.get(c.AGS_ENDPOINT) or {}, payload.get(c.NRPS) or {}
    launch.context_id = str(context.get("id", ""))[:255]
    launch.context_title = str(context.get("title", ""))[:300]
    # Custom parameters choose content (set by deep linking); they never grant a role.
    launch.module_slug = str(custom.get("kapcourse_module", ""))[:64]
    launch.role = role
    launch.lineitem_url = _service_url(registration, ags.get("lineitem"), "lineitem")
    launch.ags_scopes = [s for s in ags.get("scope") or [] if isinstance(s, str)]
    launch.memberships_url = _service_url(registration, nrps.get("context_memberships_url"),
                                          "memberships")
    launch.launched_at = now
    return launch


def record_launch(registration: LtiRegistration, payload: dict[str, Any],
                  now: datetime) -> tuple[User, LtiLaunch | None, str]:
    """Find or create the user for (registration, deployment, sub); record the launch; commit."""
    identity = _identity(registration, payload)
    role = context_role(payload.get(c.ROLES) or [])
    identity.platform_admin = role == "admin"
    launch = _record(identity, registration, payload, role, now)
    db.session.commit()
    return db.session.get(User, identity.user_id), launch, role
