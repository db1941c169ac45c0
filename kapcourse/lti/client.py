"""Calls from the tool to the platform: access tokens, AGS scores, NRPS rosters."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from . import claims as c
from .keys import sign

TIMEOUT_SECONDS = 10
MAX_ROSTER_PAGES = 200


class ServiceError(Exception):
    """A platform call failed; retryable tells the sender whether to try again later."""

    def __init__(self, message: str, retryable: bool = True, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


@dataclass(frozen=True)
class ToolIdentity:
    """What the tool needs to ask one registration's platform for a token."""

    client_id: str
    token_url: str
    audience: str  # token URL unless the platform names another (D2L)
    private_pem: str
    kid: str


def same_host(url: str, allowed_urls: list[str]) -> bool:
    """True when url is https (or http on localhost-like test hosts) on a host of a registered URL."""
    parts = urlsplit(url)
    hosts = {urlsplit(u).hostname for u in allowed_urls if u}
    return parts.scheme in ("https", "http") and parts.hostname in hosts


def client_assertion(tool: ToolIdentity, now: int) -> str:
    """A signed JWT for the client-credentials grant; a fresh jti every call."""
    payload = {"iss": tool.client_id, "sub": tool.client_id, "aud": tool.audience,
               "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    return sign(payload, tool.private_pem, tool.kid)


def request_token(session: requests.Session, tool: ToolIdentity, scopes: list[str],
                  now: int) -> tuple[str, int]:
    """(access token, expires_in seconds) from the platform's token endpoint."""
    form = {"grant_type": "client_credentials", "client_assertion_type": c.ASSERTION_TYPE,
            "client_assertion": client_assertion(tool, now), "scope": " ".join(scopes)}
    try:
        response = session.post(tool.token_url, data=form, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise ServiceError(f"token request failed: {exc.__class__.__name__}") from exc
    if response.status_code != 200:
        raise ServiceError(f"token endpoint answered {response.status_code}",
                           retryable=response.status_code >= 500 or response.status_code == 429)
    body = _json(response)
    token = body.get("access_token")
    if not isinstance(token, str):
        raise ServiceError("token endpoint sent no access_token")
    return token, int(body.get("expires_in") or 3600)


def scores_url(lineitem_url: str) -> str:
    """{lineitem}/scores with the line item's query string kept (Canvas, Moodle need it)."""
    parts = urlsplit(lineitem_url)
    path = parts.path.rstrip("/") + "/scores"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def post_score(session: requests.Session, token: str, lineitem_url: str,
               score: dict[str, Any]) -> int:
    """POST one score; returns the status code or raises ServiceError."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": c.SCORE_MEDIA_TYPE}
    try:
        response = session.post(scores_url(lineitem_url), json=score, headers=headers,
                                timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise ServiceError(f"score post failed: {exc.__class__.__name__}") from exc
    if response.status_code in (200, 201, 202, 204):
        return response.status_code
    # 401 usually means an expired token: retry with a new one; other 4xx will not heal.
    retryable = response.status_code >= 500 or response.status_code in (401, 408, 429)
    raise ServiceError(f"scores endpoint answered {response.status_code}", retryable=retryable,
                       status=response.status_code)


def fetch_roster(session: requests.Session, token: str, url: str,
                 allowed_urls: list[str]) -> list[dict[str, Any]]:
    """Every member of a context, following Link: rel=next pages on the platform's host."""
    members: list[dict[str, Any]] = []
    headers = {"Authorization": f"Bearer {token}", "Accept": c.MEMBERSHIP_MEDIA_TYPE}
    next_url: str | None = url
    for _ in range(MAX_ROSTER_PAGES):
        if next_url is None:
            break
        if not same_host(next_url, allowed_urls):
            raise ServiceError("roster page on a host that is not the platform's", retryable=False)
        try:
            response = session.get(next_url, headers=headers, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as exc:
            raise ServiceError(f"roster request failed: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise ServiceError(f"roster endpoint answered {response.status_code}")
        members.extend(_json(response).get("members") or [])
        next_url = response.links.get("next", {}).get("url")
    return members


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise ServiceError("platform answered with something that is not JSON") from exc
    if not isinstance(body, dict):
        raise ServiceError("platform answered with JSON that is not an object")
    return body
