"""The vignette condition language: what it accepts, what it rejects, and how it evaluates."""
import pytest
from hypothesis import given, settings, strategies as st

from kapcourse.domain.vignettes.conditions import (
    MAX_DEPTH, MAX_LENGTH, ConditionError, evaluate, holds, names_in, parse, tokenize,
)

VARIABLES = {"bp_checked": "bool", "risk_level": "number", "unsafe_count": "number"}
STATE = {"bp_checked": True, "risk_level": 2, "unsafe_count": 0}


@pytest.mark.parametrize("text, expected", [
    ("bp_checked", True),
    ("not bp_checked", False),
    ("risk_level >= 2", True),
    ("risk_level > 2", False),
    ("risk_level == 2", True),
    ("risk_level != 2", False),
    ("risk_level < 2.5", True),
    ("risk_level <= -1", False),
    ("bp_checked and risk_level >= 2", True),
    ("not bp_checked or unsafe_count == 0", True),
    ("not (bp_checked and unsafe_count >= 1)", True),
    ("bp_checked == true", True),
    ("false or (true and not false)", True),
    ("  risk_level>=2  and  bp_checked ", True),
    ("unsafe_count >= 1 or not bp_checked", False),
])
def test_evaluates(text, expected):
    assert holds(text, STATE, VARIABLES) is expected


def test_precedence_and_binds_tighter_than_or():
    # true or (false and false) is true; (true or false) and false would be false
    assert holds("true or false and false", {}, {}) is True
    assert holds("(true or false) and false", {}, {}) is False


@pytest.mark.parametrize("text, message", [
    ("risk.level > 1", "attribute access is not allowed"),
    ("bp_checked.__class__", "attribute access is not allowed"),
    ("().__class__.__bases__", "attribute access is not allowed"),
    ("risk_level[0] > 1", "subscripts are not allowed"),
    ("__import__('os')", "strings are not allowed"),
    ("__import__(os)", "function calls are not allowed"),
    ("len(risk_level) > 1", "function calls are not allowed"),
    ("open", "unknown variable 'open'"),
    ("mystery > 1", "unknown variable 'mystery'"),
    ("risk_level > 'a'", "strings are not allowed"),
    ("risk_level = 1", "use '==' to compare"),
    ("bp_checked && risk_level", "use 'and'"),
    ("1 < risk_level < 3", "chained comparisons are not allowed"),
    ("risk_level", "must be true or false"),
    ("risk_level and bp_checked", "joins conditions, not numbers"),
    ("not risk_level", "'not' needs true or false"),
    ("bp_checked > 1", "compares numbers only"),
    ("bp_checked == 1", "compares a bool with a number"),
    ("", "cannot be empty"),
    ("   ", "cannot be empty"),
    ("(bp_checked", "missing ')'"),
    ("bp_checked)", "expected the end"),
    ("bp_checked and", "expected a name"),
    ("lambda: 1", "unexpected ':'"),
    ("risk_level + 1 > 2", "unexpected '+'"),
    ("1.2.3 > risk_level", "unexpected '1'"),
])
def test_rejects_with_a_message(text, message):
    with pytest.raises(ConditionError) as caught:
        parse(text, VARIABLES)
    assert message in caught.value.message


def test_rejects_deep_parentheses():
    text = "(" * (MAX_DEPTH + 1) + "bp_checked" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse(text, VARIABLES)


def test_accepts_nesting_up_to_the_limit():
    depth = MAX_DEPTH - 1
    assert holds("(" * depth + "bp_checked" + ")" * depth, STATE, VARIABLES)


def test_rejects_deep_not_chains():
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse("not " * 40 + "bp_checked", VARIABLES)


def test_huge_nesting_fails_cleanly_not_with_recursion_error():
    with pytest.raises(ConditionError):
        parse("(" * 100_000 + "bp_checked" + ")" * 100_000, VARIABLES)


def test_rejects_long_input():
    text = " or ".join(["bp_checked"] * 100)
    assert len(text) > MAX_LENGTH
    with pytest.raises(ConditionError, match="too long"):
        parse(text, VARIABLES)


def test_rejects_non_strings():
    with pytest.raises(ConditionError, match="must be a string"):
        parse(42, VARIABLES)  # type: ignore[arg-type]


def test_without_variables_names_are_not_checked():
    expr = parse("whatever and other > 1")
    assert names_in(expr) == {"whatever", "other"}


def test_rejects_unicode_digits():
    with pytest.raises(ConditionError):
        tokenize("risk_level > \u0663")


def test_error_reports_position():
    with pytest.raises(ConditionError) as caught:
        parse("bp_checked and risk.level", VARIABLES)
    assert caught.value.position == len("bp_checked and risk")
    assert "column 20" in caught.value.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_or_fails_with_condition_error(text):
    try:
        expr = parse(text, VARIABLES)
    except ConditionError as error:
        assert error.message
    else:
        assert evaluate(expr, STATE) in (True, False)


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.integers(-5, 5), st.integers(-5, 5))
def test_matches_python_semantics(flag, level, threshold):
    state = {"bp_checked": flag, "risk_level": level, "unsafe_count": 0}
    text = f"not bp_checked or risk_level >= {threshold}"
    assert holds(text, state, VARIABLES) == ((not flag) or level >= threshold)
