"""Ordering and matching questions."""
from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from itertools import combinations
from typing import Any

from .base import (ONE, ZERO, FormValues, Problem, QuestionType, ResponseError, check_entries,
                   check_scoring, first, ids_of, public_entries, shuffled)


def ordering_key(q: Mapping[str, Any]) -> list[str]:
    """The correct order: recorded at draw time, else the authored order of the items."""
    return list(q.get("key") or ids_of(q["items"]))


class Ordering(QuestionType):
    """Put 3-8 steps in order; all-or-nothing or the share of pairs in the right order."""

    name = "ordering"
    fields = frozenset({"items", "scoring"})
    required = ("items", "scoring")

    def check(self, q) -> list[Problem]:
        return check_entries(q["items"], ("items",), "step", (3, 8)) + \
            check_scoring(q, ("all_or_nothing", "pairs"))

    def parse(self, q, values: FormValues) -> list[str] | None:
        items = ids_of(q["items"])
        positions = {item: first(values, f"pos.{item}") for item in items}
        if not any(positions.values()):
            return None
        wanted = [str(n) for n in range(1, len(items) + 1)]
        if sorted(positions.values(), key=lambda p: (len(p), p)) != wanted:
            raise ResponseError(f"give each step a different position from 1 to {len(items)}")
        return sorted(items, key=lambda item: int(positions[item]))

    def score(self, q, response) -> Fraction:
        key = ordering_key(q)
        if not isinstance(response, list) or sorted(response) != sorted(key):
            return ZERO
        if q["scoring"] == "all_or_nothing":
            return ONE if response == key else ZERO
        place = {item: i for i, item in enumerate(response)}
        pairs = list(combinations(key, 2))
        return Fraction(sum(1 for a, b in pairs if place[a] < place[b]), len(pairs))

    def keyed_response(self, q) -> list[str]:
        return ordering_key(q)

    def arrange(self, q, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        # The authored order IS the key, so the steps are always shown shuffled.
        items = shuffled(q["items"], rng, True)
        key = ordering_key(q)
        while len(items) > 1 and ids_of(items) == key:
            rng.shuffle(items)
        return {**q, "key": key, "items": items}

    def public(self, q) -> dict[str, Any]:
        return {**super().public(q), "items": public_entries(q["items"])}


class Matching(QuestionType):
    """Match 2-8 premises to 2-8 choices; all-or-nothing or the share matched correctly."""

    name = "matching"
    fields = frozenset({"premises", "choices", "key", "scoring"})
    required = ("premises", "choices", "key", "scoring")

    def check(self, q) -> list[Problem]:
        found = check_entries(q["premises"], ("premises",), "premise", (2, 8))
        found += check_entries(q["choices"], ("choices",), "choice", (2, 8))
        found += check_scoring(q, ("all_or_nothing", "per_premise"))
        key = q["key"]
        if not isinstance(key, Mapping):
            return found + [(("key",), "a 'matching' key maps each premise id to a choice id")]
        premises, choices = ids_of(q["premises"]), set(ids_of(q["choices"]))
        found += [(("key", p), f"'{p}' is not a premise id") for p in key if p not in premises]
        found += [(("key", p), f"'{c}' is not a choice id") for p, c in key.items()
                  if not isinstance(c, str) or c not in choices]
        found += [(("key",), f"premise '{p}' has no key") for p in premises if p not in key]
        return found

    def parse(self, q, values: FormValues) -> dict[str, str] | None:
        choices = set(ids_of(q["choices"]))
        matched = {p: first(values, f"match.{p}") for p in ids_of(q["premises"])}
        matched = {p: c for p, c in matched.items() if c}
        bad = [c for c in matched.values() if c not in choices]
        if bad:
            raise ResponseError(f"'{bad[0]}' is not a choice of this question")
        return matched or None

    def score(self, q, response) -> Fraction:
        key = q["key"]
        given = response if isinstance(response, Mapping) else {}
        right = sum(1 for p, c in key.items() if given.get(p) == c)
        if q["scoring"] == "all_or_nothing":
            return ONE if right == len(key) else ZERO
        return Fraction(right, len(key))

    def keyed_response(self, q) -> dict[str, str]:
        return dict(q["key"])

    def arrange(self, q, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        return {**q, "premises": shuffled(q["premises"], rng, shuffle),
                "choices": [dict(c) for c in q["choices"]]}

    def public(self, q) -> dict[str, Any]:
        return {**super().public(q), "premises": public_entries(q["premises"]),
                "choices": public_entries(q["choices"])}
