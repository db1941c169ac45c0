"""Checks a clinical editor wants beyond the schema (blueprint feasibility, item-writing lint)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .yamlio import line_of


def check_blueprint(reader, path: Path, data: Any, payload: dict[str, Any]) -> None:
    """Each blueprint row must be satisfiable from the bank, rows drawn in order."""
    questions = payload["questions"]
    used: set[str] = set()
    for index, row in enumerate(payload["quiz"]["blueprint"]):
        if row.get("objective"):
            pool = [q["id"] for q in questions if q["objective"] == row["objective"]]
            what = f"objective '{row['objective']}'"
            if row["objective"] not in {o["id"] for o in payload["objectives"]}:
                reader.problem(path, line_of(data, ["quiz", "blueprint", index]), f"unknown {what}")
                continue
        else:
            pool = [q["id"] for q in questions if row["tag"] in q.get("tags", [])]
            what = f"tag '{row['tag']}'"
        available = [qid for qid in pool if qid not in used]
        if len(available) < row["count"]:
            reader.problem(path, line_of(data, ["quiz", "blueprint", index, "count"]),
                           f"blueprint asks for {row['count']} items for {what} but the bank has {len(available)} left")
        used.update(available[: row["count"]])


def lint_module(reader, module_dir: Path, payload: dict[str, Any]) -> None:
    """Item-writing and authoring lint; filled in by the content-lint rules."""
    for lesson in payload["lessons"]:
        if not lesson["has_references"]:
            reader.problem(module_dir / "lessons" / f"{lesson['id']}.md", 1, "lesson has no '## References' section")
    from .item_lint import report_item_lint

    report_item_lint(reader, module_dir, payload)
