"""A learner's walk through a branching case vignette, pinned to one module version."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

IN_PROGRESS = "in_progress"
COMPLETED = "completed"


class VignetteRun(db.Model):
    """One attempt at a vignette: where the learner is, the variable state and the score so far."""

    __tablename__ = "vignette_runs"
    __table_args__ = (
        Index("ix_vignette_runs_learner", "user_id", "module_version_id", "vignette_id"),
        # One unfinished run per learner and case, so two racing "start" requests cannot both create one.
        Index("uq_vignette_runs_open", "user_id", "module_version_id", "vignette_id", unique=True,
              sqlite_where=text(f"status = '{IN_PROGRESS}'"), postgresql_where=text(f"status = '{IN_PROGRESS}'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    vignette_id: Mapped[str] = mapped_column(String(64))
    current_node: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float, default=0)
    status: Mapped[str] = mapped_column(String(16), default=IN_PROGRESS)
    # True after a choice until the learner has read its feedback and gone on; for an
    # unsafe choice, going on is the explicit acknowledgement of the debrief.
    awaiting_acknowledgement: Mapped[bool] = mapped_column(Boolean, default=False)
    # Exhibit ids opened at the current node; copied to the step when the learner leaves it.
    revealed: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    steps: Mapped[list["VignetteStep"]] = relationship(
        back_populates="run", order_by="VignetteStep.position", cascade="all, delete-orphan"
    )

    @property
    def path(self) -> list["VignetteStep"]:
        """The steps that stand (a step undone by 'back' is kept for analytics but not shown)."""
        return [step for step in self.steps if not step.undone]


class VignetteStep(db.Model):
    """One node left by the learner: the choice made there, what they looked at, and when."""

    __tablename__ = "vignette_steps"
    # One step per position: two racing submits of the same page cannot both record a move.
    __table_args__ = (Index("uq_vignette_steps_run_position", "run_id", "position", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("vignette_runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(64))
    choice_id: Mapped[str | None] = mapped_column(String(64))
    unsafe: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0)
    exhibits_revealed: Mapped[list[str]] = mapped_column(JSON, default=list)
    state_before: Mapped[dict[str, Any]] = mapped_column(JSON)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    run: Mapped[VignetteRun] = relationship(back_populates="steps")
