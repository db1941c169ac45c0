"""Drawing a quiz from a bank by blueprint, reproducibly from a seed."""
from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from .registry import question_type


class BlueprintError(ValueError):
    """A blueprint row the bank cannot satisfy."""


def row_matches(row: Mapping[str, Any], q: Mapping[str, Any]) -> bool:
    """True when question q is eligible for a blueprint row."""
    if row.get("objective"):
        return q.get("objective") == row["objective"]
    return row.get("tag") in (q.get("tags") or [])


def draw(bank: Sequence[Mapping[str, Any]], blueprint: Sequence[Mapping[str, Any]], seed: int,
         seen: Collection[str] = ()) -> list[Mapping[str, Any]]:
    """Questions for one attempt: rows in order, unseen items first, then the whole draw shuffled."""
    rng = random.Random(seed)
    used: set[str] = set()
    drawn: list[Mapping[str, Any]] = []
    by_id = sorted(bank, key=lambda q: q["id"])  # independent of bank order: same seed, same draw
    for row in blueprint:
        pool = [q for q in by_id if q["id"] not in used and row_matches(row, q)]
        if len(pool) < row["count"]:
            raise BlueprintError(f"blueprint row {dict(row)} needs {row['count']} items, bank has {len(pool)}")
        fresh = [q for q in pool if q["id"] not in seen]
        stale = [q for q in pool if q["id"] in seen]
        rng.shuffle(fresh)
        rng.shuffle(stale)
        chosen = (fresh + stale)[: row["count"]]
        used.update(q["id"] for q in chosen)
        drawn.extend(chosen)
    rng.shuffle(drawn)
    return drawn


def arrange_all(questions: Sequence[Mapping[str, Any]], seed: int, shuffle_options: bool) -> list[dict[str, Any]]:
    """Copies of the drawn questions as the learner will see them (options shuffled by seed)."""
    rng = random.Random(f"{seed}:options")
    return [question_type(q["type"]).arrange(dict(q), rng, shuffle_options) for q in questions]
