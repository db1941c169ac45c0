"""Build the LtiDeepLinkingResponse: resource links (with a line item for quizzes), data echoed."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from . import claims as c

RESPONSE_LIFETIME_SECONDS = 300


@dataclass(frozen=True)
class LinkChoice:
    """One thing an instructor picked: a module, a vignette or a module's quiz."""

    kind: str  # "module" | "vignette" | "quiz"
    module_slug: str
    title: str
    url: str
    item_id: str = ""
    score_maximum: float = 100.0


def content_item(choice: LinkChoice) -> dict[str, Any]:
    """An ltiResourceLink content item; quizzes carry a lineItem so they reach the gradebook."""
    custom = {"kapcourse_kind": choice.kind, "kapcourse_module": choice.module_slug}
    if choice.item_id:
        custom["kapcourse_item"] = choice.item_id
    item: dict[str, Any] = {"type": "ltiResourceLink", "title": choice.title,
                            "url": choice.url, "custom": custom}
    if choice.kind == "quiz":
        item["lineItem"] = {
            "scoreMaximum": choice.score_maximum,
            "label": choice.title,
            "resourceId": f"{choice.module_slug}:quiz",
            "tag": "kapcourse-quiz",
        }
    return item


def response_claims(*, client_id: str, issuer: str, deployment_id: str, data: str | None,
                    choices: list[LinkChoice], now: int) -> dict[str, Any]:
    """Claims of the signed response: the tool is iss, the platform is aud; data is echoed."""
    payload: dict[str, Any] = {
        "iss": client_id,
        "aud": issuer,
        "iat": now,
        "exp": now + RESPONSE_LIFETIME_SECONDS,
        "nonce": uuid.uuid4().hex,
        c.DEPLOYMENT_ID: deployment_id,
        c.MESSAGE_TYPE: c.DEEP_LINKING_RESPONSE,
        c.VERSION: "1.3.0",
        c.DL_CONTENT_ITEMS: [content_item(choice) for choice in choices],
    }
    if data is not None:
        payload[c.DL_DATA] = data
    return payload
