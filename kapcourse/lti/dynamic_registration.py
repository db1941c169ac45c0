"""LTI Dynamic Registration 1.0: read the platform's OpenID configuration, post our metadata."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from . import claims as c
from .client import TIMEOUT_SECONDS, ServiceError

PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"


@dataclass(frozen=True)
class ToolUrls:
    """Where the platform reaches the tool."""

    login: str
    launch: str
    deep_link: str
    jwks: str
    name: str = "kapcourse"


@dataclass(frozen=True)
class PlatformConfig:
    """The fields of a platform's OpenID configuration that a registration needs."""

    issuer: str
    auth_login_url: str
    token_url: str
    jwks_url: str
    registration_endpoint: str
    product: str
    token_audience: str


def _https_host(url: str) -> str | None:
    parts = urlsplit(url)
    return parts.hostname if parts.scheme == "https" else None


def parse_openid_configuration(config_url: str, body: dict[str, Any]) -> PlatformConfig:
    """Check the configuration (issuer on the same https host as its URL) and pick its fields."""
    issuer = body.get("issuer")
    if not isinstance(issuer, str) or _https_host(issuer) is None:
        raise ServiceError("the configuration has no https issuer", retryable=False)
    if _https_host(issuer) != _https_host(config_url):
        raise ServiceError("the issuer does not match the configuration URL's host", retryable=False)
    fields = ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")
    missing = [name for name in fields if not isinstance(body.get(name), str)]
    if missing:
        raise ServiceError("the configuration lacks " + ", ".join(missing), retryable=False)
    for name in fields:
        if _https_host(body[name]) is None:
            raise ServiceError(f"{name} is not an https URL", retryable=False)
    platform = body.get(PLATFORM_CONFIG) or {}
    return PlatformConfig(
        issuer=issuer, auth_login_url=body["authorization_endpoint"],
        token_url=body["token_endpoint"], jwks_url=body["jwks_uri"],
        registration_endpoint=body["registration_endpoint"],
        product=str(platform.get("product_family_code", "")),
        token_audience=str(body.get("authorization_server") or body["token_endpoint"]),
    )


def client_metadata(tool: ToolUrls) -> dict[str, Any]:
    """Our OpenID client registration with the LTI tool configuration (messages, placements)."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": tool.login,
        "redirect_uris": [tool.launch],
        "client_name": tool.name,
        "jwks_uri": tool.jwks,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(c.TOOL_SCOPES),
        TOOL_CONFIG: {
            "domain": urlsplit(tool.launch).netloc,
            "target_link_uri": tool.launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": c.RESOURCE_LINK_REQUEST, "target_link_uri": tool.launch},
                {"type": c.DEEP_LINKING_REQUEST, "target_link_uri": tool.deep_link,
                 "label": tool.name, "placements": ["ContentArea", "link_selection",
                                                    "assignment_selection"]},
            ],
        },
    }


def fetch_json(session: requests.Session, url: str, token: str | None = None) -> dict[str, Any]:
    """GET a JSON object (the OpenID configuration)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = session.get(url, headers=headers, timeout=TIMEOUT_SECONDS)
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ServiceError(f"could not read {url}", retryable=False) from exc
    if response.status_code != 200 or not isinstance(body, dict):
        raise ServiceError(f"{url} answered {response.status_code}", retryable=False)
    return body


def register(session: requests.Session, platform: PlatformConfig, tool: ToolUrls,
             token: str | None) -> tuple[str, str | None]:
    """POST our metadata; returns (client_id, deployment_id or None)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = session.post(platform.registration_endpoint, json=client_metadata(tool),
                                headers=headers, timeout=TIMEOUT_SECONDS)
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ServiceError("the registration request failed", retryable=False) from exc
    if response.status_code not in (200, 201) or not isinstance(body.get("client_id"), str):
        raise ServiceError(f"the platform refused the registration ({response.status_code})",
                           retryable=False)
    deployment = (body.get(TOOL_CONFIG) or {}).get("deployment_id")
    return body["client_id"], str(deployment) if deployment else None
