"""Read published content: current versions, and immutable payloads cached by version id."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import BundleVersion, ModuleVersion


def current_module_versions() -> dict[str, ModuleVersion]:
    """The newest version of every published module, by slug."""
    newest = (
        select(ModuleVersion.slug, func.max(ModuleVersion.version).label("version"))
        .group_by(ModuleVersion.slug)
        .subquery()
    )
    rows = db.session.scalars(
        select(ModuleVersion).join(
            newest, (ModuleVersion.slug == newest.c.slug) & (ModuleVersion.version == newest.c.version)
        )
    )
    return {row.slug: row for row in rows}


def current_module_version(slug: str) -> ModuleVersion | None:
    """The newest published version of one module, or None."""
    return db.session.scalars(
        select(ModuleVersion).where(ModuleVersion.slug == slug).order_by(ModuleVersion.version.desc()).limit(1)
    ).first()


def current_bundles() -> dict[str, BundleVersion]:
    """The newest version of every published bundle, by slug."""
    rows = db.session.scalars(select(BundleVersion).order_by(BundleVersion.slug, BundleVersion.version))
    return {row.slug: row for row in rows}


def current_bundle(slug: str) -> BundleVersion | None:
    """The newest published version of one bundle, or None."""
    return current_bundles().get(slug)


def module_payload(version_id: int) -> dict[str, Any]:
    """The compiled content of a module version. Versions never change, so caching is safe."""
    return _cached_payload(db.engine.url.render_as_string(), version_id)


@lru_cache(maxsize=64)
def _cached_payload(_engine_key: str, version_id: int) -> dict[str, Any]:
    payload = db.session.scalar(select(ModuleVersion.payload).where(ModuleVersion.id == version_id))
    if payload is None:
        raise LookupError(f"no module version {version_id}")
    return payload


def lesson_index(payload: dict[str, Any], lesson_id: str) -> int | None:
    """Position of a lesson in its module, or None when it does not exist."""
    for index, lesson in enumerate(payload["lessons"]):
        if lesson["id"] == lesson_id:
            return index
    return None
