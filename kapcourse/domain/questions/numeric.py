"""Numeric questions: a number with a unit, within an absolute or relative tolerance."""
from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from . import units
from .base import ONE, ZERO, FormValues, Problem, QuestionType, ResponseError, exact, first, is_number

MAX_VALUE_LENGTH = 40


def allowed_units(q: Mapping[str, Any]) -> list[str]:
    """The key's unit first, then every accepted unit, without repeats."""
    listed = [q["unit"], *(q.get("accepted_units") or [])]
    return list(dict.fromkeys(u for u in listed if isinstance(u, str)))


class Numeric(QuestionType):
    """A number and a unit; 1 if within tolerance after conversion, else 0."""

    name = "numeric"
    fields = frozenset({"answer", "unit", "tolerance", "accepted_units", "common_errors"})
    required = ("answer", "unit", "tolerance")

    def check(self, q) -> list[Problem]:
        found: list[Problem] = []
        if not is_number(q["answer"]):
            found.append((("answer",), "'answer' must be a number"))
        found += self._check_units(q) + self._check_tolerance(q["tolerance"])
        if not found:
            found += self._check_common_errors(q)
        return found

    def _check_units(self, q) -> list[Problem]:
        unit = q["unit"]
        if not isinstance(unit, str) or units.dimension(unit) is None:
            return [(("unit",), f"unknown unit '{unit}' (known: {', '.join(units.known_units())})")]
        accepted = q.get("accepted_units") or []
        if not isinstance(accepted, list):
            return [(("accepted_units",), "'accepted_units' must be a list of units")]
        found: list[Problem] = []
        for index, other in enumerate(accepted):
            if not isinstance(other, str) or units.dimension(other) is None:
                found.append((("accepted_units", index), f"unknown unit '{other}'"))
            elif units.dimension(other) != units.dimension(unit):
                found.append((("accepted_units", index), f"'{other}' cannot be converted to '{unit}'"))
        return found

    def _check_tolerance(self, tolerance: Any) -> list[Problem]:
        if not isinstance(tolerance, Mapping) or len(tolerance) != 1 or \
                next(iter(tolerance)) not in ("absolute", "relative"):
            return [(("tolerance",), "tolerance is {absolute: x} or {relative: x}")]
        kind, value = next(iter(tolerance.items()))
        if not is_number(value) or value < 0:
            return [(("tolerance", kind), "a tolerance is a number of at least 0")]
        if kind == "relative" and value >= 1:
            return [(("tolerance", kind), "a relative tolerance is a fraction below 1 (0.05 is 5%)")]
        return []

    def _check_common_errors(self, q) -> list[Problem]:
        errors = q.get("common_errors") or []
        if not isinstance(errors, list):
            return [(("common_errors",), "'common_errors' must be a list of {value, why}")]
        found: list[Problem] = []
        for index, entry in enumerate(errors):
            where = ("common_errors", index)
            if not isinstance(entry, Mapping) or not is_number(entry.get("value")) or not entry.get("why"):
                found.append((where, "a common error needs a numeric 'value' and a 'why'"))
            elif self._within(q, exact(entry["value"])):
                found.append((where + ("value",), f"common error {entry['value']} would be scored correct"))
        return found

    def parse(self, q, values: FormValues) -> dict[str, str] | None:
        text = first(values, "value")
        if not text:
            return None
        if len(text) > MAX_VALUE_LENGTH:
            raise ResponseError("give a number of at most 40 characters")
        try:
            exact(text)
        except ValueError:
            raise ResponseError(f"'{text[:20]}' is not a number") from None
        unit_text = first(values, "unit") or q["unit"]
        unit = units.canonical(unit_text)
        if unit not in allowed_units(q):
            raise ResponseError(f"give the answer in {' or '.join(allowed_units(q))}")
        return {"value": text.replace(",", ""), "unit": unit}

    def score(self, q, response) -> Fraction:
        if not isinstance(response, Mapping) or response.get("unit") not in allowed_units(q):
            return ZERO
        try:
            given = units.convert(exact(response["value"]), response["unit"], q["unit"])
        except (ValueError, KeyError):
            return ZERO
        return ONE if self._within(q, given) else ZERO

    def _within(self, q, given: Fraction) -> bool:
        answer = exact(q["answer"])
        kind, value = next(iter(q["tolerance"].items()))
        allowed = exact(value) if kind == "absolute" else exact(value) * abs(answer)
        return abs(given - answer) <= allowed

    def keyed_response(self, q) -> dict[str, str]:
        return {"value": str(q["answer"]), "unit": q["unit"]}

    def public(self, q) -> dict[str, Any]:
        return {**super().public(q), "units": allowed_units(q)}
