"""Accounts: learners, authors and administrators."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Role(str, enum.Enum):
    """What a user may do: learners study, authors see content tools, admins manage."""

    LEARNER = "learner"
    AUTHOR = "author"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A person with an account; the profile fields go on certificates."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    credentials: Mapped[str] = mapped_column(String(100), default="")
    profession: Mapped[str] = mapped_column(String(100), default="")
    licence_number: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", values_callable=lambda e: [m.value for m in e]),
        default=Role.LEARNER,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped when the password changes so outstanding reset links stop working.
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.role == Role.ADMIN

    @property
    def is_author(self) -> bool:
        """True for authors and administrators."""
        return self.role in (Role.AUTHOR, Role.ADMIN)

    @property
    def profile_complete(self) -> bool:
        """A certificate needs at least a full name."""
        return bool(self.full_name.strip())
