"""A learner's enrolments and lesson progress, pinned to the module version they study."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Enrolment(db.Model):
    """A learner studying one module, on the version current when they enrolled."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(64))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    bundle_slug: Mapped[str | None] = mapped_column(String(64))
    last_lesson_id: Mapped[str | None] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LessonCompletion(db.Model):
    """A lesson marked complete by a learner, on one module version."""

    __tablename__ = "lesson_completions"
    __table_args__ = (UniqueConstraint("user_id", "module_version_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    lesson_id: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
