"""Quiz attempts and the items drawn for them, each a frozen copy of the question as graded."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
# Fixed precision without floats: a percentage is stored in hundredths (8000 = 80.00 %),
# an item's score in [0, 1] in millionths; both rounded down from the exact fraction.
PERCENT_SCALE = 100
ITEM_SCALE = 1_000_000


class QuizAttempt(db.Model):
    """One try at a module's quiz, pinned to the module version it was drawn from."""

    __tablename__ = "quiz_attempts"
    # The number is unique per learner and module, so two racing starts cannot both create one.
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(64))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    number: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default=IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score_hundredths: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    graded_at_deadline: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def score(self) -> Decimal | None:
        """The score as a percentage with two places, or None before grading."""
        if self.score_hundredths is None:
            return None
        return Decimal(self.score_hundredths) / PERCENT_SCALE

    @property
    def submitted(self) -> bool:
        """True once graded (by the learner or at the deadline)."""
        return self.status == SUBMITTED


class AttemptItem(db.Model):
    """One drawn question of an attempt: its copy as shown (with key), the response and its score."""

    __tablename__ = "quiz_attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"), UniqueConstraint("attempt_id", "question_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(64))
    objective: Mapped[str] = mapped_column(String(64))
    question: Mapped[dict[str, Any]] = mapped_column(JSON)
    response: Mapped[Any | None] = mapped_column(JSON)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score_millionths: Mapped[int | None] = mapped_column(Integer)

    @property
    def score(self) -> Decimal | None:
        """The item score in [0, 1] (rounded down to 6 places), or None before grading."""
        if self.score_millionths is None:
            return None
        return Decimal(self.score_millionths) / ITEM_SCALE
