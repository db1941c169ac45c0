"""Content validation: the good fixture tree passes; each broken file gives its path:line message
and publishes nothing."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kapcourse.content.tree import load_tree
from kapcourse.extensions import db
from kapcourse.models import ModuleVersion
from kapcourse.services.publishing import publish_tree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BASE = FIXTURES / "content"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def build_broken_tree(case: Path, target: Path) -> Path:
    """Copy the good tree, overlay the case's files and delete what delete.txt lists."""
    shutil.copytree(BASE, target)
    for file in case.rglob("*"):
        if file.is_file() and file.name not in ("expect.txt", "delete.txt"):
            dest = target / file.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, dest)
    deletions = case / "delete.txt"
    for rel in deletions.read_text().split() if deletions.exists() else []:
        (target / rel).unlink()
    return target


def test_the_good_fixture_tree_has_no_problems():
    tree = load_tree(BASE)
    assert tree.problems == []
    assert tree.counts == {"modules": 2, "lessons": 3, "vignettes": 1, "questions": 9}


def test_the_corpus_is_large_enough():
    assert len(BROKEN) >= 15


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_broken_file_reports_path_line_message(case, tmp_path):
    tree = load_tree(build_broken_tree(case, tmp_path / "tree"))
    expected = (case / "expect.txt").read_text().splitlines()
    assert expected, "each case states the problems it must produce"
    assert sorted(str(p) for p in tree.problems) == sorted(expected)


@pytest.mark.parametrize("case", BROKEN[:6], ids=[c.name for c in BROKEN[:6]])
def test_broken_tree_publishes_nothing_and_keeps_last_good_version(app, case, tmp_path):
    assert publish_tree(BASE).tree.ok
    before = db.session.scalar(select(func.count(ModuleVersion.id)))
    result = publish_tree(build_broken_tree(case, tmp_path / "tree"))
    assert not result.tree.ok and result.published == []
    assert db.session.scalar(select(func.count(ModuleVersion.id))) == before


def test_validate_cli_prints_problems_and_exits_1(runner, tmp_path):
    root = build_broken_tree(FIXTURES / "broken" / "unknown-module-field", tmp_path / "tree")
    result = runner.invoke(args=["content", "validate", str(root)])
    assert result.exit_code == 1
    assert "modules/alpha-module/module.yaml:11: colour: unknown field" in result.output


def test_validate_cli_json_counts(runner):
    result = runner.invoke(args=["content", "validate", "--json", str(BASE)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data == {"modules": 2, "lessons": 3, "vignettes": 1, "questions": 9, "errors": []}


def test_one_broken_module_does_not_hide_problems_in_another(tmp_path):
    root = build_broken_tree(FIXTURES / "broken" / "malformed-module-yaml", tmp_path / "tree")
    (root / "modules/beta-module/lessons/only-lesson.md").write_text("no front matter\n")
    paths = {p.path for p in load_tree(root).problems}
    assert paths == {"modules/alpha-module/module.yaml", "modules/beta-module/lessons/only-lesson.md"}
