"""Walking a vignette graph: choices, variable effects, conditional edges, the expert path.

A vignette here is the plain mapping of docs/content-format.md (as loaded or as
compiled); nothing in this module touches a database or the clock.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import ConditionError, holds

State = dict[str, Any]
DEFAULTS = {"bool": False, "number": 0}


class WalkError(ValueError):
    """A move that the vignette does not allow (unknown node or choice, a finished run)."""


@dataclass(frozen=True)
class Move:
    """The outcome of one step: where the learner goes, the new state and what it scored."""

    node_id: str
    state: State
    score: float = 0
    choice: Mapping[str, Any] | None = None

    @property
    def unsafe(self) -> bool:
        """True when the choice taken was marked unsafe."""
        return bool(self.choice and self.choice.get("unsafe"))


@dataclass(frozen=True)
class PathStep:
    """One node on a path and the choice made there (None for non-decision nodes)."""

    node_id: str
    choice_id: str | None = None


@dataclass
class ExpertPath:
    """The walk that takes the expert choice at every decision."""

    steps: list[PathStep] = field(default_factory=list)
    score: float = 0


def variable_types(vignette: Mapping[str, Any]) -> dict[str, str]:
    """Declared variables as name -> 'bool' | 'number'."""
    return {name: spec.get("type") for name, spec in (vignette.get("variables") or {}).items()}


def initial_state(vignette: Mapping[str, Any]) -> State:
    """Every declared variable at its initial value."""
    state: State = {}
    for name, spec in (vignette.get("variables") or {}).items():
        state[name] = spec.get("initial", DEFAULTS.get(spec.get("type"), 0))
    return state


def node(vignette: Mapping[str, Any], node_id: str) -> Mapping[str, Any]:
    """The node with this id, or WalkError."""
    try:
        return vignette["nodes"][node_id]
    except KeyError:
        raise WalkError(f"no node '{node_id}'") from None


def find_choice(decision: Mapping[str, Any], choice_id: str) -> Mapping[str, Any]:
    """The choice with this id at a decision node, or WalkError."""
    for choice in decision.get("choices") or []:
        if choice.get("id") == choice_id:
            return choice
    raise WalkError(f"no choice '{choice_id}'")


def resolve_next(next_spec: Any, state: Mapping[str, Any], types: Mapping[str, str]) -> str:
    """The target of an edge: a node id, or the first conditional entry whose `if` holds."""
    if isinstance(next_spec, str):
        return next_spec
    for entry in next_spec:
        condition = entry.get("if")
        try:
            if condition is None or holds(condition, state, types):
                return entry["goto"]
        except ConditionError as error:
            raise WalkError(f"bad condition '{condition}': {error.message}") from None
    raise WalkError("no edge matched (the last entry must have no 'if')")


def apply_effects(choice: Mapping[str, Any], state: Mapping[str, Any]) -> State:
    """A new state with the choice's `set` assignments, then its `add` increments."""
    new_state = dict(state)
    new_state.update(choice.get("set") or {})
    for name, amount in (choice.get("add") or {}).items():
        new_state[name] = new_state.get(name, 0) + amount
    return new_state


def advance(vignette: Mapping[str, Any], node_id: str, state: Mapping[str, Any],
            choice_id: str | None = None) -> Move:
    """Take one step from node_id; decisions need a choice, whose effects apply before its edge."""
    current = node(vignette, node_id)
    types = variable_types(vignette)
    kind = current.get("type")
    if kind == "end":
        raise WalkError("the vignette has ended")
    if kind != "decision":
        if choice_id is not None:
            raise WalkError(f"node '{node_id}' has no choices")
        return Move(resolve_next(current["next"], state, types), dict(state))
    if choice_id is None:
        raise WalkError(f"node '{node_id}' needs a choice")
    choice = find_choice(current, choice_id)
    new_state = apply_effects(choice, state)
    target = resolve_next(choice["next"], new_state, types)
    node(vignette, target)
    return Move(target, new_state, choice.get("score", 0), choice)


def expert_choice(decision: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The choice marked `expert: true` (the first, if an invalid file has several)."""
    return next((c for c in decision.get("choices") or [] if c.get("expert")), None)


def expert_path(vignette: Mapping[str, Any]) -> ExpertPath:
    """Walk from start taking the expert choice at each decision; WalkError if it never ends."""
    path = ExpertPath()
    node_id, state = vignette["start"], initial_state(vignette)
    limit = 4 * len(vignette["nodes"]) + 4  # a valid path cannot revisit states forever
    while len(path.steps) < limit:
        current = node(vignette, node_id)
        if current.get("type") == "end":
            path.steps.append(PathStep(node_id))
            return path
        choice = expert_choice(current) if current.get("type") == "decision" else None
        if current.get("type") == "decision" and choice is None:
            raise WalkError(f"decision '{node_id}' has no expert choice")
        choice_id = choice.get("id") if choice else None
        path.steps.append(PathStep(node_id, choice_id))
        move = advance(vignette, node_id, state, choice_id)
        path.score += move.score
        node_id, state = move.node_id, move.state
    raise WalkError("the expert path never reaches an end")


def edges(node_spec: Mapping[str, Any]) -> list[str]:
    """Every node id this node may lead to, whatever the conditions say."""
    specs = [node_spec.get("next")] if node_spec.get("type") != "decision" else [
        c.get("next") for c in node_spec.get("choices") or [] if isinstance(c, Mapping)
    ]
    targets: list[str] = []
    for spec in specs:
        if isinstance(spec, str):
            targets.append(spec)
        elif isinstance(spec, list):
            targets.extend(e["goto"] for e in spec if isinstance(e, Mapping) and isinstance(e.get("goto"), str))
    return targets


def reachable_from(start: str, graph: Mapping[str, list[str]]) -> set[str]:
    """Node ids reachable from start along graph edges (start included)."""
    seen, frontier = {start}, [start]
    while frontier:
        for target in graph.get(frontier.pop(), []):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def can_reach_end(nodes: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Node ids from which some end node is reachable (ignoring conditions)."""
    reverse: dict[str, list[str]] = {nid: [] for nid in nodes}
    for nid, spec in nodes.items():
        for target in edges(spec):
            reverse.setdefault(target, []).append(nid)
    ends = [nid for nid, spec in nodes.items() if spec.get("type") == "end"]
    found: set[str] = set()
    for end in ends:
        found |= reachable_from(end, reverse)
    return found


def score_percent(score: float, expert_score: float) -> int:
    """A run's score as a whole percent of the expert path's score, clamped to 0-100."""
    if expert_score <= 0:
        return 100 if score >= expert_score else 0
    return max(0, min(100, round(100 * score / expert_score)))
