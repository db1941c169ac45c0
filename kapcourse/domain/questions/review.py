"""What the results page may say about an item: the learner's answer and the key, as display text.

Text fragments come from `text_html` compiled (and sanitised) at publish time.
"""
from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from .base import ids_of
from .sequence import ordering_key


def _texts(entries: list[Mapping[str, Any]]) -> dict[str, str]:
    return {e["id"]: e.get("text_html", e.get("text", "")) for e in entries}


def describe(q: Mapping[str, Any], response: Any) -> list[str]:
    """A response as HTML-safe display lines (empty when unanswered); learner text is escaped."""
    if response is None:
        return []
    kind = q["type"]
    if kind in ("single", "multiple"):
        texts = _texts(q["options"])
        chosen = response if isinstance(response, list) else [response]
        return [texts.get(c, c) for c in ids_of(q["options"]) if c in chosen]
    if kind == "true_false":
        return ["True" if response else "False"]
    if kind == "numeric":
        return [escape(f"{response.get('value')} {response.get('unit')}")] if isinstance(response, Mapping) else []
    if kind == "ordering":
        texts = _texts(q["items"])
        return [texts.get(i, i) for i in response] if isinstance(response, list) else []
    premises, choices = _texts(q["premises"]), _texts(q["choices"])
    given = response if isinstance(response, Mapping) else {}
    return [f"{premises[p]} → {choices.get(given[p], '—')}" for p in ids_of(q["premises"]) if p in given]


def describe_key(q: Mapping[str, Any]) -> list[str]:
    """The keyed answer as display lines."""
    kind = q["type"]
    if kind == "single":
        return describe(q, q["key"])
    if kind == "multiple":
        return describe(q, list(q["key"]))
    if kind == "true_false":
        return describe(q, q["key"])
    if kind == "numeric":
        kind_, value = next(iter(q["tolerance"].items()))
        margin = f"± {value} {q['unit']}" if kind_ == "absolute" else f"± {value * 100:g} %"
        return [escape(f"{q['answer']} {q['unit']} ({margin})")]
    if kind == "ordering":
        return describe(q, ordering_key(q))
    return describe(q, dict(q["key"]))


def option_reasons(q: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each option's text, whether keyed, and why (for the full review of choice questions)."""
    if q["type"] not in ("single", "multiple"):
        return []
    keys = set(q["key"] if isinstance(q["key"], list) else [q["key"]])
    return [{"id": o["id"], "text_html": o.get("text_html", ""), "keyed": o["id"] in keys,
             "why_html": o.get("why_html", o.get("why", ""))} for o in q["options"]]
