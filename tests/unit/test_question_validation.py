"""Each question type validates its own definition (table-driven)."""
import pytest

from kapcourse.domain.questions import validate_question

from quiz_samples import SAMPLES, _opts, sample


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_samples_are_valid(kind):
    assert validate_question(sample(kind)) == []


CASES = [
    ("single two keys", sample("single", key=["a", "b"]), ("key",), "exactly one key, got 2"),
    ("single key not an option", sample("single", key="z"), ("key",), "key 'z' is not an option id"),
    ("single three options", sample("single", options=_opts(3)), ("options",), "needs 4-5 options, got 3"),
    ("single option without why", sample("single", options=[*_opts(3), {"id": "d", "text": "D"}]),
     ("options", 3), "option is missing 'why'"),
    ("single duplicate option id", sample("single", options=[*_opts(3), {"id": "a", "text": "X", "why": "Y"}]),
     ("options", 3, "id"), "duplicate option id 'a'"),
    ("multiple empty key", sample("multiple", key=[]), ("key",), "at least one option id"),
    ("multiple unknown key", sample("multiple", key=["a", "q"]), ("key", 1), "key 'q' is not an option id"),
    ("multiple no scoring", sample("multiple", scoring=None), (), "missing 'scoring'"),
    ("multiple bad scoring", sample("multiple", scoring="pairs"), ("scoring",), "scoring must be one of"),
    ("true_false string key", sample("true_false", key="yes"), ("key",), "key is true or false"),
    ("true_false no why_wrong", sample("true_false", why_wrong=None), (), "missing 'why_wrong'"),
    ("numeric without unit", sample("numeric", unit=None), (), "'numeric' question is missing 'unit'"),
    ("numeric unknown unit", sample("numeric", unit="grains"), ("unit",), "unknown unit 'grains'"),
    ("numeric unconvertible unit", sample("numeric", accepted_units=["mL"]), ("accepted_units", 0),
     "'mL' cannot be converted to 'mg'"),
    ("numeric two tolerances", sample("numeric", tolerance={"absolute": 1, "relative": 0.1}), ("tolerance",),
     "tolerance is {absolute: x} or {relative: x}"),
    ("numeric relative too big", sample("numeric", tolerance={"relative": 5}), ("tolerance", "relative"),
     "fraction below 1"),
    ("numeric answer text", sample("numeric", answer="35"), ("answer",), "'answer' must be a number"),
    ("numeric common error is right", sample("numeric", common_errors=[{"value": 35.2, "why": "x"}]),
     ("common_errors", 0, "value"), "would be scored correct"),
    ("ordering duplicate step id", sample("ordering", items=[{"id": "s1", "text": "A"}, {"id": "s2", "text": "B"},
                                                             {"id": "s1", "text": "C"}]),
     ("items", 2, "id"), "duplicate step id 's1'"),
    ("ordering duplicate step text", sample("ordering", items=[{"id": "s1", "text": "A"}, {"id": "s2", "text": "B"},
                                                               {"id": "s3", "text": "a"}]),
     ("items", 2, "text"), "duplicate step text 'a'"),
    ("ordering too few steps", sample("ordering", items=[{"id": "s1", "text": "A"}, {"id": "s2", "text": "B"}]),
     ("items",), "needs 3-8 steps, got 2"),
    ("ordering with key field", sample("ordering", key=["s1"]), ("key",), "unknown field 'key'"),
    ("matching premise without key", sample("matching", key={"phq9": "dep", "gad7": "anx"}), ("key",),
     "premise 'auditc' has no key"),
    ("matching unknown choice", sample("matching", key={"phq9": "dep", "gad7": "anx", "auditc": "zzz"}),
     ("key", "auditc"), "'zzz' is not a choice id"),
    ("unknown type", sample("single", type="essay"), ("type",), "unknown question type 'essay'"),
    ("missing rationale", sample("single", rationale=None), (), "question is missing 'rationale'"),
    ("no references", sample("single", references=[]), ("references",), "at least one reference"),
    ("bad difficulty", sample("single", difficulty="brutal"), ("difficulty",), "difficulty must be one of"),
    ("bad id", sample("single", id="Bad_Id"), ("id",), "bad question id"),
    ("typo field", sample("single", rationle="x"), ("rationle",), "unknown field 'rationle'"),
]


@pytest.mark.parametrize("label,question,loc,message", CASES, ids=[c[0] for c in CASES])
def test_invalid_definitions_are_reported_where_they_are(label, question, loc, message):
    problems = validate_question(question)
    assert any(p_loc == loc and message in p_msg for p_loc, p_msg in problems), problems
