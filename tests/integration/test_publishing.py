"""Publishing: immutable versions, new only when the content hash changes."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from kapcourse.extensions import db
from kapcourse.models import BundleVersion, ModuleVersion
from kapcourse.services.publishing import publish_tree

BASE = Path(__file__).resolve().parent.parent / "fixtures" / "content"


def versions(slug):
    return list(db.session.scalars(select(ModuleVersion).where(ModuleVersion.slug == slug).order_by(ModuleVersion.version)))


def test_publish_twice_creates_one_version(app):
    first = publish_tree(BASE)
    assert sorted(first.published) == ["alpha-beta-bundle", "alpha-module", "beta-module"]
    second = publish_tree(BASE)
    assert second.published == []
    assert sorted(second.unchanged) == ["alpha-beta-bundle", "alpha-module", "beta-module"]
    assert [v.version for v in versions("alpha-module")] == [1]
    assert len(db.session.scalars(select(BundleVersion)).all()) == 1


def test_changed_module_gets_new_version_and_old_stays(app, tmp_path):
    publish_tree(BASE)
    root = tmp_path / "tree"
    shutil.copytree(BASE, root)
    lesson = root / "modules/alpha-module/lessons/second-lesson.md"
    lesson.write_text(lesson.read_text().replace("Check the blood pressure", "Always check the blood pressure"))
    result = publish_tree(root)
    assert result.published == ["alpha-module"]
    old, new = versions("alpha-module")
    assert (old.version, new.version) == (1, 2)
    assert old.content_hash != new.content_hash
    assert "Always check" not in str(old.payload) and "Always check" in str(new.payload)


def test_publish_cli_reports_and_is_idempotent(runner):
    first = runner.invoke(args=["content", "publish", str(BASE)])
    assert first.exit_code == 0 and "published alpha-module" in first.output
    second = runner.invoke(args=["content", "publish", str(BASE)])
    assert "unchanged alpha-module" in second.output and "published" not in second.output
