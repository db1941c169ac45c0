"""The registry of question types, and checks every question shares."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import ID_RE, Problem, QuestionType
from .choice import Multiple, Single, TrueFalse
from .numeric import Numeric
from .sequence import Matching, Ordering

QUESTION_TYPES: dict[str, QuestionType] = {t.name: t for t in
                                           (Single(), Multiple(), TrueFalse(), Numeric(), Ordering(), Matching())}
COMMON_REQUIRED = ("id", "type", "objective", "stem", "rationale", "references")
DIFFICULTIES = ("easy", "medium", "hard")


def question_type(name: str) -> QuestionType:
    """The type object registered under name (KeyError when unknown)."""
    return QUESTION_TYPES[name]


def validate_question(q: Any) -> list[Problem]:
    """Every problem with one question definition: common fields, then its type's rules."""
    if not isinstance(q, Mapping):
        return [((), "a question must be a mapping")]
    found = [((), f"question is missing '{key}'") for key in COMMON_REQUIRED if key not in q]
    found += _check_common_values(q)
    kind = q.get("type")
    if "type" in q and (not isinstance(kind, str) or kind not in QUESTION_TYPES):
        found.append((("type",), f"unknown question type '{kind}' (known: {', '.join(QUESTION_TYPES)})"))
    elif isinstance(kind, str) and kind in QUESTION_TYPES:
        found += QUESTION_TYPES[kind].validate(q)
    return found


def _check_common_values(q: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    qid = q.get("id")
    if "id" in q and (not isinstance(qid, str) or not ID_RE.match(qid) or len(qid) > 64):
        found.append((("id",), f"bad question id '{qid}' (lowercase letters, digits, hyphens)"))
    for field in ("stem", "rationale"):
        if field in q and (not isinstance(q[field], str) or not q[field].strip()):
            found.append(((field,), f"'{field}' must be non-empty Markdown text"))
    refs = q.get("references")
    if "references" in q and (not isinstance(refs, list) or not refs or
                              not all(isinstance(r, str) and r.strip() for r in refs)):
        found.append((("references",), "'references' must list at least one reference"))
    for field in ("tags", "facts"):
        value = q.get(field)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            found.append(((field,), f"'{field}' must be a list of strings"))
    if q.get("difficulty", "medium") not in DIFFICULTIES:
        found.append((("difficulty",), f"difficulty must be one of {', '.join(DIFFICULTIES)}"))
    if not isinstance(q.get("safety_critical", False), bool):
        found.append((("safety_critical",), "'safety_critical' must be true or false"))
    return found


def public_view(q: Mapping[str, Any]) -> dict[str, Any]:
    """The key-free view of a drawn question (no key, rationale, `why` or correctness flag)."""
    return question_type(q["type"]).public(q)
