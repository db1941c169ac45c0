"""Quiz services against the database: one grading wins, the event runs inside the transaction."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from kapcourse.extensions import db
from kapcourse.models import AttemptItem, AuditEvent, QuizAttempt
from kapcourse.models.base import utcnow
from kapcourse.services import enrolment, events, quiz


@pytest.fixture
def learner(app, make_user, publish_fixture_content):
    publish_fixture_content()
    user = make_user()
    enrolment.enrol(user.id, "alpha-module")
    return user


def test_start_pins_the_version_and_stores_a_keyed_copy_per_item(learner):
    attempt = quiz.start_attempt(learner.id, "alpha-module")
    items = quiz.items_of(attempt)
    assert attempt.module_version_id == enrolment.enrolment_for(learner.id, "alpha-module").module_version_id
    assert len(items) == 6 and all("rationale" in i.question for i in items)
    ordering = next(i for i in items if i.question["type"] == "ordering")
    assert ordering.question["key"] == ["weigh", "calculate", "check", "give"]
    assert quiz.start_attempt(learner.id, "alpha-module").id == attempt.id  # resumes, never a second draw


def test_grading_twice_keeps_the_first_result_and_publishes_once(learner, monkeypatch):
    published = []
    monkeypatch.setitem(events._subscribers, "quiz.attempt_graded", [lambda attempt: published.append(attempt.id)])
    attempt = quiz.start_attempt(learner.id, "alpha-module")
    quiz.submit_attempt(attempt)
    set_committed_value(attempt, "status", "in_progress")  # a racing request that read it as open
    quiz.submit_attempt(attempt, {"q1.choice": ["a"]})
    assert published == [attempt.id]
    assert attempt.status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_subscriber_rows_commit_with_the_grade(learner, monkeypatch):
    def audit(attempt):
        db.session.add(AuditEvent(action="test.graded", subject=f"attempt {attempt.id}", details={}))
    monkeypatch.setitem(events._subscribers, "quiz.attempt_graded", [audit])
    attempt = quiz.start_attempt(learner.id, "alpha-module")
    quiz.submit_attempt(attempt)
    db.session.rollback()  # nothing pending: the grade and the subscriber's row were committed together
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "test.graded")) == 1


def test_status_reports_best_score_and_cooldown(learner):
    attempt = quiz.start_attempt(learner.id, "alpha-module")
    quiz.submit_attempt(attempt)
    status = quiz.quiz_status(learner.id, attempt.module_version_id)
    assert status["best_score"] == 0 and status["passed"] is False
    assert status["attempts_used"] == 1 and status["attempts_left"] == 2 and status["next_allowed_at"] is None


def test_saving_never_changes_a_graded_item(learner):
    attempt = quiz.start_attempt(learner.id, "alpha-module")
    quiz.submit_attempt(attempt)
    db.session.execute(AttemptItem.__table__.update().values(score_millionths=0))
    quiz._write_answers([{"b_id": i.id, "b_response": "x", "b_saved": utcnow() + timedelta(seconds=1)}
                         for i in quiz.items_of(attempt)])
    db.session.commit()
    db.session.expire_all()
    assert all(i.response is None for i in quiz.items_of(attempt))
