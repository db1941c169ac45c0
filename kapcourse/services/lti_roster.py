"""Names and Role Provisioning: the course roster with each learner's kapcourse progress."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..lti import claims as c
from ..lti.client import ServiceError, fetch_roster
from ..models.certificate import Certificate
from ..models.content import ModuleVersion
from ..models.learning import LessonCompletion
from ..models.lti import LtiIdentity, LtiLaunch, LtiRegistration, LtiScore
from ..models.base import utcnow
from .lti_grades import access_token
from .lti_identity import registration_urls
from .lti_registry import http_session


@dataclass(frozen=True)
class RosterRow:
    """One course member as the instructor sees them."""

    name: str
    email: str
    roles: list[str]
    status: str
    lessons_completed: int
    quiz_score: float | None
    certificate: str  # "issued", "revoked" or ""


def _lessons(user_id: int, slug: str) -> int:
    return db.session.scalar(select(func.count(LessonCompletion.id)).join(
        ModuleVersion, ModuleVersion.id == LessonCompletion.module_version_id).where(
        LessonCompletion.user_id == user_id, ModuleVersion.slug == slug)) or 0


def _score(user_id: int, registration_id: int) -> float | None:
    row = db.session.scalar(select(LtiScore).where(
        LtiScore.user_id == user_id, LtiScore.registration_id == registration_id)
        .order_by(LtiScore.id.desc()).limit(1))
    return row.payload.get("scoreGiven") if row else None


def _certificate(user_id: int, slug: str) -> str:
    cert = db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.subject_slug == slug)
        .order_by(Certificate.id.desc()).limit(1))
    if cert is None:
        return ""
    return "revoked" if cert.revoked_at else "issued"


def _row(member: dict, launch: LtiLaunch, deployment_id: str) -> RosterRow:
    identity = db.session.scalar(select(LtiIdentity).where(
        LtiIdentity.registration_id == launch.registration_id,
        LtiIdentity.deployment_id == deployment_id,
        LtiIdentity.sub == str(member.get("user_id", ""))))
    user_id = identity.user_id if identity else None
    slug = launch.module_slug
    roles = [str(r).rsplit("#", 1)[-1] for r in member.get("roles") or []]
    return RosterRow(
        name=str(member.get("name") or " ".join(
            str(member.get(k, "")) for k in ("given_name", "family_name")).strip()),
        email=str(member.get("email") or ""), roles=roles,
        status=str(member.get("status") or "Active"),
        lessons_completed=_lessons(user_id, slug) if user_id and slug else 0,
        quiz_score=_score(user_id, launch.registration_id) if user_id else None,
        certificate=_certificate(user_id, slug) if user_id and slug else "")


def instructor_launch(user_id: int, launch_id: int | None) -> LtiLaunch | None:
    """The session's launch when it belongs to this user and carries a non-learner role."""
    launch = db.session.get(LtiLaunch, launch_id or 0)
    if launch is None or launch.user_id != user_id or launch.role == "learner":
        return None
    return launch


def roster(launch: LtiLaunch, now: datetime | None = None) -> list[RosterRow]:
    """Every member of the launch's context (all rel=next pages) with their progress."""
    if not launch.memberships_url:
        raise ServiceError("the platform did not offer a roster for this course", retryable=False)
    registration = db.session.get(LtiRegistration, launch.registration_id)
    token = access_token(registration, c.SCOPE_NRPS, now or utcnow())
    members = fetch_roster(http_session(), token, launch.memberships_url,
                           registration_urls(registration))
    deployment = db.session.get(LtiIdentity, launch.identity_id).deployment_id
    return sorted((_row(m, launch, deployment) for m in members), key=lambda r: r.name.lower())
