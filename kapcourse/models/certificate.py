"""Issued certificates (immutable snapshots) and the post-activity course evaluations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, event,
    inspect, text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.certificates import Status, status_of
from ..extensions import db
from .base import UTCDateTime, utcnow

# The only columns that may change after issue: everything else is the printed record.
MUTABLE_COLUMNS = frozenset({"superseded_by_id", "revoked_at", "revoked_reason", "revoked_by_id"})
VALID_WHERE = "kind = '{kind}' AND revoked_at IS NULL AND superseded_by_id IS NULL"


class Certificate(db.Model):
    """What was printed on one certificate, its PDF and hash, and its current status."""

    __tablename__ = "certificates"
    # One valid certificate per learner and version, so two racing requests cannot both issue.
    __table_args__ = tuple(
        Index(f"uq_certificates_valid_{kind}", "user_id", f"{kind}_version_id", unique=True,
              sqlite_where=text(VALID_WHERE.format(kind=kind)), postgresql_where=text(VALID_WHERE.format(kind=kind)))
        for kind in ("module", "bundle"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "module" or "bundle"
    subject_slug: Mapped[str] = mapped_column(String(64))
    module_version_id: Mapped[int | None] = mapped_column(ForeignKey("module_versions.id"))
    bundle_version_id: Mapped[int | None] = mapped_column(ForeignKey("bundle_versions.id"))
    subject_title: Mapped[str] = mapped_column(String(200))
    subject_version: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(100))
    learner_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    profession: Mapped[str] = mapped_column(String(100), default="")
    licence_number: Mapped[str] = mapped_column(String(100), default="")
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    score: Mapped[float | None] = mapped_column(Float)
    credit_hours: Mapped[float | None] = mapped_column(Float)
    credit_designation: Mapped[str] = mapped_column(String(300), default="")
    organisation: Mapped[str] = mapped_column(String(200))
    accreditation_statement: Mapped[str] = mapped_column(Text, default="")
    verify_url: Mapped[str] = mapped_column(String(300))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def status(self) -> Status:
        """Valid, superseded or revoked."""
        return status_of(self.revoked_at, self.superseded_by_id)


@event.listens_for(Certificate, "before_update")
def _refuse_snapshot_changes(mapper, connection, target: Certificate) -> None:
    """A certificate is a record of what was printed: only its status fields may change."""
    state = inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    if changed - MUTABLE_COLUMNS:
        raise ValueError(f"certificate snapshot is immutable: {sorted(changed - MUTABLE_COLUMNS)}")


class CourseEvaluation(db.Model):
    """A learner's post-activity evaluation of one module version (required for a certificate)."""

    __tablename__ = "course_evaluations"
    __table_args__ = (UniqueConstraint("user_id", "module_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(64), index=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    objectives_met: Mapped[int] = mapped_column(Integer)  # 1 (not at all) .. 5 (fully)
    relevance: Mapped[int] = mapped_column(Integer)  # 1 (not relevant) .. 5 (highly)
    free_of_bias: Mapped[bool] = mapped_column(Boolean)
    bias_comment: Mapped[str] = mapped_column(Text, default="")
    practice_change: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
