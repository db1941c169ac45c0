"""Item-writing lint for question banks: the flaws a clinical item writer is taught to avoid."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .yamlio import line_of

MIN_ITEMS_PER_OBJECTIVE = 3
LONG_KEY_RATIO = 1.75
LONG_KEY_EXTRA_CHARS = 40
_ALL_NONE = re.compile(r"\b(all|none)\s+of\s+the\s+above\b", re.IGNORECASE)
_NEGATIVE = re.compile(r"\b(not|except)\b|\b\w+n't\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.?!]+[.?!]?")

Loc = tuple


def lint_objectives(objectives: list[dict[str, Any]], questions: list[dict[str, Any]]) -> list[tuple[Loc, str]]:
    """Objectives assessed by fewer than three questions (located in module.yaml)."""
    found = []
    for index, objective in enumerate(objectives):
        count = sum(1 for q in questions if q.get("objective") == objective["id"])
        if count < MIN_ITEMS_PER_OBJECTIVE:
            found.append((("objectives", index, "id"), f"objective '{objective['id']}' is assessed by {count} "
                          f"question{'s' if count != 1 else ''}; at least {MIN_ITEMS_PER_OBJECTIVE} are needed"))
    return found


def lint_questions(questions: list[dict[str, Any]]) -> list[tuple[Loc, str]]:
    """Item-writing flaws in a bank's questions (located in the bank file)."""
    found: list[tuple[Loc, str]] = []
    for index, q in enumerate(questions):
        loc = ("questions", index)
        found += [(loc + where, message) for where, message in _lint_question(q)]
    return found


def _lint_question(q: dict[str, Any]) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    if not str(q.get("rationale", "")).strip():
        found.append((("rationale",), "question has no rationale"))
    if not q.get("references"):
        found.append((("references",), "question has no reference"))
    negative = _negative_word(question_sentence(str(q.get("stem", ""))))
    if negative:
        found.append((("stem",), f"negative stem uses '{negative}'; write NOT or EXCEPT in capitals, "
                                 "or ask the question positively"))
    for j, option in enumerate(q.get("options") or []):
        match = _ALL_NONE.search(str(option.get("text", "")))
        if match:
            found.append((("options", j, "text"), f"avoid '{' '.join(match.group(0).lower().split())}' as an option"))
    return found + _long_key(q)


def question_sentence(stem: str) -> str:
    """The sentence that asks the question: the last one with a '?', else the last sentence."""
    sentences = [s.strip() for s in _SENTENCE.findall(" ".join(stem.split())) if s.strip()]
    asking = [s for s in sentences if s.endswith("?")]
    return (asking or sentences or [""])[-1]


def _negative_word(sentence: str) -> str | None:
    for match in _NEGATIVE.finditer(sentence):
        if match.group(0) not in ("NOT", "EXCEPT"):
            return match.group(0)
    return None


def _long_key(q: dict[str, Any]) -> list[tuple[Loc, str]]:
    """A keyed option that stands out by length cues the answer."""
    if q.get("type") not in ("single", "multiple"):
        return []
    keys = set(q["key"] if isinstance(q.get("key"), list) else [q.get("key")])
    options = q.get("options") or []
    distractors = [len(str(o.get("text", ""))) for o in options if o.get("id") not in keys]
    if not distractors:
        return []
    mean = sum(distractors) / len(distractors)
    found = []
    for j, option in enumerate(options):
        length = len(str(option.get("text", "")))
        if option.get("id") in keys and length > LONG_KEY_RATIO * mean and length > mean + LONG_KEY_EXTRA_CHARS:
            found.append((("options", j, "text"), f"keyed option '{option['id']}' is much longer than the "
                          f"distractors ({length} vs a mean of {mean:.0f} characters)"))
    return found


def report_item_lint(reader, module_dir: Path, payload: dict[str, Any]) -> None:
    """Run the item-writing lint on a compiled module and report `path:line: message`."""
    module_path = module_dir / "module.yaml"
    bank_path = reader.root / "question_banks" / f"{module_dir.name}.yaml"
    objective_problems = lint_objectives(payload["objectives"], payload["questions"])
    question_problems = lint_questions(payload["questions"])
    if objective_problems:
        module_raw = reader.read_yaml(module_path)
        for loc, message in objective_problems:
            reader.problem(module_path, line_of(module_raw, loc), message)
    if question_problems:
        bank_raw = reader.read_yaml(bank_path)
        for loc, message in question_problems:
            reader.problem(bank_path, line_of(bank_raw, loc), message)
