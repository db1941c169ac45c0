"""Drawing items by blueprint, arranging options, and grading an attempt exactly."""
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kapcourse.domain.questions import (BlueprintError, arrange_all, draw, grade, public_view, question_type,
                                        to_percent)
from quiz_samples import SAMPLES, sample

BANK = [sample("single", id=f"a{i}", objective="obj-a", tags=["t"] if i < 2 else []) for i in range(6)] + \
       [sample("true_false", id=f"b{i}", objective="obj-b") for i in range(3)]
BLUEPRINT = [{"tag": "t", "count": 2}, {"objective": "obj-a", "count": 2}, {"objective": "obj-b", "count": 2}]


def ids(questions):
    return [q["id"] for q in questions]


def test_same_seed_same_draw_whatever_the_bank_order():
    assert ids(draw(BANK, BLUEPRINT, seed=7)) == ids(draw(list(reversed(BANK)), BLUEPRINT, seed=7))


def test_rows_are_honoured_and_items_never_repeat():
    drawn = draw(BANK, BLUEPRINT, seed=3)
    assert len(drawn) == 6 == len(set(ids(drawn)))
    assert {"a0", "a1"} <= set(ids(drawn))  # the tag row takes both tagged items
    assert sum(q["objective"] == "obj-b" for q in drawn) == 2


@pytest.mark.parametrize("seed", range(20))
def test_previously_seen_items_are_avoided_when_the_bank_allows(seed):
    seen = {"a2", "a3", "b0"}
    drawn = set(ids(draw(BANK, BLUEPRINT, seed=seed, seen=seen)))
    assert not drawn & {"a2", "a3", "b0"}


def test_seen_items_are_reused_only_when_needed():
    drawn = set(ids(draw(BANK, BLUEPRINT, seed=1, seen={"b0", "b1", "b2"})))
    assert len(drawn & {"b0", "b1", "b2"}) == 2


def test_a_row_asking_too_much_raises():
    with pytest.raises(BlueprintError):
        draw(BANK, [{"objective": "obj-b", "count": 4}], seed=1)


def test_arrange_shuffles_options_by_seed_and_keeps_the_key():
    arranged = arrange_all([SAMPLES["single"]] * 30, seed=5, shuffle_options=True)
    orders = {tuple(o["id"] for o in q["options"]) for q in arranged}
    assert len(orders) > 1
    assert arranged == arrange_all([SAMPLES["single"]] * 30, seed=5, shuffle_options=True)
    assert all(q["key"] == "b" for q in arranged)


def test_options_keep_their_order_when_shuffling_is_off():
    arranged = arrange_all([SAMPLES["single"]], seed=5, shuffle_options=False)[0]
    assert [o["id"] for o in arranged["options"]] == ["a", "b", "c", "d"]


def test_ordering_steps_are_always_shown_out_of_order_but_keyed():
    for seed in range(30):
        q = arrange_all([SAMPLES["ordering"]], seed=seed, shuffle_options=False)[0]
        assert [i["id"] for i in q["items"]] != q["key"] == ["s1", "s2", "s3", "s4", "s5"]
        assert question_type("ordering").score(q, q["key"]) == 1


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_public_view_holds_no_key_rationale_or_why(kind):
    q = arrange_all([SAMPLES[kind]], seed=1, shuffle_options=True)[0]
    view = public_view(q)
    flat = repr(view)
    for secret in ("key", "rationale", "why", "answer", "common_errors", "Reason", "Because", "It is false"):
        assert secret not in flat
    assert view["id"] == q["id"]


def test_grade_is_exact_at_the_pass_mark():
    # 3 items at 1/3 ... : per-option thirds that add up to exactly 80 % must pass
    items = [(SAMPLES["single"], "b")] * 4 + [(SAMPLES["single"], "a")]
    result = grade(items, pass_mark=80)
    assert result.percent == Decimal("80.00") and result.passed
    thirds = [(sample("matching"), {"phq9": "dep"})] * 3  # each scores 1/3
    result = grade(thirds, pass_mark=Decimal("33.34"))
    assert result.earned == 1 and result.percent == Decimal("33.33") and not result.passed


def test_grade_breaks_down_by_objective():
    items = [(sample("single", objective="x"), "b"), (sample("single", objective="x"), "a"),
             (sample("true_false", objective="y"), False)]
    result = grade(items, pass_mark=80)
    assert {(o.objective, o.earned, o.possible) for o in result.by_objective} == {("x", 1, 2), ("y", 1, 1)}
    assert result.percent == Decimal("66.66") and not result.passed  # rounded down, never up


def test_grade_treats_a_corrupt_stored_response_as_wrong():
    assert grade([(SAMPLES["numeric"], {"value": "abc", "unit": "mg"})], 80).earned == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=1, max_denominator=30), min_size=1, max_size=40),
       st.integers(1, 100))
def test_percent_never_overstates_and_pass_is_exact(scores, pass_mark):
    earned = sum(scores, Fraction(0))
    percent = to_percent(earned, len(scores))
    assert Decimal(0) <= percent <= Decimal(100)
    assert Fraction(percent) <= earned * 100 / len(scores) < Fraction(percent) + Fraction(1, 100)


def test_form_grouping_ignores_field_names_that_only_look_numeric():
    from kapcourse.services.quiz import group_form

    form = {"q1.choice": ["a"], "q².choice": ["b"], "q٣.choice": ["c"], "qx.choice": ["d"], "q2": ["e"]}
    assert group_form(form) == {1: {"choice": ["a"]}}
