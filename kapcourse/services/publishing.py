"""Publish the content tree: a new immutable version only for what changed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ..content.tree import ContentTree, load_tree
from ..extensions import db
from ..models import BundleVersion, ModuleVersion


@dataclass
class PublishResult:
    """What a publish did: the tree it read, and which slugs got a new version."""

    tree: ContentTree
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def publish_tree(root: Path | str) -> PublishResult:
    """Validate the whole tree; when it is clean, store new versions of changed modules and bundles."""
    tree = load_tree(root)
    result = PublishResult(tree=tree)
    if not tree.ok:
        return result
    for slug, payload in tree.modules.items():
        _store(ModuleVersion, slug, payload, result)
    for slug, payload in tree.bundles.items():
        _store(BundleVersion, slug, payload, result)
    db.session.commit()
    return result


def _store(model, slug: str, payload: dict, result: PublishResult) -> None:
    latest = db.session.scalars(
        select(model).where(model.slug == slug).order_by(model.version.desc()).limit(1)
    ).first()
    if latest is not None and latest.content_hash == payload["content_hash"]:
        result.unchanged.append(slug)
        return
    number = (db.session.scalar(select(func.max(model.version)).where(model.slug == slug)) or 0) + 1
    db.session.add(model(slug=slug, version=number, content_hash=payload["content_hash"],
                         title=payload["title"], payload=payload))
    result.published.append(slug)
