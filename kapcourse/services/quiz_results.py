"""What the quiz pages show: the key-free questions before submit, the review the policy allows after."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..domain import questions as qdomain
from ..domain.questions import review
from ..models import QuizAttempt
from . import content
from .quiz import items_of, quiz_settings, quiz_status


def take_items(attempt: QuizAttempt) -> list[dict[str, Any]]:
    """Each item as the page may show it before submit: the public view and the saved response."""
    return [{"position": item.position, "question": qdomain.public_view(item.question),
             "response": item.response} for item in items_of(attempt)]


@dataclass
class Results:
    """The results page: score, pass/fail, per-objective breakdown and the allowed review."""

    attempt: QuizAttempt
    pass_mark: Any
    level: str
    withheld: bool
    objectives: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    status: dict[str, Any] = field(default_factory=dict)


def review_level(settings: dict[str, Any], attempt: QuizAttempt, status: dict[str, Any]) -> tuple[str, bool]:
    """The review the policy allows now, and whether keys are withheld until a pass or the last attempt."""
    level = settings.get("review", "full")
    final = status["attempts_left"] == 0 and status["in_progress_attempt_id"] is None
    if level == "full" and settings.get("rationales_after") == "passed_or_final" and not (status["passed"] or final):
        return "incorrect", True
    return level, False


def results(attempt: QuizAttempt) -> Results:
    """The results of a graded attempt, reviewed as far as the quiz's policy allows."""
    settings = quiz_settings(attempt.module_version_id)
    status = quiz_status(attempt.user_id, attempt.module_version_id)
    level, withheld = review_level(settings, attempt, status)
    items = items_of(attempt)
    view = Results(attempt=attempt, pass_mark=settings.get("pass_mark", 80), level=level, withheld=withheld,
                   status=status, objectives=_by_objective(attempt, items))
    if level != "score_only":
        view.items = [_item_review(item, full=level == "full") for item in items]
    return view


def _by_objective(attempt: QuizAttempt, items) -> list[dict[str, Any]]:
    texts = {o["id"]: o["text"] for o in content.module_payload(attempt.module_version_id)["objectives"]}
    totals: dict[str, list[int]] = {}
    for item in items:
        totals.setdefault(item.objective, []).append(item.score_millionths or 0)
    return [{"id": o, "text": texts.get(o, o), "items": len(s),
             "percent": (Decimal(sum(s)) / Decimal(10_000 * len(s))).quantize(Decimal("1"))}
            for o, s in totals.items()]


def _item_review(item, full: bool) -> dict[str, Any]:
    q = item.question
    score = item.score or Decimal(0)
    entry = {"position": item.position, "stem_html": q.get("stem_html", ""), "answer": review.describe(q, item.response),
             "correct": score == 1, "partial": 0 < score < 1, "score": score}
    if full:
        entry.update(key=review.describe_key(q), rationale_html=q.get("rationale_html", ""),
                     options=review.option_reasons(q), why_wrong_html=q.get("why_wrong_html", ""))
    return entry
