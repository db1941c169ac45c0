"""Numeric answers of absurd magnitude are refused quickly instead of building huge integers."""
from __future__ import annotations

import time

import pytest

from kapcourse.domain.questions import question_type
from kapcourse.domain.questions.base import ResponseError, exact, is_number
from kapcourse.domain.questions.grading import score_item

QUESTION = {"id": "q", "type": "numeric", "answer": 35, "unit": "mg", "tolerance": {"absolute": 0.5},
            "accepted_units": ["mg", "g"]}


@pytest.mark.parametrize("text", ["1e999999999", "1e-999999999", "9" * 39 + "e99999999"])
def test_a_learner_cannot_submit_a_billion_digit_number(text):
    started = time.perf_counter()
    with pytest.raises(ResponseError):
        question_type("numeric").parse(QUESTION, {"value": [text], "unit": ["mg"]})
    assert time.perf_counter() - started < 1


def test_an_overlong_value_is_a_response_error():
    with pytest.raises(ResponseError):
        question_type("numeric").parse(QUESTION, {"value": ["1" * 41], "unit": ["mg"]})


def test_a_stored_absurd_value_scores_zero_quickly():
    started = time.perf_counter()
    assert score_item(QUESTION, {"value": "1e999999999", "unit": "mg"}) == 0
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("text, expected", [("35", 35), ("3.5e1", 35), ("0.0005", 0.0005), ("1e1000", 10 ** 1000)])
def test_ordinary_magnitudes_still_convert(text, expected):
    assert exact(text) == exact(expected) if isinstance(expected, float) else exact(text) == expected


@pytest.mark.parametrize("value, ok", [(1, True), (1.5, True), (10 ** 400, True), (float("inf"), False),
                                       (float("nan"), False), (True, False), ("1", False)])
def test_is_number_refuses_infinities(value, ok):
    assert is_number(value) is ok
