"""Item-writing lint rules (table-driven)."""
import pytest

from kapcourse.content.item_lint import lint_objectives, lint_questions, question_sentence
from quiz_samples import sample

LONG = "A keyed answer that is written out at great length with every qualifier a cautious author adds"

FLAWED = [
    ("all of the above", sample("single", options=[*sample("single")["options"][:3],
                                                   {"id": "d", "text": "All of the above", "why": "w"}]),
     ("questions", 0, "options", 3, "text"), "avoid 'all of the above'"),
    ("none of the above", sample("multiple", options=[*sample("multiple")["options"][:4],
                                                      {"id": "e", "text": "None  of the above", "why": "w"}]),
     ("questions", 0, "options", 4, "text"), "avoid 'none of the above'"),
    ("lowercase not", sample("single", stem="A patient arrives. Which drug is not a contraindication?"),
     ("questions", 0, "stem"), "negative stem uses 'not'"),
    ("lowercase except", sample("single", stem="All are risk factors except which one?"),
     ("questions", 0, "stem"), "negative stem uses 'except'"),
    ("contraction", sample("single", stem="Which finding doesn't need action?"),
     ("questions", 0, "stem"), "negative stem uses 'doesn't'"),
    ("long key", sample("single", options=[{"id": "a", "text": "Short", "why": "w"},
                                           {"id": "b", "text": LONG, "why": "w"},
                                           {"id": "c", "text": "Brief one", "why": "w"},
                                           {"id": "d", "text": "Tiny", "why": "w"}]),
     ("questions", 0, "options", 1, "text"), "keyed option 'b' is much longer"),
    ("no rationale", sample("single", rationale=" "), ("questions", 0, "rationale"), "no rationale"),
    ("no reference", sample("single", references=[]), ("questions", 0, "references"), "no reference"),
]


@pytest.mark.parametrize("label,question,loc,message", FLAWED, ids=[f[0] for f in FLAWED])
def test_flaws_are_found(label, question, loc, message):
    assert any(p_loc == loc and message in p_msg for p_loc, p_msg in lint_questions([question]))


CLEAN = [
    sample("single", stem="She does not drink alcohol. Which test comes first?"),  # negation outside the question
    sample("single", stem="Which of these is NOT a contraindication?"),
    sample("single", stem="All of these are risk factors EXCEPT which?"),
    sample("multiple", options=[{"id": c, "text": f"An option of moderate length {c}", "why": "w"} for c in "abcde"]),
    sample("numeric"), sample("ordering"), sample("matching"), sample("true_false"),
]


@pytest.mark.parametrize("question", CLEAN)
def test_clean_items_pass(question):
    assert lint_questions([question]) == []


def test_objective_with_fewer_than_three_items():
    objectives = [{"id": "obj-a"}, {"id": "obj-b"}]
    questions = [sample("single", id=f"q{i}", objective="obj-a") for i in range(3)] + [sample("single", id="x",
                                                                                              objective="obj-b")]
    assert lint_objectives(objectives, questions) == [
        (("objectives", 1, "id"), "objective 'obj-b' is assessed by 1 question; at least 3 are needed")]


def test_question_sentence_is_the_one_that_asks():
    assert question_sentence("A 40-year-old man. He is not well.\nWhat next?") == "What next?"
