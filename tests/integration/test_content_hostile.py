"""Hostile content files: wrong types, nulls, infinities and deep nesting are reported as
`path:line: message` problems; the validator never raises."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from kapcourse.content.tree import load_tree

BASE = Path(__file__).resolve().parent.parent / "fixtures" / "content"
BANK = "question_banks/alpha-module.yaml"
CASE = "modules/alpha-module/vignettes/alpha-case.yaml"
PROBLEM = re.compile(r"^[\w./-]+:\d+: .+$")

# (file, path to the value to replace, hostile value); each once crashed the validator.
MUTATIONS = [
    (BANK, ("questions", 0, "options", 0, "id"), []),
    (BANK, ("questions", 0, "id"), ["x"]),
    (BANK, ("questions", 0, "id"), {"a": 1}),
    (BANK, ("questions", 0, "type"), []),
    (BANK, ("questions", 0, "objective"), ["alpha-dosing"]),
    (BANK, ("questions", 5, "key"), {"high-bp": [None], "psychosis": "exclude"}),
    (BANK, ("questions",), 7),
    (BANK, ("questions", 1, "answer"), float("inf")),
    (BANK, ("questions", 1, "answer"), float("nan")),
    (BANK, ("questions", 1, "tolerance"), {"absolute": float("inf")}),
    (BANK, ("questions", 1, "common_errors", 0, "value"), float("-inf")),
    (CASE, ("nodes", "intro", "type"), []),
    (CASE, ("objectives",), [["alpha-dosing"]]),
    (CASE, ("start",), []),
]


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _mutated_tree(tmp_path: Path, rel: str, text: str) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(BASE, root)
    (root / rel).write_text(text, encoding="utf-8")
    return root


def _assert_reported(root: Path, rel: str):
    tree = load_tree(root)
    assert tree.problems, "a hostile file must be reported"
    assert all(PROBLEM.match(str(p)) for p in tree.problems)
    assert any(str(p).startswith(rel + ":") for p in tree.problems)
    assert "alpha-module" not in tree.modules


@pytest.mark.parametrize("rel, path, value", MUTATIONS, ids=[f"{r.split('/')[-1]}:{'.'.join(map(str, p))}={v!r}"
                                                             for r, p, v in MUTATIONS])
def test_wrong_types_are_problems_not_crashes(tmp_path, rel, path, value):
    data = yaml.safe_load((BASE / rel).read_text(encoding="utf-8"))
    _set(data, path, value)
    _assert_reported(_mutated_tree(tmp_path, rel, yaml.safe_dump(data, sort_keys=False)), rel)


def test_a_null_patient_panel_means_no_panel(tmp_path):
    """`patient: null` passed validation and then crashed compilation; it now means no panel."""
    data = yaml.safe_load((BASE / CASE).read_text(encoding="utf-8"))
    data["nodes"]["intro"]["patient"] = None
    tree = load_tree(_mutated_tree(tmp_path, CASE, yaml.safe_dump(data, sort_keys=False)))
    assert tree.problems == []
    case = tree.modules["alpha-module"]["vignettes"][0]
    assert "patient" not in case["nodes"]["intro"]


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000,
                                  "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80))],
                         ids=["deep-list", "deep-map", "deep-block"])
def test_deep_nesting_is_a_problem_not_a_crash(tmp_path, text):
    _assert_reported(_mutated_tree(tmp_path, BANK, text), BANK)
