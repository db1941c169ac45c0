"""Each vignette validation rule, one table row per way to break it."""
import copy
from pathlib import Path

import pytest
import yaml

from kapcourse.domain.vignettes import lint_vignette, validate_vignette

FIXTURE = Path(__file__).parents[1] / "fixtures" / "vignettes" / "bp-case.yaml"
BASE = yaml.safe_load(FIXTURE.read_text())
OBJECTIVES = {"alpha-safety"}


def nodes(v):
    return v["nodes"]


def choice(v, node, index):
    return v["nodes"][node]["choices"][index]


def _drop_choice(v):
    nodes(v)["bp-decision"]["choices"].pop(1)


def _second_expert(v):
    choice(v, "bp-decision", 1)["expert"] = True


def _no_expert(v):
    del choice(v, "bp-decision", 0)["expert"]


def _unsafe_without_feedback(v):
    del choice(v, "bp-decision", 1)["feedback"]


def _unsafe_blank_feedback(v):
    choice(v, "bp-decision", 1)["feedback"] = "  "


def _orphan(v):
    nodes(v)["orphan"] = {"type": "end", "outcome": "good", "debrief": "x", "teaching_points": ["p"], "references": ["r"]}


def _cycle_without_exit(v):
    nodes(v)["loop-a"] = {"type": "narrative", "text": "a", "next": "loop-b"}
    nodes(v)["loop-b"] = {"type": "narrative", "text": "b", "next": "loop-a"}
    choice(v, "monitoring-decision", 1)["next"] = "loop-a"


def _missing_target(v):
    nodes(v)["chart"]["next"] = "nowhere"


def _missing_conditional_target(v):
    choice(v, "monitoring-decision", 0)["next"][1]["goto"] = "nowhere"


def _bad_condition(v):
    choice(v, "monitoring-decision", 0)["next"][0]["if"] = "risk_level.real > 1"


def _undeclared_in_condition(v):
    choice(v, "monitoring-decision", 0)["next"][0]["if"] = "suicidal >= 2"


def _fallback_with_if(v):
    choice(v, "monitoring-decision", 0)["next"][2]["if"] = "true"


def _middle_without_if(v):
    del choice(v, "monitoring-decision", 0)["next"][0]["if"]


def _set_wrong_type(v):
    choice(v, "bp-decision", 0)["set"] = {"bp_checked": 1}


def _add_to_bool(v):
    choice(v, "bp-decision", 0)["add"] = {"bp_checked": 1}


def _set_undeclared(v):
    choice(v, "bp-decision", 0)["set"] = {"checked": True}


def _bad_initial(v):
    v["variables"]["risk_level"]["initial"] = "high"


def _bad_variable_type(v):
    v["variables"]["risk_level"]["type"] = "string"


def _keyword_variable(v):
    v["variables"]["not"] = {"type": "bool"}


def _missing_start(v):
    v["start"] = "intro"


def _missing_title(v):
    del v["title"]


def _unknown_top_field(v):
    v["allow-back"] = True


def _unknown_node_type(v):
    nodes(v)["chart"]["type"] = "quiz"


def _bad_node_id(v):
    nodes(v)["Bad_Id"] = nodes(v).pop("poor-end")


def _end_bad_outcome(v):
    nodes(v)["good-end"]["outcome"] = "great"


def _end_no_teaching_points(v):
    nodes(v)["good-end"]["teaching_points"] = []


def _missing_choice_field(v):
    del choice(v, "bp-decision", 0)["source"]


def _score_not_number(v):
    choice(v, "bp-decision", 0)["score"] = "two"


def _duplicate_choice_id(v):
    choice(v, "bp-decision", 1)["id"] = "recheck"


def _duplicate_exhibit_id(v):
    nodes(v)["chart"]["exhibits"][1]["id"] = "vitals"


def _empty_exhibits(v):
    nodes(v)["chart"]["exhibits"] = []


def _unknown_objective(v):
    v["objectives"] = ["alpha-safety", "obj-nope"]


def _narrative_without_next(v):
    del nodes(v)["referral"]["next"]


def _decision_with_next(v):
    nodes(v)["bp-decision"]["next"] = "chart"


def _expert_path_loops(v):
    choice(v, "monitoring-decision", 0)["next"] = [
        {"if": "risk_level >= 2", "goto": "mixed-end"}, {"if": "bp_checked", "goto": "bp-decision"}, {"goto": "good-end"},
    ]


CASES = [
    ("decision needs two choices", _drop_choice, ("nodes", "bp-decision", "choices"), "needs at least two choices"),
    ("two expert choices", _second_expert, ("nodes", "bp-decision", "choices"), "exactly one expert choice (has 2)"),
    ("no expert choice", _no_expert, ("nodes", "bp-decision", "choices"), "exactly one expert choice (has 0)"),
    ("unsafe choice without feedback", _unsafe_without_feedback, ("nodes", "bp-decision", "choices", 1),
     "unsafe choice 'proceed' needs feedback that explains the harm"),
    ("unsafe choice with blank feedback", _unsafe_blank_feedback, ("nodes", "bp-decision", "choices", 1, "feedback"),
     "unsafe choice 'proceed' needs feedback"),
    ("unreachable node", _orphan, ("nodes", "orphan"), "node 'orphan' cannot be reached from the start"),
    ("cycle without exit", _cycle_without_exit, ("nodes", "loop-a"), "no end can be reached from node 'loop-a'"),
    ("edge to missing node", _missing_target, ("nodes", "chart", "next"), "edge to missing node 'nowhere'"),
    ("conditional edge to missing node", _missing_conditional_target,
     ("nodes", "monitoring-decision", "choices", 0, "next", 1, "goto"), "edge to missing node 'nowhere'"),
    ("condition does not parse", _bad_condition, ("nodes", "monitoring-decision", "choices", 0, "next", 0, "if"),
     "attribute access is not allowed"),
    ("condition names undeclared variable", _undeclared_in_condition,
     ("nodes", "monitoring-decision", "choices", 0, "next", 0, "if"), "unknown variable 'suicidal'"),
    ("fallback has a condition", _fallback_with_if, ("nodes", "monitoring-decision", "choices", 0, "next", 2, "if"),
     "the last entry of 'next' must have no 'if'"),
    ("middle entry lacks a condition", _middle_without_if, ("nodes", "monitoring-decision", "choices", 0, "next", 0),
     "only the last entry of 'next' may omit 'if'"),
    ("set with wrong type", _set_wrong_type, ("nodes", "bp-decision", "choices", 0, "set", "bp_checked"),
     "value that is not a bool"),
    ("add to a bool", _add_to_bool, ("nodes", "bp-decision", "choices", 0, "add", "bp_checked"),
     "'add' needs a number variable"),
    ("set undeclared variable", _set_undeclared, ("nodes", "bp-decision", "choices", 0, "set", "checked"),
     "undeclared variable 'checked'"),
    ("initial of wrong type", _bad_initial, ("variables", "risk_level", "initial"), "must be a number"),
    ("unknown variable type", _bad_variable_type, ("variables", "risk_level"), "needs a type: bool or number"),
    ("keyword as variable", _keyword_variable, ("variables", "not"), "bad variable name 'not'"),
    ("start node missing", _missing_start, ("start",), "start node 'intro' does not exist"),
    ("missing title", _missing_title, (), "vignette is missing 'title'"),
    ("unknown top-level field", _unknown_top_field, ("allow-back",), "unknown field 'allow-back'"),
    ("unknown node type", _unknown_node_type, ("nodes", "chart", "type"), "needs a type: narrative"),
    ("bad node id", _bad_node_id, ("nodes", "Bad_Id"), "bad node id 'Bad_Id'"),
    ("bad outcome", _end_bad_outcome, ("nodes", "good-end", "outcome"), "must be good, mixed or poor"),
    ("empty teaching points", _end_no_teaching_points, ("nodes", "good-end", "teaching_points"),
     "must be a non-empty list"),
    ("choice missing source", _missing_choice_field, ("nodes", "bp-decision", "choices", 0),
     "choice 'recheck' is missing 'source'"),
    ("score not a number", _score_not_number, ("nodes", "bp-decision", "choices", 0, "score"), "must be a number"),
    ("duplicate choice id", _duplicate_choice_id, ("nodes", "bp-decision", "choices", 1, "id"),
     "duplicate choice id 'recheck'"),
    ("duplicate exhibit id", _duplicate_exhibit_id, ("nodes", "chart", "exhibits", 1, "id"),
     "duplicate exhibit id 'vitals'"),
    ("no exhibits", _empty_exhibits, ("nodes", "chart", "exhibits"), "must be a non-empty list"),
    ("unknown objective", _unknown_objective, ("objectives", 1), "unknown objective 'obj-nope'"),
    ("narrative without next", _narrative_without_next, ("nodes", "referral"), "is missing 'next'"),
    ("decision with next", _decision_with_next, ("nodes", "bp-decision", "next"), "unknown field 'next'"),
    ("expert path loops", _expert_path_loops, ("start",), "expert path: the expert path never reaches an end"),
]


def test_base_fixture_is_valid():
    assert validate_vignette(copy.deepcopy(BASE), OBJECTIVES) == []
    assert lint_vignette(BASE) == []


@pytest.mark.parametrize("name, breaks, loc, message", CASES, ids=[c[0] for c in CASES])
def test_rule(name, breaks, loc, message):
    vignette = copy.deepcopy(BASE)
    breaks(vignette)
    problems = validate_vignette(vignette, OBJECTIVES)
    assert any(p_loc == loc and message in text for p_loc, text in problems), problems


@pytest.mark.parametrize("raw", [None, [], "text", 3])
def test_not_a_mapping(raw):
    assert validate_vignette(raw) == [((), "a vignette must be a mapping")]


def test_nodes_must_be_a_mapping():
    vignette = copy.deepcopy(BASE)
    vignette["nodes"] = ["referral"]
    assert ((("nodes",), "'nodes' must be a non-empty mapping of node id to node")) in validate_vignette(vignette)


def test_lint_flags_a_vignette_without_unsafe_choice():
    vignette = copy.deepcopy(BASE)
    for node in vignette["nodes"].values():
        for item in node.get("choices", []):
            item.pop("unsafe", None)
    assert validate_vignette(vignette, OBJECTIVES) == []
    [(loc, message)] = lint_vignette(vignette)
    assert loc == ("nodes",) and "no unsafe choice" in message
