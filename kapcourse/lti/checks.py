"""Validate an LTI 1.3 id_token: every check has a name that the error page and log line show."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from . import claims as c

LEEWAY_SECONDS = 60
MAX_LIFETIME_SECONDS = 3600


class LaunchRejected(Exception):
    """A launch failed one named check; message is safe to show to the user."""

    def __init__(self, check: str, message: str):
        super().__init__(f"{check}: {message}")
        self.check = check
        self.message = message


@dataclass(frozen=True)
class Expected:
    """What the token must match: the registration, the login's nonce and target, and the time."""

    issuer: str
    client_id: str
    nonce: str
    target_link_uri: str
    deployment_ids: frozenset[str]
    now: int
    leeway: int = LEEWAY_SECONDS
    max_lifetime: int = MAX_LIFETIME_SECONDS


KeyLookup = Callable[[str], Any]


def unverified_header(token: str) -> dict[str, Any]:
    """The JOSE header of a token, or LaunchRejected('format')."""
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise LaunchRejected("format", "The id_token is not a well-formed JWT.") from exc


def verify_signature(token: str, key_for_kid: KeyLookup) -> dict[str, Any]:
    """Check alg and kid, find the platform key, verify the signature; jku/x5u are never read."""
    header = unverified_header(token)
    if header.get("alg") != "RS256":
        raise LaunchRejected("alg", "The id_token must be signed with RS256.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise LaunchRejected("kid", "The id_token header names no key (kid).")
    key = key_for_kid(kid)
    if key is None:
        raise LaunchRejected("kid", "The platform's key set has no key with this kid.")
    options = {"verify_exp": False, "verify_iat": False, "verify_nbf": False,
               "verify_aud": False, "verify_iss": False}
    try:
        return jwt.decode(token, key, algorithms=["RS256"], options=options)
    except jwt.InvalidSignatureError as exc:
        raise LaunchRejected("signature", "The id_token signature does not verify.") from exc
    except jwt.PyJWTError as exc:
        raise LaunchRejected("format", "The id_token could not be decoded.") from exc


def check_audience(payload: dict[str, Any], client_id: str) -> None:
    """aud must contain our client_id; several audiences need azp, and azp must be ours."""
    aud = payload.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud
    if not isinstance(audiences, list) or client_id not in audiences:
        raise LaunchRejected("aud", "The id_token is not addressed to this tool (aud).")
    azp = payload.get("azp")
    if len(audiences) > 1 and azp is None:
        raise LaunchRejected("azp", "Several audiences but no authorized party (azp).")
    if azp is not None and azp != client_id:
        raise LaunchRejected("azp", "The authorized party (azp) is not this tool.")


def check_times(payload: dict[str, Any], exp_: Expected) -> None:
    """exp and iat are required; allow a small clock skew; refuse an over-long lifetime."""
    exp, iat = payload.get("exp"), payload.get("iat")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise LaunchRejected("exp", "The id_token has no expiry (exp).")
    if exp + exp_.leeway < exp_.now:
        raise LaunchRejected("exp", "The id_token has expired; check the server clocks.")
    if not isinstance(iat, (int, float)) or isinstance(iat, bool):
        raise LaunchRejected("iat", "The id_token has no issue time (iat).")
    if iat - exp_.leeway > exp_.now:
        raise LaunchRejected("iat", "The id_token was issued in the future; check the server clocks.")
    if exp - iat > exp_.max_lifetime:
        raise LaunchRejected("lifetime", "The id_token is valid for too long.")


def check_lti_claims(payload: dict[str, Any], exp_: Expected) -> None:
    """deployment, version, message type, roles, resource link and target link URI."""
    if payload.get(c.DEPLOYMENT_ID) not in exp_.deployment_ids:
        raise LaunchRejected("deployment_id", "This deployment is not registered with the tool.")
    if payload.get(c.VERSION) != "1.3.0":
        raise LaunchRejected("version", "Only LTI version 1.3.0 is supported.")
    message_type = payload.get(c.MESSAGE_TYPE)
    if message_type not in c.SUPPORTED_MESSAGES:
        raise LaunchRejected("message_type", "This LTI message type is not supported.")
    if not isinstance(payload.get(c.ROLES), list):
        raise LaunchRejected("roles", "The roles claim must be an array.")
    link = payload.get(c.RESOURCE_LINK)
    if message_type == c.RESOURCE_LINK_REQUEST and not (isinstance(link, dict) and link.get("id")):
        raise LaunchRejected("resource_link", "The launch names no resource link id.")
    if message_type == c.DEEP_LINKING_REQUEST:
        settings = payload.get(c.DL_SETTINGS)
        if not (isinstance(settings, dict) and settings.get("deep_link_return_url")):
            raise LaunchRejected("deep_linking_settings", "No deep_link_return_url was sent.")
    if payload.get(c.TARGET_LINK_URI) != exp_.target_link_uri:
        raise LaunchRejected("target_link_uri", "The target link differs from the login's.")


def validate_id_token(token: str, key_for_kid: KeyLookup, exp_: Expected) -> dict[str, Any]:
    """Run every launch check in order and return the verified claims."""
    payload = verify_signature(token, key_for_kid)
    if payload.get("iss") != exp_.issuer:
        raise LaunchRejected("iss", "The id_token comes from another issuer.")
    check_audience(payload, exp_.client_id)
    check_times(payload, exp_)
    if payload.get("nonce") != exp_.nonce:
        raise LaunchRejected("nonce", "The nonce does not belong to this login.")
    check_lti_claims(payload, exp_)
    return payload
