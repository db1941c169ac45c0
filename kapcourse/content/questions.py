"""Compile a question bank: each question validated by its type in the domain registry."""
from __future__ import annotations

from typing import Any

from ..domain.questions import validate_question
from . import markdown

Loc = tuple
# Lists of entries whose `text` is shown inline and whose `why` is shown at review time.
ENTRY_LISTS = ("options", "items", "premises", "choices")


def compile_bank(raw: dict[str, Any], objective_ids: set[str] | None) -> tuple[list[dict], list[tuple[Loc, str]]]:
    """Validate every question of a bank and render its Markdown; return (questions, problems)."""
    problems: list[tuple[Loc, str]] = []
    items = raw.get("questions")
    if not isinstance(items, list) or not items:
        return [], [(("questions",), "a bank needs a non-empty 'questions' list")]
    compiled, seen = [], set()
    for index, item in enumerate(items):
        loc = ("questions", index)
        item_problems = [(loc + tuple(where), message) for where, message in validate_question(item)]
        item_problems += _check_bank_level(item, loc, objective_ids, seen)
        problems.extend(item_problems)
        if not item_problems:
            compiled.append(compile_question(item))
    return compiled, problems


def _check_bank_level(item: Any, loc: Loc, objective_ids, seen: set[str]) -> list[tuple[Loc, str]]:
    """What a question alone cannot know: duplicate ids in the bank, the module's objectives."""
    if not isinstance(item, dict):
        return []
    found = []
    qid = item.get("id")
    if isinstance(qid, str) and qid in seen:
        found.append((loc + ("id",), f"duplicate question id '{qid}'"))
    if isinstance(qid, str):
        seen.add(qid)
    objective = item.get("objective")
    if objective_ids is not None and "objective" in item and \
            (not isinstance(objective, str) or objective not in objective_ids):
        found.append((loc + ("objective",), f"unknown objective '{item['objective']}'"))
    return found


def compile_question(item: dict[str, Any]) -> dict[str, Any]:
    """A question as stored in a module version: source fields plus rendered HTML."""
    from .yamlio import plain

    question = plain(item)
    question.setdefault("tags", [])
    question.setdefault("difficulty", "medium")
    question.setdefault("safety_critical", False)
    question["stem_html"] = markdown.render(question["stem"])
    question["rationale_html"] = markdown.render(question["rationale"])
    for name in ENTRY_LISTS:
        for entry in question.get(name, []):
            entry["text_html"] = markdown.render_inline(str(entry.get("text", "")))
            if "why" in entry:
                entry["why_html"] = markdown.render_inline(str(entry["why"]))
    if "why_wrong" in question:
        question["why_wrong_html"] = markdown.render(str(question["why_wrong"]))
    for error in question.get("common_errors") or []:
        error["why_html"] = markdown.render_inline(str(error.get("why", "")))
    return question
