"""Course evaluations: submit one per learner and module version; aggregate for admins."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import AuditEvent, CourseEvaluation, ModuleVersion
from ..models.base import utcnow


@dataclass(frozen=True)
class EvaluationAnswers:
    """What the learner answered, already validated by the form."""

    objectives_met: int
    relevance: int
    free_of_bias: bool
    bias_comment: str
    practice_change: str


def evaluation_for(user_id: int, module_version_id: int) -> CourseEvaluation | None:
    """The learner's evaluation of this module version, or None."""
    return db.session.scalar(select(CourseEvaluation).where(
        CourseEvaluation.user_id == user_id,
        CourseEvaluation.module_version_id == module_version_id))


def submit(user_id: int, version: ModuleVersion, answers: EvaluationAnswers,
           now: datetime | None = None) -> CourseEvaluation:
    """Store the evaluation once; a second submission for the same version changes nothing."""
    existing = evaluation_for(user_id, version.id)
    if existing is not None:
        return existing
    evaluation = CourseEvaluation(
        user_id=user_id, module_slug=version.slug, module_version_id=version.id,
        objectives_met=answers.objectives_met, relevance=answers.relevance,
        free_of_bias=answers.free_of_bias, bias_comment=answers.bias_comment.strip(),
        practice_change=answers.practice_change.strip(), submitted_at=now or utcnow())
    try:
        with db.session.begin_nested():  # a double submit may race us to the unique row
            db.session.add(evaluation)
    except IntegrityError:
        return evaluation_for(user_id, version.id)
    db.session.add(AuditEvent(actor_id=user_id, action="evaluation.submitted",
                              subject=f"module_version:{version.id}", details={}))
    db.session.commit()
    return evaluation


@dataclass(frozen=True)
class EvaluationSummary:
    """Aggregate answers for one module, for the admin report (no individual answers)."""

    module_slug: str
    responses: int
    objectives_mean: float
    relevance_mean: float
    free_of_bias_percent: float
    practice_changes: list[str]


def report() -> list[EvaluationSummary]:
    """Per-module aggregates of every evaluation, with the free-text practice changes."""
    rows = db.session.execute(
        select(CourseEvaluation.module_slug, func.count(),
               func.avg(CourseEvaluation.objectives_met), func.avg(CourseEvaluation.relevance),
               func.sum(func.cast(CourseEvaluation.free_of_bias, db.Integer)))
        .group_by(CourseEvaluation.module_slug).order_by(CourseEvaluation.module_slug))
    return [EvaluationSummary(slug, count, round(float(obj), 2), round(float(rel), 2),
                              round(100.0 * float(fair or 0) / count, 1), _changes(slug))
            for slug, count, obj, rel, fair in rows]


def _changes(slug: str) -> list[str]:
    texts = db.session.scalars(select(CourseEvaluation.practice_change)
                               .where(CourseEvaluation.module_slug == slug)
                               .order_by(CourseEvaluation.submitted_at.desc()).limit(200))
    return [t for t in texts if t]
