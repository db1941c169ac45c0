"""Deep Linking 2.0: what an instructor can pick, and the signed response to the platform."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..extensions import db
from ..lti.deep_linking import LinkChoice, response_claims
from ..lti.keys import sign
from ..models.lti import LtiRegistration
from . import content
from .lti_registry import signing_key


def choices() -> list[tuple[str, str]]:
    """(value, label) of every published module, its quiz and each of its vignettes."""
    options: list[tuple[str, str]] = []
    for slug, version in sorted(content.current_module_versions().items()):
        payload = content.module_payload(version.id)
        options.append((f"module:{slug}", f"Module: {version.title}"))
        if payload.get("quiz"):
            options.append((f"quiz:{slug}", f"Quiz (graded): {version.title}"))
        for vignette in payload.get("vignettes") or []:
            options.append((f"vignette:{slug}:{vignette['id']}",
                            f"Case: {vignette['title']} ({version.title})"))
    return options


def _choice(value: str, launch_url: str) -> LinkChoice | None:
    kind, _, rest = value.partition(":")
    slug, _, item = rest.partition(":")
    version = content.current_module_version(slug)
    if version is None or kind not in ("module", "quiz", "vignette"):
        return None
    title = {"module": version.title, "quiz": f"{version.title}: quiz"}.get(kind)
    if kind == "vignette":
        found = [v for v in content.module_payload(version.id).get("vignettes") or []
                 if v["id"] == item]
        if not found:
            return None
        title = found[0]["title"]
    return LinkChoice(kind=kind, module_slug=slug, title=title, url=launch_url, item_id=item)


def signed_response(request: dict[str, Any], values: list[str], launch_url: str,
                    now: datetime) -> str:
    """The LtiDeepLinkingResponse JWT for the chosen items, signed with the current tool key."""
    registration = db.session.get(LtiRegistration, request["registration_id"])
    picked = [c for c in (_choice(v, launch_url) for v in values) if c is not None]
    if not request.get("accept_multiple", True):
        picked = picked[:1]
    claims = response_claims(client_id=registration.client_id, issuer=registration.issuer,
                             deployment_id=request["deployment_id"], data=request.get("data"),
                             choices=picked, now=int(now.timestamp()))
    pem, kid = signing_key()
    return sign(claims, pem, kid)
