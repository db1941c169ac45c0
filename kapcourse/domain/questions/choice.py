"""Choice questions: single best answer, select all that apply, true/false."""
from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .base import (ONE, ZERO, FormValues, Problem, QuestionType, ResponseError, check_entries,
                   check_scoring, first, ids_of, public_entries, shuffled)

OPTION_FIELDS = ("id", "text", "why")


class _OptionsType(QuestionType):
    """Shared by single and multiple: a list of options, shown shuffled or not."""

    option_bounds: tuple[int, int] = (4, 5)

    def check_options(self, q: Mapping[str, Any]) -> list[Problem]:
        return check_entries(q["options"], ("options",), "option", self.option_bounds, OPTION_FIELDS)

    def arrange(self, q, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        return {**q, "options": shuffled(q["options"], rng, shuffle)}

    def public(self, q) -> dict[str, Any]:
        return {**super().public(q), "options": public_entries(q["options"])}

    def _known(self, q, chosen: list[str]) -> list[str]:
        known = set(ids_of(q["options"]))
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise ResponseError(f"'{unknown[0]}' is not an option of this question")
        return chosen


class Single(_OptionsType):
    """Single best answer: 4-5 options, one key; scores 1 or 0."""

    name = "single"
    fields = frozenset({"options", "key"})
    required = ("options", "key")

    def check(self, q) -> list[Problem]:
        found = self.check_options(q)
        key = q["key"]
        if isinstance(key, list):
            found.append((("key",), f"a 'single' question has exactly one key, got {len(key)}"))
        elif key not in ids_of(q["options"]):
            found.append((("key",), f"key '{key}' is not an option id"))
        return found

    def parse(self, q, values: FormValues) -> str | None:
        choice = first(values, "choice")
        return self._known(q, [choice])[0] if choice else None

    def score(self, q, response) -> Fraction:
        return ONE if response is not None and response == q["key"] else ZERO

    def keyed_response(self, q) -> str:
        return q["key"]


class Multiple(_OptionsType):
    """Select all that apply: 4-6 options, a list of keys, all-or-nothing or per option."""

    name = "multiple"
    fields = frozenset({"options", "key", "scoring"})
    required = ("options", "key", "scoring")
    option_bounds = (4, 6)

    def check(self, q) -> list[Problem]:
        found = self.check_options(q) + check_scoring(q, ("all_or_nothing", "per_option"))
        key = q["key"]
        if not isinstance(key, list) or not key:
            return found + [(("key",), "a 'multiple' key is a list of at least one option id")]
        options = ids_of(q["options"])
        found += [(("key", i), f"key '{k}' is not an option id") for i, k in enumerate(key) if k not in options]
        if len(set(map(str, key))) != len(key):
            found.append((("key",), "the key lists an option twice"))
        return found

    def parse(self, q, values: FormValues) -> list[str] | None:
        chosen = sorted({str(v).strip() for v in values.get("choice", ()) if str(v).strip()})
        return self._known(q, chosen) if chosen else None

    def score(self, q, response) -> Fraction:
        chosen = set(response) if isinstance(response, list) else set()
        key = set(q["key"])
        if q["scoring"] == "all_or_nothing":
            return ONE if chosen == key else ZERO
        options = ids_of(q["options"])
        right = sum(1 for o in options if (o in chosen) == (o in key))
        return max(ZERO, Fraction(right - (len(options) - right), len(options)))

    def keyed_response(self, q) -> list[str]:
        return sorted(q["key"])


class TrueFalse(QuestionType):
    """A statement judged true or false; scores 1 or 0."""

    name = "true_false"
    fields = frozenset({"key", "why_wrong"})
    required = ("key", "why_wrong")

    def check(self, q) -> list[Problem]:
        found: list[Problem] = []
        if not isinstance(q["key"], bool):
            found.append((("key",), "a 'true_false' key is true or false"))
        if not isinstance(q["why_wrong"], str) or not q["why_wrong"].strip():
            found.append((("why_wrong",), "'why_wrong' must say why the other answer is wrong"))
        return found

    def parse(self, q, values: FormValues) -> bool | None:
        choice = first(values, "choice").lower()
        if not choice:
            return None
        if choice not in ("true", "false"):
            raise ResponseError("choose true or false")
        return choice == "true"

    def score(self, q, response) -> Fraction:
        return ONE if isinstance(response, bool) and response == q["key"] else ZERO

    def keyed_response(self, q) -> bool:
        return q["key"]

    def public(self, q) -> dict[str, Any]:
        return {**super().public(q), "options": [{"id": "true", "text_html": "True"},
                                                 {"id": "false", "text_html": "False"}]}
