"""Valid sample questions, one per type, shared by the question unit tests."""
from __future__ import annotations

import copy

COMMON = {"objective": "obj-a", "stem": "A stem?", "rationale": "Because.", "references": ["Ref 2024."]}


def _opts(n):
    return [{"id": chr(97 + i), "text": f"Option {i}", "why": f"Reason {i}"} for i in range(n)]


SAMPLES = {
    "single": {**COMMON, "id": "q-single", "type": "single", "options": _opts(4), "key": "b"},
    "multiple": {**COMMON, "id": "q-multiple", "type": "multiple", "options": _opts(5),
                 "key": ["a", "c"], "scoring": "per_option"},
    "true_false": {**COMMON, "id": "q-tf", "type": "true_false", "key": False, "why_wrong": "It is false."},
    "numeric": {**COMMON, "id": "q-num", "type": "numeric", "answer": 35, "unit": "mg",
                "tolerance": {"absolute": 0.5}, "accepted_units": ["g", "mcg"],
                "common_errors": [{"value": 3.5, "why": "Decimal slip."}]},
    "ordering": {**COMMON, "id": "q-order", "type": "ordering", "scoring": "pairs",
                 "items": [{"id": f"s{i}", "text": f"Step {i}"} for i in range(1, 6)]},
    "matching": {**COMMON, "id": "q-match", "type": "matching", "scoring": "per_premise",
                 "premises": [{"id": "phq9", "text": "PHQ-9"}, {"id": "gad7", "text": "GAD-7"},
                              {"id": "auditc", "text": "AUDIT-C"}],
                 "choices": [{"id": "dep", "text": "Depression"}, {"id": "anx", "text": "Anxiety"},
                             {"id": "alc", "text": "Alcohol use"}, {"id": "psy", "text": "Psychosis"}],
                 "key": {"phq9": "dep", "gad7": "anx", "auditc": "alc"}},
}


def sample(kind: str, **changes) -> dict:
    """A deep copy of the sample of a type, with top-level fields changed (None deletes)."""
    q = copy.deepcopy(SAMPLES[kind])
    for key, value in changes.items():
        if value is None:
            q.pop(key, None)
        else:
            q[key] = value
    return q
