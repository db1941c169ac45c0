"""Branching case vignettes: the condition language, the graph walker and validation."""
from .conditions import ConditionError, evaluate, holds, parse
from .graph import (
    ExpertPath, Move, PathStep, WalkError, advance, expert_path, initial_state, node, score_percent,
    variable_types,
)
from .validation import lint_vignette, validate_vignette

__all__ = [
    "ConditionError", "ExpertPath", "Move", "PathStep", "WalkError", "advance", "evaluate",
    "expert_path", "holds", "initial_state", "lint_vignette", "node", "parse", "score_percent",
    "validate_vignette",
    "variable_types",
]
