"""The platform JWKS cache: kept in the database, refetched once on an unknown kid, with a cooldown."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import requests
from flask import current_app

from ..extensions import db
from ..lti.keys import key_from_jwk
from ..models.lti import LtiPlatformKeySet, LtiRegistration
from .lti_registry import http_session

log = logging.getLogger("kapcourse.lti")
DEFAULT_COOLDOWN_SECONDS = 30


def _cooldown() -> timedelta:
    return timedelta(seconds=current_app.config.get("LTI_JWKS_REFETCH_COOLDOWN",
                                                    DEFAULT_COOLDOWN_SECONDS))


def _find(jwks: dict[str, Any], kid: str) -> Any:
    for jwk in jwks.get("keys") or []:
        if isinstance(jwk, dict) and jwk.get("kid") == kid and jwk.get("kty") == "RSA":
            try:
                return key_from_jwk({**jwk, "alg": "RS256"})
            except Exception:  # noqa: BLE001 - one malformed key must not hide the others
                log.warning("lti jwks: unusable key kid=%s", kid)
    return None


def _fetch(registration: LtiRegistration) -> dict[str, Any] | None:
    try:
        response = http_session().get(registration.jwks_url, timeout=10,
                                      headers={"Accept": "application/json"})
        body = response.json()
    except (requests.RequestException, ValueError):
        log.warning("lti jwks: fetch failed for registration %s", registration.id)
        return None
    if response.status_code != 200 or not isinstance(body, dict):
        log.warning("lti jwks: %s answered %s", registration.jwks_url, response.status_code)
        return None
    return body


def key_lookup(registration: LtiRegistration, now: datetime):
    """A kid -> key function for one launch; the caller commits the refreshed cache."""

    def lookup(kid: str) -> Any:
        cache = db.session.get(LtiPlatformKeySet, registration.id)
        if cache is None:
            cache = LtiPlatformKeySet(registration_id=registration.id, jwks={})
            db.session.add(cache)
        key = _find(cache.jwks, kid)
        if key is not None:
            return key
        if cache.last_refetch_at is not None and now - cache.last_refetch_at < _cooldown():
            log.info("lti jwks: unknown kid %s within refetch cooldown", kid)
            return None
        cache.last_refetch_at = now
        fetched = _fetch(registration)
        if fetched is not None:
            cache.jwks, cache.fetched_at = fetched, now
        return _find(cache.jwks, kid)

    return lookup
