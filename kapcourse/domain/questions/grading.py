"""Grading an attempt: a pure function of the drawn questions and the saved responses."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from .base import exact
from .registry import question_type

PERCENT_PLACES = Decimal("0.01")
ITEM_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ObjectiveResult:
    """How one objective went: points earned out of items drawn."""

    objective: str
    earned: Fraction
    possible: int

    @property
    def percent(self) -> Decimal:
        """The objective's share as a percentage, rounded down to 2 places."""
        return to_percent(self.earned, self.possible)


@dataclass(frozen=True)
class Grade:
    """The outcome of grading: exact per-item scores, the percentage and pass/fail."""

    item_scores: list[Fraction]
    earned: Fraction
    possible: int
    percent: Decimal
    passed: bool
    by_objective: list[ObjectiveResult] = field(default_factory=list)


def to_percent(earned: Fraction, possible: int) -> Decimal:
    """earned/possible as a percentage with 2 places, rounded down so it never overstates."""
    if possible == 0:
        return Decimal("0.00")
    exact_percent = earned * 100 / possible
    return (Decimal(exact_percent.numerator) / Decimal(exact_percent.denominator)).quantize(
        PERCENT_PLACES, rounding=ROUND_FLOOR)


def item_decimal(score: Fraction) -> Decimal:
    """A per-item score stored with 4 places (for statistics; the total uses exact fractions)."""
    return (Decimal(score.numerator) / Decimal(score.denominator)).quantize(ITEM_PLACES, rounding=ROUND_FLOOR)


def score_item(question: Mapping[str, Any], response: Any) -> Fraction:
    """One item's score in [0, 1]; a malformed stored response scores 0 rather than failing."""
    try:
        return question_type(question["type"]).score(question, response)
    except (KeyError, TypeError, ValueError, AttributeError):
        return Fraction(0)


def grade(items: Sequence[tuple[Mapping[str, Any], Any]], pass_mark: Any) -> Grade:
    """Grade (question, response) pairs against a pass mark in percent, exactly."""
    scores = [score_item(q, r) for q, r in items]
    earned = sum(scores, Fraction(0))
    possible = len(scores)
    passed = possible > 0 and earned * 100 >= exact(pass_mark) * possible
    objectives: dict[str, list[Fraction]] = {}
    for (question, _), score in zip(items, scores):
        objectives.setdefault(question.get("objective", ""), []).append(score)
    breakdown = [ObjectiveResult(o, sum(s, Fraction(0)), len(s)) for o, s in objectives.items()]
    return Grade(scores, earned, possible, to_percent(earned, possible), passed, breakdown)
