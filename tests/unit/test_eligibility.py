"""Certificate eligibility: each missing requirement is named."""
from __future__ import annotations

import pytest

from kapcourse.domain import eligibility as el
from kapcourse.domain.eligibility import (
    CompletionRules, ProgressSnapshot, bundle_eligibility, module_eligibility,
)

RULES = CompletionRules(lesson_ids=("a", "b"), vignette_ids=("v1", "v2"))
GATED = CompletionRules(lesson_ids=("a",), vignette_ids=("v1",), vignette_min_score=70,
                        min_minutes=30)
DONE = ProgressSnapshot(
    lessons_completed=frozenset({"a", "b"}), vignettes_completed=frozenset({"v1", "v2"}),
    vignette_scores={"v1": 90, "v2": 75}, quiz_passed=True, evaluation_submitted=True,
    minutes_on_task=45, profile_complete=True,
)


def _with(**changes) -> ProgressSnapshot:
    return ProgressSnapshot(**{**DONE.__dict__, **changes})


def test_complete_progress_is_eligible():
    result = module_eligibility(RULES, DONE)
    assert result.eligible
    assert result.missing == ()
    assert [r.key for r in result.requirements] == [
        el.LESSONS, el.VIGNETTES, el.QUIZ, el.EVALUATION, el.PROFILE]


@pytest.mark.parametrize("change, missing", [
    ({"lessons_completed": frozenset({"a"})}, el.LESSONS),
    ({"vignettes_completed": frozenset({"v2"})}, el.VIGNETTES),
    ({"quiz_passed": False}, el.QUIZ),
    ({"evaluation_submitted": False}, el.EVALUATION),
    ({"profile_complete": False}, el.PROFILE),
])
def test_each_missing_requirement_is_named(change, missing):
    result = module_eligibility(RULES, _with(**change))
    assert not result.eligible
    assert result.missing_keys == (missing,)
    assert result.missing[0].label


def test_all_missing_are_listed_in_order():
    result = module_eligibility(GATED, ProgressSnapshot())
    assert result.missing_keys == (el.LESSONS, el.VIGNETTES, el.VIGNETTE_SCORES, el.QUIZ,
                                   el.EVALUATION, el.TIME_ON_TASK, el.PROFILE)


def test_lesson_detail_counts_progress():
    result = module_eligibility(RULES, _with(lessons_completed=frozenset({"b", "zz"})))
    assert result.missing[0].detail == "1 of 2 lessons completed"


@pytest.mark.parametrize("scores, met", [
    ({"v1": 70}, True), ({"v1": 69.9}, False), ({}, False), ({"v1": 100}, True),
])
def test_vignette_score_gate(scores, met):
    progress = _with(lessons_completed=frozenset({"a"}), vignettes_completed=frozenset({"v1"}),
                     vignette_scores=scores)
    result = module_eligibility(GATED, progress)
    assert (el.VIGNETTE_SCORES in result.missing_keys) is not met


@pytest.mark.parametrize("minutes, met", [(None, False), (29.5, False), (30, True)])
def test_time_on_task_gate(minutes, met):
    progress = _with(lessons_completed=frozenset({"a"}), vignettes_completed=frozenset({"v1"}),
                     minutes_on_task=minutes)
    assert (el.TIME_ON_TASK in module_eligibility(GATED, progress).missing_keys) is not met


def test_no_score_or_time_requirement_unless_configured():
    keys = [r.key for r in module_eligibility(RULES, ProgressSnapshot()).requirements]
    assert el.VIGNETTE_SCORES not in keys and el.TIME_ON_TASK not in keys


def test_rules_from_payload_accepts_ids_or_dicts():
    payload = {"lessons": [{"id": "x"}, {"id": "y"}], "vignettes": ["v"],
               "completion": {"vignette_min_score": 60, "min_minutes": None}}
    rules = CompletionRules.from_payload(payload)
    assert rules == CompletionRules(("x", "y"), ("v",), 60, None)


def test_bundle_names_each_module_without_certificate():
    titles = {"m1": "Medical", "m2": "Psych", "m3": "Suicide"}
    result = bundle_eligibility(titles, ["m2"])
    assert not result.eligible
    assert result.missing_keys == ("module_certificates:m1", "module_certificates:m3")
    assert [r.label for r in result.missing] == ["Certificate for Medical",
                                                  "Certificate for Suicide"]
    assert bundle_eligibility(titles, ["m1", "m2", "m3"]).eligible
