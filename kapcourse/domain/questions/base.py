"""The contract every question type follows, and checks they share."""
from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar

Loc = tuple
Problem = tuple[Loc, str]
FormValues = Mapping[str, Sequence[str]]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COMMON_FIELDS = frozenset({"id", "type", "objective", "tags", "difficulty", "safety_critical",
                           "stem", "rationale", "references", "facts"})
# Fields the compiler adds (rendered Markdown) or the draw adds (ordering key); never authored.
DERIVED_SUFFIX = "_html"
ZERO, ONE = Fraction(0), Fraction(1)
MAX_EXPONENT = 1000


class ResponseError(ValueError):
    """A response the learner must correct (not a number, positions used twice, ...)."""


class QuestionType:
    """One kind of question: validates its definition, parses a form, scores a response."""

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()
    required: ClassVar[tuple[str, ...]] = ()

    def validate(self, q: Mapping[str, Any]) -> list[Problem]:
        """Problems with the type-specific part of a definition, located relative to it."""
        found = [((), f"'{self.name}' question is missing '{f}'") for f in self.required if f not in q]
        allowed = COMMON_FIELDS | self.fields
        found += [((key,), f"unknown field '{key}' for a '{self.name}' question")
                  for key in q if key not in allowed and not str(key).endswith(DERIVED_SUFFIX)]
        return found + (self.check(q) if not found else [])

    def check(self, q: Mapping[str, Any]) -> list[Problem]:
        """Type-specific rules, run once every required field is present."""
        return []

    def parse(self, q: Mapping[str, Any], values: FormValues) -> Any:
        """A JSON-ready response from form values, None if unanswered; ResponseError if malformed."""
        raise NotImplementedError

    def score(self, q: Mapping[str, Any], response: Any) -> Fraction:
        """The score in [0, 1] of a response (None scores 0)."""
        raise NotImplementedError

    def keyed_response(self, q: Mapping[str, Any]) -> Any:
        """The response that scores 1."""
        raise NotImplementedError

    def arrange(self, q: dict[str, Any], rng: random.Random, shuffle: bool) -> dict[str, Any]:
        """A copy of q as drawn for one attempt (display lists possibly shuffled)."""
        return dict(q)

    def public(self, q: Mapping[str, Any]) -> dict[str, Any]:
        """The key-free view of a drawn question: everything the page may show before submit."""
        return {"id": q["id"], "type": self.name, "stem_html": q.get("stem_html", "")}


def first(values: FormValues, name: str) -> str:
    """The first non-blank value of a form field, stripped, or ''."""
    for value in values.get(name, ()):
        if str(value).strip():
            return str(value).strip()
    return ""


def exact(number: Any) -> Fraction:
    """An exact Fraction from an int, a YAML float (by its decimal text) or a numeric string."""
    if isinstance(number, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(number, (int, Fraction)):
        return Fraction(number)
    try:
        value = Decimal(str(number).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"'{number}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{number}' is not a finite number")
    # Fraction(Decimal('1e999999999')) builds a billion-digit integer: refuse absurd magnitudes.
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise ValueError(f"'{str(number)[:20]}' is out of range")
    return Fraction(value)


def is_number(value: Any) -> bool:
    """True for ints and finite floats (not booleans, infinities or NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def check_entries(entries: Any, loc: Loc, label: str, bounds: tuple[int, int],
                  fields: tuple[str, ...] = ("id", "text")) -> list[Problem]:
    """Check a list of `{id, text, ...}` entries: size, required fields, unique ids and texts."""
    low, high = bounds
    if not isinstance(entries, list):
        return [(loc, f"'{loc[-1]}' must be a list of {label}s")]
    found: list[Problem] = []
    if not low <= len(entries) <= high:
        found.append((loc, f"needs {low}-{high} {label}s, got {len(entries)}"))
    ids: set[str] = set()
    texts: set[str] = set()
    for index, entry in enumerate(entries):
        where = loc + (index,)
        if not isinstance(entry, Mapping):
            found.append((where, f"each {label} must be a mapping with {', '.join(fields)}"))
            continue
        found += [(where, f"{label} is missing '{f}'") for f in fields if not _filled(entry.get(f))]
        found += [(where + (k,), f"unknown field '{k}' for a {label}")
                  for k in entry if k not in fields and not str(k).endswith(DERIVED_SUFFIX)]
        found += _check_id_text(entry, where, label, ids, texts)
    return found


def _check_id_text(entry: Mapping[str, Any], where: Loc, label: str, ids: set, texts: set) -> list[Problem]:
    found: list[Problem] = []
    entry_id, text = entry.get("id"), entry.get("text")
    if entry_id is not None:
        if not isinstance(entry_id, str) or not ID_RE.match(entry_id) or len(entry_id) > 64:
            found.append((where + ("id",), f"bad {label} id '{entry_id}' (lowercase letters, digits, hyphens)"))
        elif entry_id in ids:
            found.append((where + ("id",), f"duplicate {label} id '{entry_id}'"))
        else:
            ids.add(entry_id)
    if isinstance(text, str) and text.strip():
        norm = " ".join(text.lower().split())
        if norm in texts:
            found.append((where + ("text",), f"duplicate {label} text '{text.strip()[:40]}'"))
        texts.add(norm)
    return found


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def ids_of(entries: Any) -> list[str]:
    """The ids of a list of entries (ignoring malformed ones)."""
    if not isinstance(entries, list):
        return []
    return [e["id"] for e in entries if isinstance(e, Mapping) and isinstance(e.get("id"), str)]


def check_scoring(q: Mapping[str, Any], allowed: tuple[str, ...]) -> list[Problem]:
    """The declared scoring rule must be one the type supports."""
    if q.get("scoring") not in allowed:
        return [(("scoring",), f"scoring must be one of {', '.join(allowed)}, got '{q.get('scoring')}'")]
    return []


def shuffled(entries: list[Any], rng: random.Random, shuffle: bool) -> list[Any]:
    """A copy of entries, shuffled when asked."""
    copy = [dict(e) if isinstance(e, Mapping) else e for e in entries]
    if shuffle:
        rng.shuffle(copy)
    return copy


def public_entries(entries: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Only id and rendered text of each entry: never a `why`, never a flag."""
    return [{"id": e["id"], "text_html": e.get("text_html", "")} for e in entries]
