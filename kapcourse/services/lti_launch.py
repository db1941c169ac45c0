"""OIDC login initiation and launch validation: the two halves of an LTI 1.3 launch."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select

from ..extensions import db
from ..lti import claims as c
from ..lti.checks import Expected, LaunchRejected, validate_id_token
from ..models.lti import LtiLoginState, LtiRegistration
from .lti_platform_keys import key_lookup
from .lti_registry import find_registration

STATE_MAX_AGE = timedelta(minutes=10)


class BrowserNotBound(Exception):
    """The launch came without our state cookie; platform storage or a new window must help."""

    def __init__(self, login: LtiLoginState):
        super().__init__("state cookie missing")
        self.login = login


@dataclass(frozen=True)
class LoginRedirect:
    """Where to send the browser after login initiation, and what to remember."""

    url: str
    state: str
    nonce: str
    storage_target: str | None
    platform_origin: str


def _same_endpoint(url: str, ours: str) -> bool:
    a, b = urlsplit(url), urlsplit(ours)
    return (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path)


def start_login(params: dict[str, str], launch_url: str, now: datetime) -> LoginRedirect:
    """Check the login initiation and build the redirect to the platform's auth endpoint."""
    registration = find_registration(params.get("iss", ""), params.get("client_id"))
    if registration is None:
        raise LaunchRejected("iss", "This platform is not registered with the tool.")
    target = params.get("target_link_uri", "")
    if not _same_endpoint(target, launch_url):
        raise LaunchRejected("target_link_uri", "The target link is not an address of this tool.")
    if not params.get("login_hint"):
        raise LaunchRejected("login_hint", "The login request has no login_hint.")
    login = LtiLoginState(state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
                          registration_id=registration.id, target_link_uri=target,
                          login_params=params, storage_target=params.get("lti_storage_target"),
                          created_at=now)
    db.session.add(login)
    db.session.commit()
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
             "prompt": "none", "client_id": registration.client_id, "redirect_uri": launch_url,
             "login_hint": params["login_hint"], "state": login.state, "nonce": login.nonce}
    if "lti_message_hint" in params:
        query["lti_message_hint"] = params["lti_message_hint"]
    sep = "&" if urlsplit(registration.auth_login_url).query else "?"
    auth = urlsplit(registration.auth_login_url)
    return LoginRedirect(url=registration.auth_login_url + sep + urlencode(query),
                         state=login.state, nonce=login.nonce,
                         storage_target=login.storage_target,
                         platform_origin=f"{auth.scheme}://{auth.netloc}")


def login_parameters(form: dict[str, str]) -> dict[str, str]:
    """The login initiation fields, accepting Canvas's deployment_id spelling."""
    names = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id",
             "lti_deployment_id", "lti_storage_target")
    params = {name: form[name] for name in names if form.get(name) is not None}
    if "lti_deployment_id" not in params and form.get("deployment_id"):
        params["lti_deployment_id"] = form["deployment_id"]
    return params


def _claim_state(state: str, bound: bool, now: datetime) -> LtiLoginState:
    login = db.session.scalar(select(LtiLoginState).where(LtiLoginState.state == state)) \
        if state else None
    if login is None:
        raise LaunchRejected("state", "The launch state is missing or unknown.")
    if login.used_at is not None:
        raise LaunchRejected("state", "This launch was already used; start it again from the course.")
    if now - login.created_at > STATE_MAX_AGE:
        raise LaunchRejected("state", "The launch took too long; start it again from the course.")
    if not bound:
        raise BrowserNotBound(login)
    login.used_at = now
    return login


def _refine_nonce(error: LaunchRejected, token_nonce: Any) -> LaunchRejected:
    """Tell a replayed nonce apart from a foreign one."""
    used = db.session.scalar(select(LtiLoginState.id).where(
        LtiLoginState.nonce == str(token_nonce), LtiLoginState.used_at.is_not(None)))
    if error.check == "nonce" and used is not None:
        return LaunchRejected("nonce_reused", "This launch token was already used.")
    return error


def validate_launch(form: dict[str, str], bound: bool, now: datetime) -> tuple[LtiRegistration, dict]:
    """Consume the state and run every check; the state is burnt even when a check fails."""
    login = _claim_state(form.get("state", ""), bound, now)
    registration = db.session.get(LtiRegistration, login.registration_id)
    expected = Expected(issuer=registration.issuer, client_id=registration.client_id,
                        nonce=login.nonce, target_link_uri=login.target_link_uri,
                        deployment_ids=registration.deployment_ids, now=int(now.timestamp()))
    try:
        payload = validate_id_token(form.get("id_token", ""), key_lookup(registration, now),
                                    expected)
    except LaunchRejected as error:
        error = _refine_nonce(error, _peek_nonce(form.get("id_token", "")))
        db.session.commit()
        raise error from None
    if not payload.get("sub"):
        db.session.commit()
        raise LaunchRejected("sub", "Anonymous launches are not supported.")
    return registration, payload


def _peek_nonce(token: str) -> Any:
    import jwt  # local: only the error path needs the unverified body

    try:
        return jwt.decode(token, options={"verify_signature": False}).get("nonce")
    except jwt.PyJWTError:
        return None


def message_type(payload: dict[str, Any]) -> str:
    """The LTI message type of a validated payload."""
    return payload[c.MESSAGE_TYPE]
