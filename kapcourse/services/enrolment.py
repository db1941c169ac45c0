"""Enrolment: one click for a module, or for a bundle (which enrols in each of its modules)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Enrolment
from . import content


class EnrolmentError(Exception):
    """The module or bundle cannot be enrolled in; the message is safe to show."""


def enrolment_for(user_id: int, slug: str) -> Enrolment | None:
    """The user's enrolment in a module, or None."""
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.module_slug == slug))


def enrolments_of(user_id: int) -> list[Enrolment]:
    """All of a user's enrolments, oldest first."""
    return list(db.session.scalars(select(Enrolment).where(Enrolment.user_id == user_id).order_by(Enrolment.id)))


def enrol(user_id: int, slug: str) -> Enrolment:
    """Enrol in a module on its current version; enrolling twice returns the first enrolment."""
    enrolment = _add_enrolment(user_id, slug, bundle_slug=None)
    db.session.commit()
    return enrolment


def enrol_bundle(user_id: int, bundle_slug: str) -> list[Enrolment]:
    """Enrol in every module of a bundle, in one transaction."""
    bundle = content.current_bundle(bundle_slug)
    if bundle is None:
        raise EnrolmentError("This bundle is not available.")
    enrolments = [_add_enrolment(user_id, slug, bundle_slug) for slug in bundle.payload["modules"]]
    db.session.commit()
    return enrolments


def _add_enrolment(user_id: int, slug: str, bundle_slug: str | None) -> Enrolment:
    existing = enrolment_for(user_id, slug)
    if existing is not None:
        if bundle_slug and not existing.bundle_slug:
            existing.bundle_slug = bundle_slug
        return existing
    version = content.current_module_version(slug)
    if version is None:
        raise EnrolmentError("This module is not available.")
    enrolment = Enrolment(user_id=user_id, module_slug=slug, module_version_id=version.id, bundle_slug=bundle_slug)
    try:
        with db.session.begin_nested():  # a double click may race us to the unique row
            db.session.add(enrolment)
    except IntegrityError:
        return enrolment_for(user_id, slug)
    return enrolment
