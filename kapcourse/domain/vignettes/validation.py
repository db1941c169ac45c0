"""Validate a vignette file (as loaded from YAML) and report problems as (loc, message).

loc is a tuple path into the loaded data (e.g. ("nodes", "bp", "choices", 1, "next")) so
the content loader can turn it into a line number.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .conditions import VARIABLE_TYPES, ConditionError, KEYWORDS, parse
from .graph import WalkError, can_reach_end, edges, expert_path, reachable_from

Loc = tuple
Problem = tuple[Loc, str]
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OUTCOMES = ("good", "mixed", "poor")
TOP_KEYS = {"title", "summary", "objectives", "allow_back", "start", "variables", "nodes"}
NODE_KEYS = {
    "narrative": ({"text", "next"}, {"title", "patient"}),
    "exhibit": ({"text", "exhibits", "next"}, {"title"}),
    "decision": ({"text", "choices"}, {"title"}),
    "end": ({"outcome", "debrief", "teaching_points", "references"}, {"title"}),
}
CHOICE_KEYS = ({"id", "text", "feedback", "source", "score", "next"}, {"unsafe", "expert", "set", "add"})
EXHIBIT_KEYS = ({"id", "label", "content"}, set())


def validate_vignette(raw: Any, objective_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every problem with a vignette: shape, ids, variables, conditions and the graph."""
    if not isinstance(raw, Mapping):
        return [((), "a vignette must be a mapping")]
    problems = _check_keys(raw, (), ({"title", "start", "nodes"}, TOP_KEYS - {"title", "start", "nodes"}), "vignette")
    problems += _check_top(raw, objective_ids)
    types, var_problems = _check_variables(raw.get("variables"))
    problems += var_problems
    nodes = raw.get("nodes")
    if not isinstance(nodes, Mapping) or not nodes:
        return problems + ([(("nodes",), "'nodes' must be a non-empty mapping of node id to node")] if "nodes" in raw else [])
    for node_id, node in nodes.items():
        problems += _check_node(node_id, node, nodes, types)
    if "start" in raw and (not isinstance(raw["start"], str) or raw["start"] not in nodes):
        problems.append((("start",), f"start node '{raw['start']}' does not exist"))
    if not problems:
        problems += _check_graph(raw)
    return problems


def lint_vignette(raw: Mapping[str, Any]) -> list[Problem]:
    """Authoring lint: findings that are legal but weaken the teaching."""
    choices = [c for n in raw["nodes"].values() if n.get("type") == "decision" for c in n["choices"]]
    if not any(c.get("unsafe") for c in choices):
        return [(("nodes",), "lint: vignette has no unsafe choice; a case should let the learner make (and learn from) one")]
    return []


def _check_keys(data: Mapping, loc: Loc, spec: tuple[set[str], set[str]], what: str) -> list[Problem]:
    required, optional = spec
    found = [(loc, f"{what} is missing '{key}'") for key in sorted(required) if key not in data]
    found += [(loc + (key,), f"unknown field '{key}' in {what}") for key in data if key not in required | optional]
    return found


def _text(data: Mapping, key: str, loc: Loc, what: str) -> list[Problem]:
    value = data.get(key)
    if key in data and (not isinstance(value, str) or not value.strip()):
        return [(loc + (key,), f"'{key}' of {what} must be non-empty text")]
    return []


def _check_top(raw: Mapping, objective_ids: Iterable[str] | None) -> list[Problem]:
    problems = _text(raw, "title", (), "the vignette") + _text(raw, "summary", (), "the vignette")
    if "allow_back" in raw and not isinstance(raw["allow_back"], bool):
        problems.append((("allow_back",), "'allow_back' must be true or false"))
    objectives = raw.get("objectives", [])
    if not isinstance(objectives, list):
        return problems + [(("objectives",), "'objectives' must be a list of objective ids")]
    known = set(objective_ids) if objective_ids is not None else None
    for index, objective in enumerate(objectives):
        if not isinstance(objective, str):
            problems.append((("objectives", index), f"objective '{objective}' must be an objective id"))
        elif known is not None and objective not in known:
            problems.append((("objectives", index), f"unknown objective '{objective}'"))
    return problems


def _check_variables(variables: Any) -> tuple[dict[str, str], list[Problem]]:
    if variables is None:
        return {}, []
    if not isinstance(variables, Mapping):
        return {}, [(("variables",), "'variables' must map names to {type, initial}")]
    types: dict[str, str] = {}
    problems: list[Problem] = []
    for name, spec in variables.items():
        loc = ("variables", name)
        if not isinstance(name, str) or not VARIABLE_RE.match(name) or name in KEYWORDS:
            problems.append((loc, f"bad variable name '{name}' (letters, digits, underscores; not a keyword)"))
            continue
        if not isinstance(spec, Mapping) or spec.get("type") not in VARIABLE_TYPES:
            problems.append((loc, f"variable '{name}' needs a type: bool or number"))
            continue
        problems += [(loc + (k,), f"unknown field '{k}' in variable '{name}'") for k in spec if k not in ("type", "initial")]
        if "initial" in spec and not _fits(spec["initial"], spec["type"]):
            problems.append((loc + ("initial",), f"initial value of '{name}' must be a {spec['type']}"))
        types[name] = spec["type"]
    return types, problems


def _fits(value: Any, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    # An infinite or NaN score would publish a payload PostgreSQL's JSON cannot store.
    return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and math.isfinite(value)


def _check_node(node_id: Any, node: Any, nodes: Mapping, types: dict[str, str]) -> list[Problem]:
    loc = ("nodes", node_id)
    if not isinstance(node_id, str) or not ID_RE.match(node_id) or len(node_id) > 64:
        return [(loc, f"bad node id '{node_id}' (lowercase letters, digits, hyphens; at most 64)")]
    if not isinstance(node, Mapping):
        return [(loc, f"node '{node_id}' must be a mapping")]
    kind = node.get("type")
    if not isinstance(kind, str) or kind not in NODE_KEYS:
        return [(loc + ("type",) if "type" in node else loc,
                 f"node '{node_id}' needs a type: narrative, exhibit, decision or end")]
    what = f"{kind} node '{node_id}'"
    required, optional = NODE_KEYS[kind]
    problems = _check_keys(node, loc, (required, optional | {"type"}), what) + _text(node, "title", loc, what)
    if kind == "end":
        return problems + _check_end(node, loc, what)
    problems += _text(node, "text", loc, what)
    if kind == "narrative":
        problems += _check_patient(node, loc)
    if kind == "exhibit":
        problems += _check_exhibits(node, loc, what)
    if kind == "decision":
        return problems + _check_choices(node, loc, what, nodes, types)
    if "next" in node:
        problems += _check_next(node["next"], loc + ("next",), nodes, types)
    return problems


def _check_patient(node: Mapping, loc: Loc) -> list[Problem]:
    patient = node.get("patient")
    if patient is None:
        return []
    if not isinstance(patient, Mapping) or not all(isinstance(v, (str, int, float)) for v in patient.values()):
        return [(loc + ("patient",), "'patient' must map labels to short text values")]
    return []


def _check_end(node: Mapping, loc: Loc, what: str) -> list[Problem]:
    problems = _text(node, "debrief", loc, what)
    if "outcome" in node and node["outcome"] not in OUTCOMES:
        problems.append((loc + ("outcome",), f"outcome of {what} must be good, mixed or poor"))
    for key in ("teaching_points", "references"):
        value = node.get(key)
        if key in node and (not isinstance(value, list) or not value
                            or not all(isinstance(v, str) and v.strip() for v in value)):
            problems.append((loc + (key,), f"'{key}' of {what} must be a non-empty list of text"))
    return problems


def _check_exhibits(node: Mapping, loc: Loc, what: str) -> list[Problem]:
    exhibits = node.get("exhibits")
    if "exhibits" in node and (not isinstance(exhibits, list) or not exhibits):
        return [(loc + ("exhibits",), f"'exhibits' of {what} must be a non-empty list")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, exhibit in enumerate(exhibits or []):
        e_loc = loc + ("exhibits", index)
        if not isinstance(exhibit, Mapping):
            problems.append((e_loc, "an exhibit must be a mapping with id, label and content"))
            continue
        problems += _check_keys(exhibit, e_loc, EXHIBIT_KEYS, f"an exhibit of '{loc[1]}'")
        problems += _text(exhibit, "label", e_loc, "the exhibit") + _text(exhibit, "content", e_loc, "the exhibit")
        problems += _check_id(exhibit, e_loc, seen, "exhibit")
    return problems


def _check_id(item: Mapping, loc: Loc, seen: set[str], what: str) -> list[Problem]:
    item_id = item.get("id")
    if "id" not in item:
        return []
    if not isinstance(item_id, str) or not ID_RE.match(item_id) or len(item_id) > 64:
        return [(loc + ("id",), f"bad {what} id '{item_id}' (lowercase letters, digits, hyphens)")]
    if item_id in seen:
        return [(loc + ("id",), f"duplicate {what} id '{item_id}'")]
    seen.add(item_id)
    return []


def _check_choices(node: Mapping, loc: Loc, what: str, nodes: Mapping, types: dict[str, str]) -> list[Problem]:
    choices = node.get("choices")
    if "choices" not in node:
        return []
    if not isinstance(choices, list) or len(choices) < 2:
        return [(loc + ("choices",), f"{what} needs at least two choices")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        problems += _check_choice(choice, loc + ("choices", index), seen, nodes, types)
    experts = sum(1 for c in choices if isinstance(c, Mapping) and c.get("expert") is True)
    if experts != 1:
        problems.append((loc + ("choices",), f"{what} needs exactly one expert choice (has {experts})"))
    return problems


def _check_choice(choice: Any, loc: Loc, seen: set[str], nodes: Mapping, types: dict[str, str]) -> list[Problem]:
    if not isinstance(choice, Mapping):
        return [(loc, "a choice must be a mapping")]
    name = f"choice '{choice.get('id', loc[-1])}'"
    spec = CHOICE_KEYS
    if choice.get("unsafe") is True and not _has_text(choice.get("feedback")):
        spec = (CHOICE_KEYS[0] - {"feedback"}, CHOICE_KEYS[1] | {"feedback"})
    problems = _check_keys(choice, loc, spec, name) + _check_id(choice, loc, seen, "choice")
    if spec is not CHOICE_KEYS:
        problems.append((loc + ("feedback",) if "feedback" in choice else loc,
                         f"unsafe {name} needs feedback that explains the harm"))
    else:
        problems += _text(choice, "feedback", loc, name)
    problems += _text(choice, "text", loc, name) + _text(choice, "source", loc, name)
    if "score" in choice and not _fits(choice["score"], "number"):
        problems.append((loc + ("score",), f"score of {name} must be a number"))
    for flag in ("unsafe", "expert"):
        if flag in choice and not isinstance(choice[flag], bool):
            problems.append((loc + (flag,), f"'{flag}' of {name} must be true or false"))
    problems += _check_effects(choice, loc, name, types)
    if "next" in choice:
        problems += _check_next(choice["next"], loc + ("next",), nodes, types)
    return problems


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_effects(choice: Mapping, loc: Loc, name: str, types: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for key in ("set", "add"):
        effects = choice.get(key)
        if effects is None:
            continue
        if not isinstance(effects, Mapping):
            problems.append((loc + (key,), f"'{key}' of {name} must map variable names to values"))
            continue
        for variable, value in effects.items():
            problems += _check_effect(key, variable, value, loc + (key, variable), types)
    return problems


def _check_effect(key: str, variable: Any, value: Any, loc: Loc, types: dict[str, str]) -> list[Problem]:
    if variable not in types:
        return [(loc, f"'{key}' names undeclared variable '{variable}'")]
    if key == "add" and types[variable] != "number":
        return [(loc, f"'add' needs a number variable; '{variable}' is a {types[variable]}")]
    if not _fits(value, types[variable]):
        return [(loc, f"'{key}' gives '{variable}' a value that is not a {types[variable]}")]
    return []


def _check_next(spec: Any, loc: Loc, nodes: Mapping, types: dict[str, str]) -> list[Problem]:
    if isinstance(spec, str):
        return [] if spec in nodes else [(loc, f"edge to missing node '{spec}'")]
    if not isinstance(spec, list) or not spec:
        return [(loc, "'next' must be a node id or a list of {if, goto} entries")]
    problems: list[Problem] = []
    for index, entry in enumerate(spec):
        problems += _check_branch(entry, loc + (index,), last=index == len(spec) - 1, nodes=nodes, types=types)
    return problems


def _check_branch(entry: Any, loc: Loc, last: bool, nodes: Mapping, types: dict[str, str]) -> list[Problem]:
    if not isinstance(entry, Mapping) or "goto" not in entry or set(entry) - {"if", "goto"}:
        return [(loc, "a conditional edge is a mapping with 'goto' and (except the last) 'if'")]
    problems: list[Problem] = []
    if last and "if" in entry:
        problems.append((loc + ("if",), "the last entry of 'next' must have no 'if' (it is the fallback)"))
    if not last and "if" not in entry:
        problems.append((loc, "only the last entry of 'next' may omit 'if'"))
    if "if" in entry:
        try:
            parse(entry["if"], types)
        except ConditionError as error:
            problems.append((loc + ("if",), f"condition '{str(entry['if'])[:60]}': {error.message}"))
    if not isinstance(entry["goto"], str) or entry["goto"] not in nodes:
        problems.append((loc + ("goto",), f"edge to missing node '{entry['goto']}'"))
    return problems


def _check_graph(raw: Mapping) -> list[Problem]:
    nodes = raw["nodes"]
    graph = {nid: edges(spec) for nid, spec in nodes.items()}
    reachable = reachable_from(raw["start"], graph)
    problems = [(("nodes", nid), f"node '{nid}' cannot be reached from the start")
                for nid in nodes if nid not in reachable]
    ending = can_reach_end(nodes)
    problems += [(("nodes", nid), f"no end can be reached from node '{nid}' (a cycle without an exit?)")
                 for nid in nodes if nid in reachable and nid not in ending]
    if not problems:
        try:
            expert_path(raw)
        except WalkError as error:
            problems.append((("start",), f"expert path: {error}"))
    return problems
