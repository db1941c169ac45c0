"""Helpers for the quiz tests: keyed form answers and the secrets a page must not contain."""
from __future__ import annotations

from sqlalchemy import select


def keyed_fields(position: int, q: dict) -> dict:
    """Form fields answering one drawn question with its key."""
    name = f"q{position}"
    kind = q["type"]
    if kind == "single":
        return {f"{name}.choice": q["key"]}
    if kind == "multiple":
        return {f"{name}.choice": list(q["key"])}
    if kind == "true_false":
        return {f"{name}.choice": "true" if q["key"] else "false"}
    if kind == "numeric":
        return {f"{name}.value": str(q["answer"]), f"{name}.unit": q["unit"]}
    if kind == "ordering":
        return {f"{name}.pos.{step}": str(i) for i, step in enumerate(q["key"], start=1)}
    return {f"{name}.match.{p}": c for p, c in q["key"].items()}


def attempt_items(attempt_id: int):
    """The stored items of an attempt (with their keyed copies)."""
    from kapcourse.extensions import db
    from kapcourse.models import AttemptItem

    return list(db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
                                   .order_by(AttemptItem.position)))


def keyed_form(attempt_id: int, wrong: int = 0) -> dict:
    """Every item answered with its key, except the first `wrong` items left blank."""
    data: dict = {}
    for item in attempt_items(attempt_id):
        data[f"q{item.position}.present"] = "1"
        if item.position > wrong:
            data.update(keyed_fields(item.position, item.question))
    return data


def secrets_of(question: dict) -> list[str]:
    """Text that only the review may show: rationale, each `why`, `why_wrong`, common errors."""
    found = [question["rationale"].strip()[:60], question["rationale_html"]]
    for name in ("options", "items", "premises", "choices"):
        found += [e["why"][:60] for e in question.get(name, []) if e.get("why")]
    if question.get("why_wrong"):
        found.append(question["why_wrong"][:60])
    found += [e["why"][:60] for e in question.get("common_errors") or []]
    return found
