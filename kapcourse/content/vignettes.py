"""Compile a vignette file into its published form; the graph rules live in the domain layer."""
from __future__ import annotations

from typing import Any

from ..domain.vignettes import expert_path, lint_vignette, validate_vignette
from . import markdown
from .yamlio import plain

Loc = tuple


def compile_vignette(raw: dict[str, Any], vignette_id: str, objective_ids: set[str] | None):
    """Return (compiled vignette or None, problems as (loc, message)); Markdown rendered once here."""
    problems: list[tuple[Loc, str]] = list(validate_vignette(raw, objective_ids))
    if not problems:
        problems += lint_vignette(raw)
    if problems:
        return None, problems
    compiled = plain(raw)
    compiled["id"] = vignette_id
    compiled.setdefault("summary", "")
    compiled.setdefault("objectives", [])
    compiled.setdefault("allow_back", False)
    compiled.setdefault("variables", {})
    compiled["summary_html"] = markdown.render_inline(compiled["summary"])
    for node in compiled["nodes"].values():
        _render_node(node)
    path = expert_path(compiled)
    compiled["expert_path"] = [{"node": s.node_id, "choice": s.choice_id} for s in path.steps]
    compiled["expert_score"] = path.score
    compiled["decision_count"] = sum(1 for n in compiled["nodes"].values() if n["type"] == "decision")
    return compiled, problems


def _render_node(node: dict[str, Any]) -> None:
    node.setdefault("title", "")
    for key in ("text", "debrief"):
        if key in node:
            node[key + "_html"] = markdown.render(node[key])
    if node.get("patient") is None:
        node.pop("patient", None)
    else:
        node["patient"] = {str(k): str(v) for k, v in node["patient"].items()}
    for exhibit in node.get("exhibits", []):
        exhibit["content_html"] = markdown.render(exhibit["content"])
    for choice in node.get("choices", []):
        choice["text_html"] = markdown.render_inline(choice["text"])
        choice["feedback_html"] = markdown.render(choice["feedback"])
        choice.setdefault("unsafe", False)
        choice.setdefault("expert", False)
    if "teaching_points" in node:
        node["teaching_points_html"] = [markdown.render_inline(p) for p in node["teaching_points"]]
        node["references_html"] = [markdown.render_inline(r) for r in node["references"]]
