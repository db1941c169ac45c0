"""Lesson progress: mark complete, resume where the learner left off, progress per module."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Enrolment, LessonCompletion


@dataclass(frozen=True)
class LessonProgress:
    """Which lessons of a module version a learner has completed."""

    completed: frozenset[str]
    total: int

    @property
    def done(self) -> int:
        """Number of completed lessons."""
        return len(self.completed)

    @property
    def percent(self) -> int:
        """Completed share, rounded down to a whole percent."""
        return (100 * self.done // self.total) if self.total else 0


def completed_lessons(user_id: int, module_version_id: int) -> frozenset[str]:
    """Ids of the lessons this learner completed on this module version."""
    rows = db.session.scalars(
        select(LessonCompletion.lesson_id).where(
            LessonCompletion.user_id == user_id, LessonCompletion.module_version_id == module_version_id
        )
    )
    return frozenset(rows)


def lesson_progress(user_id: int, module_version_id: int, lesson_ids: list[str]) -> LessonProgress:
    """Progress over the given lessons (the module's, in order)."""
    done = completed_lessons(user_id, module_version_id) & set(lesson_ids)
    return LessonProgress(completed=frozenset(done), total=len(lesson_ids))


def mark_lesson_complete(enrolment: Enrolment, lesson_id: str) -> None:
    """Record a completed lesson once; marking it again changes nothing."""
    completion = LessonCompletion(
        user_id=enrolment.user_id, module_version_id=enrolment.module_version_id, lesson_id=lesson_id
    )
    enrolment.last_lesson_id = lesson_id
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        pass  # already complete: idempotent by the unique constraint
    db.session.commit()


def record_visit(enrolment: Enrolment, lesson_id: str) -> None:
    """Remember the last lesson opened, so the learner resumes there (writes only on change)."""
    if enrolment.last_lesson_id != lesson_id:
        enrolment.last_lesson_id = lesson_id
        db.session.commit()
