"""Taking a quiz through the test client: end to end, limits, idempotent submit, resume, no leaks."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kapcourse.extensions import db
from kapcourse.models import QuizAttempt
from kapcourse.models.base import utcnow
from kapcourse.services import events
from quiz_helpers import attempt_items, keyed_fields, keyed_form, secrets_of


@pytest.fixture
def learner(app, client, make_user, login, publish_fixture_content):
    publish_fixture_content()
    user = make_user()
    login(client, user)
    for slug in ("alpha-module", "beta-module"):
        assert client.post(f"/modules/{slug}/enrol").status_code == 302
    return user


@pytest.fixture
def graded_events(monkeypatch):
    seen = []
    monkeypatch.setitem(events._subscribers, "quiz.attempt_graded", [lambda attempt: seen.append(
        (attempt.id, attempt.score, attempt.passed))])
    return seen


def start(client, slug="alpha-module") -> int:
    response = client.post(f"/modules/{slug}/quiz/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    match = re.search(r"/quiz/attempts/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_take_and_pass_a_quiz_end_to_end(client, learner, graded_events):
    assert "Start the quiz" in client.get("/modules/alpha-module/quiz").get_data(as_text=True)
    attempt_id = start(client)
    page = client.get(f"/quiz/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count('class="quiz-item"') == 6
    response = client.post(f"/quiz/attempts/{attempt_id}/answers", data={**keyed_form(attempt_id), "action": "review"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/confirm")
    assert "You have answered all 6 questions" in client.get(f"/quiz/attempts/{attempt_id}/confirm").get_data(as_text=True)
    response = client.post(f"/quiz/attempts/{attempt_id}/submit")
    assert response.status_code == 303
    results = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "100.00 %" in results and "Passed" in results
    assert "Calculate a weight-based dose." in results  # per-objective breakdown
    assert "Multiply the weight by the dose per kilogram." in results  # rationales: review full, always
    assert graded_events and graded_events[0][1:] == (100, True)
    overview = client.get("/modules/alpha-module").get_data(as_text=True)
    assert 'id="quiz-heading"' in overview and "Passed" in overview


def test_partial_answers_fail_and_confirmation_lists_unanswered(client, learner):
    attempt_id = start(client)
    client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id, wrong=2))
    confirm = client.get(f"/quiz/attempts/{attempt_id}/confirm").get_data(as_text=True)
    assert "2 of 6 questions unanswered" in confirm and "#item-1" in confirm and "#item-2" in confirm
    client.post(f"/quiz/attempts/{attempt_id}/submit")
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.passed is False and attempt.score < 80
    assert [i.score for i in attempt_items(attempt_id)][:2] == [0, 0]


def test_double_submit_yields_one_result(client, learner, graded_events):
    attempt_id = start(client)
    form = keyed_form(attempt_id)
    first = client.post(f"/quiz/attempts/{attempt_id}/submit", data=form)
    second = client.post(f"/quiz/attempts/{attempt_id}/submit", data=keyed_form(attempt_id, wrong=6))
    assert first.headers["Location"] == second.headers["Location"]
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).score == 100
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert len(graded_events) == 1


def test_attempt_limit_and_cooldown_are_enforced(client, learner):
    first = start(client, "beta-module")
    client.post(f"/quiz/attempts/{first}/submit")
    response = client.post("/modules/beta-module/quiz/start", follow_redirects=True)
    assert "You can start your next attempt at" in response.get_data(as_text=True)
    db.session.get(QuizAttempt, first).submitted_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    second = start(client, "beta-module")
    assert second != first
    client.post(f"/quiz/attempts/{second}/submit")
    db.session.get(QuizAttempt, second).submitted_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    response = client.post("/modules/beta-module/quiz/start", follow_redirects=True)
    assert "You have used every attempt at this quiz." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 2


def test_a_new_attempt_avoids_items_already_seen_when_the_bank_allows(client, learner):
    first = start(client, "beta-module")
    client.post(f"/quiz/attempts/{first}/submit")
    db.session.get(QuizAttempt, first).submitted_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    second = start(client, "beta-module")
    seen = {i.question_id for i in attempt_items(first)}
    fresh = {i.question_id for i in attempt_items(second)} - seen
    assert len(fresh) == 1  # the bank holds 3 items, the blueprint draws 2: only one is unseen


def test_resume_after_a_new_session(app, client, learner, login):
    attempt_id = start(client)
    item = attempt_items(attempt_id)[0]
    client.post(f"/quiz/attempts/{attempt_id}/answers", data={f"q1.present": "1", **keyed_fields(1, item.question)})
    other = app.test_client()
    login(other, learner)
    overview = other.get("/modules/alpha-module/quiz").get_data(as_text=True)
    assert f"/quiz/attempts/{attempt_id}" in overview and "Resume your attempt" in overview
    assert start(other) == attempt_id  # starting again resumes, never draws a second attempt
    page = other.get(f"/quiz/attempts/{attempt_id}").get_data(as_text=True)
    first_item = page.split('id="item-1"')[1].split("</fieldset>")[0]
    assert " checked" in first_item or " selected" in first_item or 'value="35"' in first_item


def test_the_key_is_absent_from_every_pre_submit_response(client, learner):
    attempt_id = start(client)
    items = attempt_items(attempt_id)
    pages = [client.get("/modules/alpha-module").get_data(as_text=True),
             client.get("/modules/alpha-module/quiz").get_data(as_text=True),
             client.get(f"/quiz/attempts/{attempt_id}").get_data(as_text=True),
             client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id),
                         headers={"Accept": "application/json"}).get_data(as_text=True),
             client.post(f"/quiz/attempts/{attempt_id}/answers", data={"q1.present": "1", "q2.present": "1",
                         **{f"q{i.position}.value": "abc" for i in items if i.question["type"] == "numeric"}}
                         ).get_data(as_text=True),
             client.get(f"/quiz/attempts/{attempt_id}/confirm").get_data(as_text=True)]
    page = pages[2]  # the attempt page before any answer is saved
    for text in pages:
        for item in items:
            for secret in secrets_of(item.question):
                assert secret not in text, secret
        assert not re.search(r"(?i)keyed|is-correct|data-key|correct answer", text)
    for item in items:
        _assert_keyed_option_unmarked(page, item)


def _assert_keyed_option_unmarked(page: str, item) -> None:
    """The keyed option's control is the same markup as a distractor's, bar its id and value."""
    q = item.question
    if q["type"] not in ("single", "multiple"):
        return
    keys = set(q["key"] if isinstance(q["key"], list) else [q["key"]])
    def control(option_id):
        match = re.search(rf'<input[^>]*id="q{item.position}-{option_id}"[^>]*>', page)
        return re.sub(rf'q{item.position}-{option_id}"|value="{option_id}"', "", match.group(0))
    distractor = next(o["id"] for o in q["options"] if o["id"] not in keys)
    for key in keys:
        assert control(key) == control(distractor)


def test_bad_input_rerenders_with_errors_and_keeps_the_rest(client, learner):
    attempt_id = start(client)
    items = attempt_items(attempt_id)
    numeric = next(i for i in items if i.question["type"] == "numeric")
    single = next(i for i in items if i.question["type"] == "single")
    data = {f"q{numeric.position}.value": "ten", **keyed_fields(single.position, single.question)}
    response = client.post(f"/quiz/attempts/{attempt_id}/answers", data=data)
    assert response.status_code == 422 and "Not saved: &#39;ten&#39; is not a number" in response.get_data(as_text=True)
    db.session.expire_all()
    assert next(i for i in attempt_items(attempt_id) if i.id == single.id).response == single.question["key"]


def test_autosave_answers_json(client, learner):
    attempt_id = start(client)
    item = attempt_items(attempt_id)[0]
    response = client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_fields(1, item.question),
                           headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json() == {"saved": [1], "errors": {}, "closed": False}


def test_a_timed_attempt_is_graded_at_the_deadline_with_what_was_saved(client, learner):
    attempt_id = start(client)
    client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id, wrong=3))
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id))
    assert response.status_code == 302 and response.headers["Location"].endswith("/results")
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.submitted and attempt.graded_at_deadline and attempt.submitted_at == attempt.deadline_at
    assert attempt.score < 100


def test_another_learners_attempt_is_404(app, client, learner, make_user, login):
    attempt_id = start(client)
    intruder = app.test_client()
    login(intruder, make_user())
    for method, url in [("get", ""), ("get", "/confirm"), ("get", "/results"), ("post", "/answers"),
                        ("post", "/submit")]:
        assert getattr(intruder, method)(f"/quiz/attempts/{attempt_id}{url}").status_code == 404
    assert db.session.get(QuizAttempt, attempt_id).status == "in_progress"


def test_review_policy_withholds_keys_until_passed_or_final(client, learner):
    attempt_id = start(client, "beta-module")  # review: score_only
    client.post(f"/quiz/attempts/{attempt_id}/submit")
    results = client.get(f"/quiz/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Not passed" in results and "Review" not in results
    for item in attempt_items(attempt_id):
        assert item.question["rationale"].strip() not in results


def test_a_submit_after_the_grace_period_is_graded_as_at_the_deadline(client, learner):
    attempt_id = start(client)
    client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id, wrong=3))
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    response = client.post(f"/quiz/attempts/{attempt_id}/submit", data=keyed_form(attempt_id))
    assert response.status_code == 303
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.graded_at_deadline and attempt.submitted_at == attempt.deadline_at
    assert attempt.score < 100  # the late answers were not counted
