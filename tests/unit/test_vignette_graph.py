"""The vignette walker: moves, effects, conditional edges and the expert path."""
from pathlib import Path

import pytest
import yaml

from kapcourse.domain.vignettes import WalkError, advance, expert_path, initial_state
from kapcourse.domain.vignettes.graph import PathStep, can_reach_end, edges, resolve_next

FIXTURE = Path(__file__).parents[1] / "fixtures" / "vignettes" / "bp-case.yaml"


@pytest.fixture()
def vignette():
    return yaml.safe_load(FIXTURE.read_text())


def test_initial_state_uses_declared_initials(vignette):
    assert initial_state(vignette) == {"bp_checked": False, "risk_level": 0}


def test_initial_state_defaults_by_type():
    assert initial_state({"variables": {"a": {"type": "bool"}, "n": {"type": "number"}}}) == {"a": False, "n": 0}


def test_narrative_and_exhibit_follow_next(vignette):
    state = initial_state(vignette)
    move = advance(vignette, "referral", state)
    assert (move.node_id, move.score, move.choice) == ("chart", 0, None)
    assert advance(vignette, "chart", move.state).node_id == "bp-decision"


def test_choice_applies_set_and_scores(vignette):
    move = advance(vignette, "bp-decision", initial_state(vignette), "recheck")
    assert move.node_id == "monitoring-decision"
    assert move.state == {"bp_checked": True, "risk_level": 0}
    assert move.score == 2 and not move.unsafe


def test_unsafe_choice_adds_and_is_flagged(vignette):
    move = advance(vignette, "bp-decision", initial_state(vignette), "proceed")
    assert move.state["risk_level"] == 2 and move.unsafe and move.score == -2


def test_advance_does_not_mutate_the_given_state(vignette):
    state = initial_state(vignette)
    advance(vignette, "bp-decision", state, "proceed")
    assert state == {"bp_checked": False, "risk_level": 0}


@pytest.mark.parametrize("state, target", [
    ({"bp_checked": True, "risk_level": 0}, "good-end"),
    ({"bp_checked": True, "risk_level": 2}, "mixed-end"),   # first match wins
    ({"bp_checked": False, "risk_level": 0}, "mixed-end"),  # falls through to the default
])
def test_conditional_edges_first_match(vignette, state, target):
    assert advance(vignette, "monitoring-decision", state, "two-hours").node_id == target


def test_conditions_see_the_state_after_the_choice_effects():
    vignette = {
        "start": "d", "variables": {"x": {"type": "bool", "initial": False}},
        "nodes": {
            "d": {"type": "decision", "choices": [
                {"id": "a", "set": {"x": True}, "score": 0, "next": [{"if": "x", "goto": "yes"}, {"goto": "no"}]},
            ]},
            "yes": {"type": "end"}, "no": {"type": "end"},
        },
    }
    assert advance(vignette, "d", {"x": False}, "a").node_id == "yes"


@pytest.mark.parametrize("node_id, choice, message", [
    ("nowhere", None, "no node 'nowhere'"),
    ("bp-decision", None, "needs a choice"),
    ("bp-decision", "guess", "no choice 'guess'"),
    ("referral", "recheck", "has no choices"),
    ("good-end", None, "has ended"),
])
def test_illegal_moves_raise_walk_error(vignette, node_id, choice, message):
    with pytest.raises(WalkError, match=message):
        advance(vignette, node_id, initial_state(vignette), choice)


def test_resolve_next_without_fallback_raises():
    with pytest.raises(WalkError, match="no edge matched"):
        resolve_next([{"if": "false", "goto": "a"}], {}, {})


def test_resolve_next_with_bad_condition_raises_walk_error():
    with pytest.raises(WalkError, match="bad condition"):
        resolve_next([{"if": "x.y", "goto": "a"}, {"goto": "b"}], {}, {})


def test_expert_path(vignette):
    path = expert_path(vignette)
    assert path.steps == [
        PathStep("referral"), PathStep("chart"), PathStep("bp-decision", "recheck"),
        PathStep("monitoring-decision", "two-hours"), PathStep("good-end"),
    ]
    assert path.score == 3


def test_expert_path_that_loops_forever_is_an_error():
    vignette = {"start": "a", "nodes": {
        "a": {"type": "decision", "choices": [{"id": "x", "expert": True, "next": "a"}, {"id": "y", "next": "e"}]},
        "e": {"type": "end"},
    }}
    with pytest.raises(WalkError, match="never reaches an end"):
        expert_path(vignette)


def test_edges_and_reachability_ignore_conditions(vignette):
    assert sorted(edges(vignette["nodes"]["monitoring-decision"])) == ["good-end", "mixed-end", "mixed-end", "poor-end"]
    assert can_reach_end(vignette["nodes"]) == set(vignette["nodes"])
