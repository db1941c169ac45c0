"""Parsing form responses and scoring them, per type (table-driven), plus property tests."""
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kapcourse.domain.questions import QUESTION_TYPES, ResponseError, question_type
from quiz_samples import SAMPLES, sample

F = Fraction

SCORES = [
    ("single keyed", sample("single"), "b", F(1)),
    ("single wrong", sample("single"), "a", F(0)),
    ("single blank", sample("single"), None, F(0)),
    ("multiple exact", sample("multiple"), ["a", "c"], F(1)),
    ("multiple one missed", sample("multiple"), ["a"], F(3, 5)),  # 4 right, 1 wrong of 5
    ("multiple one extra", sample("multiple"), ["a", "c", "d"], F(3, 5)),
    ("multiple all ticked floors at 0", sample("multiple"), ["a", "b", "c", "d", "e"], F(0)),
    ("multiple all-or-nothing partial", sample("multiple", scoring="all_or_nothing"), ["a"], F(0)),
    ("multiple all-or-nothing exact", sample("multiple", scoring="all_or_nothing"), ["c", "a"], F(1)),
    ("true_false keyed", sample("true_false"), False, F(1)),
    ("true_false wrong", sample("true_false"), True, F(0)),
    ("numeric exact", sample("numeric"), {"value": "35", "unit": "mg"}, F(1)),
    ("numeric within tolerance", sample("numeric"), {"value": "35.5", "unit": "mg"}, F(1)),
    ("numeric just outside", sample("numeric"), {"value": "35.51", "unit": "mg"}, F(0)),
    ("numeric in grams", sample("numeric"), {"value": "0.035", "unit": "g"}, F(1)),
    ("numeric in mcg", sample("numeric"), {"value": "35000", "unit": "mcg"}, F(1)),
    ("numeric unit not accepted", sample("numeric"), {"value": "35", "unit": "mg/kg"}, F(0)),
    ("numeric relative", sample("numeric", tolerance={"relative": 0.1}), {"value": "38.5", "unit": "mg"}, F(1)),
    ("numeric relative outside", sample("numeric", tolerance={"relative": 0.1}), {"value": "38.6", "unit": "mg"},
     F(0)),
    ("numeric float-unsafe boundary", sample("numeric", answer=0.3, tolerance={"absolute": 0.1}),
     {"value": "0.4", "unit": "mg"}, F(1)),  # 0.4 - 0.3 > 0.1 in binary floats
    ("numeric dose rate", sample("numeric", answer=0.5, unit="mg/kg/h", accepted_units=["mcg/kg/min"],
                                 tolerance={"absolute": 0}, common_errors=None),
     {"value": "8.3333333333", "unit": "mcg/kg/min"}, F(0)),
    ("ordering right", sample("ordering"), ["s1", "s2", "s3", "s4", "s5"], F(1)),
    ("ordering one swap by pairs", sample("ordering"), ["s2", "s1", "s3", "s4", "s5"], F(9, 10)),
    ("ordering reversed", sample("ordering"), ["s5", "s4", "s3", "s2", "s1"], F(0)),
    ("ordering swap all-or-nothing", sample("ordering", scoring="all_or_nothing"), ["s2", "s1", "s3", "s4", "s5"],
     F(0)),
    ("ordering incomplete", sample("ordering"), ["s1", "s2"], F(0)),
    ("matching all", sample("matching"), {"phq9": "dep", "gad7": "anx", "auditc": "alc"}, F(1)),
    ("matching two of three", sample("matching"), {"phq9": "dep", "gad7": "anx", "auditc": "psy"}, F(2, 3)),
    ("matching all-or-nothing partial", sample("matching", scoring="all_or_nothing"), {"phq9": "dep"}, F(0)),
]


@pytest.mark.parametrize("label,question,response,expected", SCORES, ids=[c[0] for c in SCORES])
def test_score(label, question, response, expected):
    assert question_type(question["type"]).score(question, response) == expected


PARSES = [
    ("single", {"choice": ["c"]}, "c"),
    ("single", {}, None),
    ("multiple", {"choice": ["c", "a", "a"]}, ["a", "c"]),
    ("multiple", {"present": ["1"]}, None),
    ("true_false", {"choice": ["true"]}, True),
    ("true_false", {"choice": ["false"]}, False),
    ("numeric", {"value": [" 1,250.5 "], "unit": ["g"]}, {"value": "1250.5", "unit": "g"}),
    ("numeric", {"value": ["35"]}, {"value": "35", "unit": "mg"}),
    ("numeric", {"value": ["35"], "unit": ["µg"]}, {"value": "35", "unit": "mcg"}),
    ("numeric", {"value": [""], "unit": ["mg"]}, None),
    ("ordering", {f"pos.s{i}": [str(6 - i)] for i in range(1, 6)}, ["s5", "s4", "s3", "s2", "s1"]),
    ("ordering", {}, None),
    ("matching", {"match.phq9": ["dep"], "match.gad7": [""]}, {"phq9": "dep"}),
]


@pytest.mark.parametrize("kind,values,expected", PARSES)
def test_parse(kind, values, expected):
    assert question_type(kind).parse(SAMPLES[kind], values) == expected


BAD_PARSES = [
    ("single", {"choice": ["z"]}, "not an option"),
    ("multiple", {"choice": ["a", "zz"]}, "not an option"),
    ("true_false", {"choice": ["maybe"]}, "true or false"),
    ("numeric", {"value": ["ten"]}, "not a number"),
    ("numeric", {"value": ["nan"]}, "not a number"),
    ("numeric", {"value": ["1"], "unit": ["mL"]}, "give the answer in mg or g or mcg"),
    ("ordering", {"pos.s1": ["1"], "pos.s2": ["1"]}, "different position from 1 to 5"),
    ("matching", {"match.phq9": ["nope"]}, "not a choice"),
]


@pytest.mark.parametrize("kind,values,message", BAD_PARSES)
def test_parse_rejects_malformed_input(kind, values, message):
    with pytest.raises(ResponseError, match=message):
        question_type(kind).parse(SAMPLES[kind], values)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_keyed_response_scores_one(kind):
    q = SAMPLES[kind]
    assert question_type(kind).score(q, question_type(kind).keyed_response(q)) == 1


def _response_for(kind):
    """Arbitrary responses of the right shape (and some of the wrong shape)."""
    q = SAMPLES[kind]
    ids = {"single": ["a", "b", "c", "d", "x"], "multiple": ["a", "b", "c", "d", "e", "x"]}
    junk = st.one_of(st.none(), st.integers(), st.text(max_size=3))
    if kind == "single":
        return st.one_of(st.sampled_from(ids["single"]), junk)
    if kind == "multiple":
        return st.one_of(st.lists(st.sampled_from(ids["multiple"]), unique=True), junk)
    if kind == "true_false":
        return st.one_of(st.booleans(), junk)
    if kind == "numeric":
        value = st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str)
        return st.one_of(st.fixed_dictionaries({"value": value, "unit": st.sampled_from(["mg", "g", "mcg", "mL"])}),
                         junk)
    if kind == "ordering":
        return st.one_of(st.permutations([i["id"] for i in q["items"]]), junk)
    premises = [p["id"] for p in q["premises"]]
    choices = [c["id"] for c in q["choices"]] + ["x"]
    return st.one_of(st.dictionaries(st.sampled_from(premises), st.sampled_from(choices)), junk)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
@pytest.mark.parametrize("scoring", ["first", "second"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_score_stays_within_zero_and_one(kind, scoring, data):
    rules = {"multiple": ["per_option", "all_or_nothing"], "ordering": ["pairs", "all_or_nothing"],
             "matching": ["per_premise", "all_or_nothing"]}
    q = SAMPLES[kind]
    if kind in rules:
        q = sample(kind, scoring=rules[kind][0 if scoring == "first" else 1])
    response = data.draw(_response_for(kind))
    assert 0 <= question_type(kind).score(q, response) <= 1


@settings(max_examples=150, deadline=None)
@given(n_options=st.integers(4, 6), key=st.sets(st.integers(0, 5), min_size=1),
       scoring=st.sampled_from(["per_option", "all_or_nothing"]))
def test_any_valid_multiple_scores_its_key_max(n_options, key, scoring):
    options = [{"id": chr(97 + i), "text": f"O{i}", "why": "w"} for i in range(n_options)]
    keyed = sorted(chr(97 + k) for k in key if k < n_options) or ["a"]
    q = sample("multiple", options=options, key=keyed, scoring=scoring)
    kind = QUESTION_TYPES["multiple"]
    assert kind.score(q, kind.keyed_response(q)) == 1


@settings(max_examples=150, deadline=None)
@given(answer=st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False),
       unit=st.sampled_from(["mg", "g", "mcg", "mg/kg/h", "mmHg", "%", "min"]),
       tolerance=st.one_of(st.builds(lambda x: {"absolute": x}, st.floats(0, 100)),
                           st.builds(lambda x: {"relative": x}, st.floats(0, 0.99))))
def test_any_valid_numeric_scores_its_key_max(answer, unit, tolerance):
    q = sample("numeric", answer=float(answer), unit=unit, tolerance=tolerance, accepted_units=None,
               common_errors=None)
    kind = QUESTION_TYPES["numeric"]
    assert kind.score(q, kind.keyed_response(q)) == 1


@settings(max_examples=100, deadline=None)
@given(steps=st.integers(3, 8), order=st.randoms())
def test_ordering_pairs_score_is_one_only_for_the_key(steps, order):
    q = sample("ordering", items=[{"id": f"s{i}", "text": f"Step {i}"} for i in range(steps)])
    response = [i["id"] for i in q["items"]]
    order.shuffle(response)
    score = QUESTION_TYPES["ordering"].score(q, response)
    assert (score == 1) == (response == [i["id"] for i in q["items"]])
