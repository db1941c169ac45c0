"""LTI 1.3: platform registrations, tool keys, login states, identities, launches and the score outbox."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class LtiRegistration(db.Model):
    """A platform the tool trusts, keyed by (issuer, client_id): Canvas shares one issuer."""

    __tablename__ = "lti_registrations"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(1000))
    token_url: Mapped[str] = mapped_column(String(1000))
    jwks_url: Mapped[str] = mapped_column(String(1000))
    # D2L names a separate OAuth audience; empty means the token URL.
    token_audience: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    deployments: Mapped[list["LtiDeployment"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="LtiDeployment.id"
    )

    @property
    def deployment_ids(self) -> frozenset[str]:
        """The deployment ids known for this registration."""
        return frozenset(d.deployment_id for d in self.deployments)


class LtiDeployment(db.Model):
    """One deployment (an install in a course, sub-account or institution) of a registration."""

    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("registration_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), index=True
    )
    deployment_id: Mapped[str] = mapped_column(String(255))
    registration: Mapped[LtiRegistration] = relationship(back_populates="deployments")


class LtiToolKey(db.Model):
    """A tool RSA key pair; status is next, current or previous (kept during the overlap)."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(100), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LtiPlatformKeySet(db.Model):
    """A cached copy of a platform's JWKS, shared by every app server."""

    __tablename__ = "lti_platform_key_sets"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), primary_key=True
    )
    jwks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Refetches on an unknown kid are rate-limited from this time.
    last_refetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LtiLoginState(db.Model):
    """One OIDC login: state and nonce, each usable once, and what the launch must match."""

    __tablename__ = "lti_login_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), index=True
    )
    target_link_uri: Mapped[str] = mapped_column(String(1000))
    # The login parameters, so "open in a new window" can start the same launch again.
    login_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    storage_target: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LtiIdentity(db.Model):
    """A platform person (issuer, client_id via registration, deployment, sub) -> a kapcourse user."""

    __tablename__ = "lti_identities"
    __table_args__ = (UniqueConstraint("registration_id", "deployment_id", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), index=True
    )
    deployment_id: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LtiLaunch(db.Model):
    """The latest launch of one identity from one resource link: role and service endpoints."""

    __tablename__ = "lti_launches"
    __table_args__ = (UniqueConstraint("identity_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(
        ForeignKey("lti_identities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), index=True
    )
    resource_link_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255), default="")
    context_title: Mapped[str] = mapped_column(String(300), default="")
    module_slug: Mapped[str] = mapped_column(String(64), default="", index=True)
    role: Mapped[str] = mapped_column(String(16), default="learner")
    lineitem_url: Mapped[str | None] = mapped_column(String(1000))
    ags_scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    memberships_url: Mapped[str | None] = mapped_column(String(1000))
    launched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LtiScore(db.Model):
    """The score outbox: one row per graded attempt to send, with its delivery outcome."""

    __tablename__ = "lti_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lineitem_url: Mapped[str] = mapped_column(String(1000))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A sender holds a row until this time so two senders never post it at once.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LtiAccessToken(db.Model):
    """A platform access token cached per registration and scope set; never shared across them."""

    __tablename__ = "lti_access_tokens"
    __table_args__ = (UniqueConstraint("registration_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("lti_registrations.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(1000))
    token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
