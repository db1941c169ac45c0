"""Descriptive and item statistics for author analytics (pure: numbers in, numbers out)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence

# Below this many responses a correlation is noise, so it is not reported at all.
MIN_RESPONSES_FOR_DISCRIMINATION = 5
TOO_HARD_BELOW = 30.0
TOO_EASY_ABOVE = 95.0


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None


def percentage(part: float, whole: float) -> float | None:
    """part / whole as a percentage, or None when whole is zero."""
    return 100.0 * part / whole if whole else None


def point_biserial(item_scores: Sequence[float], totals: Sequence[float],
                   minimum: int = MIN_RESPONSES_FOR_DISCRIMINATION) -> float | None:
    """Pearson correlation of item scores with total scores (the point-biserial for 0/1 items).

    None with fewer than `minimum` pairs or when either side has no variance (r is undefined).
    """
    if len(item_scores) != len(totals):
        raise ValueError("item_scores and totals must pair up")
    n = len(item_scores)
    if n < minimum:
        return None
    mean_x, mean_y = sum(item_scores) / n, sum(totals) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(item_scores, totals))
    sxx = sum((x - mean_x) ** 2 for x in item_scores)
    syy = sum((y - mean_y) ** 2 for y in totals)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_flags(facility: float | None, discrimination: float | None) -> list[str]:
    """Why an item deserves an author's look: too hard, too easy or negatively discriminating."""
    flags = []
    if facility is not None and facility < TOO_HARD_BELOW:
        flags.append("very hard")
    if facility is not None and facility > TOO_EASY_ABOVE:
        flags.append("very easy")
    if discrimination is not None and discrimination < 0:
        flags.append("negative discrimination")
    return flags


@dataclass
class ItemStats:
    """Statistics of one question over every submitted attempt that drew it."""

    question_id: str
    objective: str
    drawn: int = 0
    answered: int = 0
    scores: list[float] = field(default_factory=list, repr=False)
    totals: list[float] = field(default_factory=list, repr=False)

    @property
    def facility(self) -> float | None:
        """Mean item score as a percentage (an unanswered item counts as 0)."""
        value = mean(self.scores)
        return None if value is None else 100.0 * value

    @property
    def discrimination(self) -> float | None:
        """Point-biserial correlation of item score with attempt score, None below the minimum."""
        return point_biserial(self.scores, self.totals)

    @property
    def flags(self) -> list[str]:
        """The item's warning flags (see item_flags)."""
        return item_flags(self.facility, self.discrimination)


def item_statistics(rows: Iterable[tuple[str, str, float, bool, float]]) -> list[ItemStats]:
    """Group (question_id, objective, item score 0-1, answered, attempt total) rows into per-item stats.

    Items are ordered by objective, then question id.
    """
    items: dict[str, ItemStats] = {}
    for question_id, objective, score, answered, total in rows:
        stats = items.setdefault(question_id, ItemStats(question_id, objective))
        stats.drawn += 1
        stats.answered += 1 if answered else 0
        stats.scores.append(score)
        stats.totals.append(total)
    return sorted(items.values(), key=lambda s: (s.objective, s.question_id))
