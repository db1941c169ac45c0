"""Helpers for certificate tests: bring a learner to a full module completion.

Lessons go through the progress service; the vignette run and quiz attempt rows are
written as the vignette and quiz services leave them when finished (their own tests
cover how a learner gets there).
"""
from __future__ import annotations

from datetime import datetime, timezone

from kapcourse.extensions import db
from kapcourse.models import ModuleVersion
from kapcourse.models.quiz import SUBMITTED, QuizAttempt
from kapcourse.models.vignette import COMPLETED, VignetteRun
from kapcourse.services import content, enrolment, evaluations, progress

BASE_URL = "http://kapcourse.test/"
ANSWERS = evaluations.EvaluationAnswers(objectives_met=5, relevance=4, free_of_bias=True,
                                        bias_comment="", practice_change="Check BP before dosing.")


def enrol(user, slug: str) -> ModuleVersion:
    """Enrol the learner and return the module version they study."""
    row = enrolment.enrol(user.id, slug)
    return db.session.get(ModuleVersion, row.module_version_id)


def finish_lessons(user, version: ModuleVersion) -> None:
    """Mark every lesson complete through the progress service."""
    row = enrolment.enrolment_for(user.id, version.slug)
    for lesson in content.module_payload(version.id)["lessons"]:
        progress.mark_lesson_complete(row, lesson["id"])


def finish_vignettes(user, version: ModuleVersion, now: datetime | None = None) -> None:
    """Record a completed run, at the expert score, for every vignette of the module."""
    now = now or datetime.now(timezone.utc)
    for v in content.module_payload(version.id).get("vignettes", []):
        db.session.add(VignetteRun(user_id=user.id, module_version_id=version.id,
                                   vignette_id=v["id"], current_node="end", state={},
                                   score=v["expert_score"], status=COMPLETED, completed_at=now))
    db.session.commit()


def pass_quiz(user, version: ModuleVersion, percent: int = 90, number: int = 1) -> None:
    """Record a graded, passed quiz attempt."""
    db.session.add(QuizAttempt(user_id=user.id, module_slug=version.slug, module_version_id=version.id,
                               number=number, seed=1, status=SUBMITTED,
                               submitted_at=datetime.now(timezone.utc),
                               score_hundredths=percent * 100, passed=percent >= 80))
    db.session.commit()


def complete_module(user, slug: str, evaluate: bool = True, percent: int = 90) -> ModuleVersion:
    """Everything a certificate needs: lessons, vignettes, quiz and (optionally) the evaluation."""
    version = enrol(user, slug)
    finish_lessons(user, version)
    finish_vignettes(user, version)
    pass_quiz(user, version, percent)
    if evaluate:
        evaluations.submit(user.id, version, ANSWERS)
    return version


def complete_new_version(user, slug: str) -> ModuleVersion:
    """Publish a new version of the module, move the learner onto it and complete it again."""
    from sqlalchemy import func, select

    from kapcourse.models import Enrolment

    old = db.session.scalar(select(ModuleVersion).where(ModuleVersion.slug == slug)
                            .order_by(ModuleVersion.version.desc()).limit(1))
    new = ModuleVersion(slug=slug, version=old.version + 1, content_hash="f" * 64,
                        title=old.title, payload=old.payload)
    db.session.add(new)
    db.session.flush()
    row = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.module_slug == slug))
    row.module_version_id = new.id
    attempts = db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id == user.id))
    db.session.commit()
    finish_lessons(user, new)
    finish_vignettes(user, new)
    pass_quiz(user, new, number=attempts + 1)
    evaluations.submit(user.id, new, ANSWERS)
    return new
