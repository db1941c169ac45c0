"""Published content: immutable module and bundle versions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class PublishedVersion:
    """Columns of a published snapshot. Rows are never updated: a change is a new version."""

    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModuleVersion(PublishedVersion, db.Model):
    """One published snapshot of a module: compiled lessons, vignettes and questions."""

    __tablename__ = "module_versions"


class BundleVersion(PublishedVersion, db.Model):
    """One published snapshot of a bundle definition (which modules, title, credit)."""

    __tablename__ = "bundle_versions"
