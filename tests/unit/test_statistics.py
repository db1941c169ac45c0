"""Author analytics statistics against values worked out by hand."""
from __future__ import annotations

import math

import pytest

from kapcourse.domain.statistics import item_flags, item_statistics, mean, percentage, point_biserial

TOTALS = [90, 80, 40, 70, 50]


def test_mean_and_percentage():
    assert mean([]) is None
    assert mean([1, 2, 6]) == 3
    assert percentage(1, 2) == 50
    assert percentage(3, 0) is None


def test_point_biserial_hand_computed():
    # Items right for the 90, 80 and 70 scorers: M1 = 80, M0 = 45, population sd of the totals
    # = sqrt(1720 / 5) = sqrt(344), p = 0.6: r = (80 - 45) / sqrt(344) * sqrt(0.6 * 0.4) = 0.92447.
    assert point_biserial([1, 1, 0, 1, 0], TOTALS) == pytest.approx(35 / math.sqrt(344) * math.sqrt(0.24))
    assert point_biserial([1, 1, 0, 1, 0], TOTALS) == pytest.approx(0.92447, abs=1e-5)


def test_point_biserial_negative_when_weak_learners_get_it_right():
    # Right for 40, 70, 50: M1 = 160 / 3, M0 = 85, p = 0.6 -> r = (53.33 - 85) / 18.547 * 0.4899 = -0.8364.
    assert point_biserial([0, 0, 1, 1, 1], TOTALS) == pytest.approx(-0.8364, abs=1e-4)


def test_point_biserial_is_pearson_for_partial_credit():
    # x = [1, .5, 0], y = [3, 2, 1] is a perfect line -> r = 1.
    assert point_biserial([1, 0.5, 0], [3, 2, 1], minimum=3) == pytest.approx(1.0)


@pytest.mark.parametrize("scores, totals", [
    ([1, 0, 1, 0], [90, 80, 40, 70]),          # fewer than 5 responses
    ([1, 1, 1, 1, 1], TOTALS),                 # everyone right: no item variance
    ([1, 0, 1, 0, 1], [60, 60, 60, 60, 60]),   # identical totals
])
def test_point_biserial_undefined(scores, totals):
    assert point_biserial(scores, totals) is None


def test_point_biserial_needs_pairs():
    with pytest.raises(ValueError):
        point_biserial([1, 0], [1])


@pytest.mark.parametrize("facility, discrimination, flags", [
    (29.9, 0.3, ["very hard"]),
    (30.0, 0.3, []),
    (95.0, 0.3, []),
    (95.1, None, ["very easy"]),
    (50.0, -0.01, ["negative discrimination"]),
    (10.0, -0.5, ["very hard", "negative discrimination"]),
    (None, None, []),
])
def test_item_flags(facility, discrimination, flags):
    assert item_flags(facility, discrimination) == flags


def test_item_statistics_groups_rows_by_question():
    rows = [("q2", "b", 1.0, True, 90), ("q1", "a", 0.5, True, 90), ("q2", "b", 0.0, False, 40),
            ("q1", "a", 0.0, False, 40)]
    q1, q2 = item_statistics(rows)
    assert (q1.question_id, q1.objective, q1.drawn, q1.answered) == ("q1", "a", 2, 1)
    assert q1.facility == 25.0 and q1.discrimination is None and q1.flags == ["very hard"]
    assert (q2.drawn, q2.answered, q2.facility) == (2, 1, 50.0)
