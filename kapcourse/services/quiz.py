"""Quiz use cases: status, start (draw), autosave, submit (grade once), close at the deadline."""
from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..domain import questions as qdomain
from ..extensions import db
from ..models import AttemptItem, ModuleVersion, QuizAttempt
from ..models.base import utcnow
from ..models.quiz import IN_PROGRESS, ITEM_SCALE, SUBMITTED
from . import content, events
from .enrolment import enrolment_for

# Answers sent with a submit a little after the deadline (network, a slow click) still count.
DEADLINE_GRACE = timedelta(seconds=15)
_ITEMS = AttemptItem.__table__


class QuizClosed(Exception):
    """A new attempt may not start now (limit reached, cooling down, not enrolled)."""


@dataclass
class SaveResult:
    """What an autosave did: positions saved, and a message per position it could not save."""

    saved: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    closed: bool = False


def quiz_settings(module_version_id: int) -> dict[str, Any]:
    """The quiz settings of a module version."""
    return content.module_payload(module_version_id)["quiz"]


def _attempts(user_id: int, slug: str) -> list[QuizAttempt]:
    return list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_slug == slug).order_by(QuizAttempt.number)))


def quiz_status(user_id: int, module_version_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Best score, passed, attempts used/left and when the next may start, for one learner."""
    now = now or utcnow()
    version = db.session.get(ModuleVersion, module_version_id)
    settings = quiz_settings(module_version_id)
    attempts = _attempts(user_id, version.slug)
    graded = [a for a in attempts if a.submitted]
    current = next((a for a in attempts if not a.submitted), None)
    limit = settings.get("attempt_limit")
    used = len(attempts)
    best = max((a.score_hundredths for a in graded), default=None)
    next_at = _next_allowed(graded, settings) if current is None else None
    return {
        "best_score": best / 100 if best is not None else None,
        "passed": any(a.passed for a in graded),
        "attempts_used": used,
        "attempts_left": None if limit is None else max(0, limit - used),
        "attempt_limit": limit,
        "next_allowed_at": next_at if next_at and next_at > now else None,
        "in_progress_attempt_id": current.id if current else None,
        "last_attempt_id": graded[-1].id if graded else None,
        "pass_mark": settings.get("pass_mark", 80),
    }


def _next_allowed(graded: Sequence[QuizAttempt], settings: Mapping[str, Any]) -> datetime | None:
    if not graded or not settings.get("cooldown_minutes"):
        return None
    return graded[-1].submitted_at + timedelta(minutes=settings["cooldown_minutes"])


def attempt_for(user_id: int, attempt_id: int) -> QuizAttempt | None:
    """The attempt when it belongs to this learner, else None (the caller answers 404)."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def start_attempt(user_id: int, slug: str, now: datetime | None = None) -> QuizAttempt:
    """Resume the open attempt, or draw a new one by the blueprint when the rules allow it."""
    now = now or utcnow()
    enrolment = enrolment_for(user_id, slug)
    if enrolment is None:
        raise QuizClosed("Enrol in the module before taking its quiz.")
    status = quiz_status(user_id, enrolment.module_version_id, now)
    if status["in_progress_attempt_id"]:
        return db.session.get(QuizAttempt, status["in_progress_attempt_id"])
    _check_may_start(status)
    try:
        attempt = _create_attempt(user_id, slug, enrolment.module_version_id, status["attempts_used"] + 1, now)
        db.session.commit()
    except IntegrityError:  # a concurrent start won the race: use its attempt
        db.session.rollback()
        return db.session.scalars(select(QuizAttempt).where(
            QuizAttempt.user_id == user_id, QuizAttempt.module_slug == slug,
            QuizAttempt.status == IN_PROGRESS)).one()
    return attempt


def _check_may_start(status: Mapping[str, Any]) -> None:
    if status["attempts_left"] == 0:
        raise QuizClosed("You have used every attempt at this quiz.")
    if status["next_allowed_at"] is not None:
        raise QuizClosed(f"You can start your next attempt at {status['next_allowed_at']:%H:%M} UTC "
                         f"on {status['next_allowed_at']:%d %B %Y}.")


def _create_attempt(user_id: int, slug: str, version_id: int, number: int, now: datetime) -> QuizAttempt:
    settings = quiz_settings(version_id)
    seed = secrets.randbelow(2**31)
    seen = set(db.session.scalars(select(AttemptItem.question_id).join(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_slug == slug)))
    bank = content.module_payload(version_id)["questions"]
    drawn = qdomain.draw(bank, settings["blueprint"], seed, seen)
    arranged = qdomain.arrange_all(drawn, seed, settings.get("shuffle_options", True))
    limit = settings.get("time_limit_minutes")
    attempt = QuizAttempt(user_id=user_id, module_slug=slug, module_version_id=version_id, number=number,
                          seed=seed, status=IN_PROGRESS, started_at=now,
                          deadline_at=now + timedelta(minutes=limit) if limit else None)
    db.session.add(attempt)
    db.session.flush()
    db.session.execute(insert(AttemptItem), [
        {"attempt_id": attempt.id, "position": i, "question_id": q["id"], "objective": q["objective"],
         "question": q, "response": None} for i, q in enumerate(arranged, start=1)])
    return attempt


def items_of(attempt: QuizAttempt) -> list[AttemptItem]:
    """The attempt's items in the order drawn."""
    return list(db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
                                   .order_by(AttemptItem.position)))


def group_form(form: Mapping[str, Sequence[str]]) -> dict[int, dict[str, list[str]]]:
    """Split fields named `q<position>.<sub>` into the values of each position."""
    groups: dict[int, dict[str, list[str]]] = {}
    for name, values in form.items():
        head, _, sub = name.partition(".")
        number = head[1:]
        # isascii: str.isdigit() accepts digits such as '²' that int() refuses.
        if head.startswith("q") and number.isascii() and number.isdigit() and sub:
            groups.setdefault(int(number), {})[sub] = list(values)
    return groups


def _parse_answers(rows, form: Mapping[str, Sequence[str]], now: datetime) -> tuple[list[dict], SaveResult]:
    groups = group_form(form)
    result, updates = SaveResult(), []
    for row in rows:
        if row.position not in groups:
            continue
        try:
            response = qdomain.question_type(row.question["type"]).parse(row.question, groups[row.position])
        except qdomain.ResponseError as error:
            result.errors[row.position] = str(error)
            continue
        updates.append({"b_id": row.id, "b_response": response, "b_saved": now})
        result.saved.append(row.position)
    return updates, result


def _write_answers(updates: list[dict]) -> None:
    """One executemany UPDATE; an item already graded is never changed."""
    if updates:
        db.session.execute(
            update(_ITEMS).where(_ITEMS.c.id == bindparam("b_id"), _ITEMS.c.score_millionths.is_(None))
            .values(response=bindparam("b_response"), saved_at=bindparam("b_saved")), updates)


def _item_rows(attempt_id: int, with_response: bool = False):
    extra = [_ITEMS.c.response, _ITEMS.c.saved_at] if with_response else []
    columns = [_ITEMS.c.id, _ITEMS.c.position, _ITEMS.c.question, *extra]
    return db.session.execute(select(*columns).where(_ITEMS.c.attempt_id == attempt_id)
                              .order_by(_ITEMS.c.position)).all()


def expired(attempt: QuizAttempt, now: datetime) -> bool:
    """True when a timed attempt's deadline has passed (grace excluded)."""
    return attempt.deadline_at is not None and now > attempt.deadline_at


def save_answers(attempt: QuizAttempt, form: Mapping[str, Sequence[str]], now: datetime | None = None) -> SaveResult:
    """Autosave the answers present in a form; past the deadline, grade what was saved instead."""
    now = now or utcnow()
    if attempt.submitted:
        return SaveResult(closed=True)
    if expired(attempt, now):
        close_if_expired(attempt, now)
        return SaveResult(closed=True)
    updates, result = _parse_answers(_item_rows(attempt.id), form, now)
    _write_answers(updates)
    db.session.commit()
    return result


def submit_attempt(attempt: QuizAttempt, form: Mapping[str, Sequence[str]] | None = None,
                   now: datetime | None = None) -> QuizAttempt:
    """Save any answers sent along, grade once and publish the grade; a repeat changes nothing."""
    now = now or utcnow()
    if attempt.submitted:
        return attempt
    rows = _item_rows(attempt.id, with_response=True)
    if attempt.deadline_at and now > attempt.deadline_at + DEADLINE_GRACE:
        # Too late: graded as at the deadline, with what was saved by then.
        _grade(attempt, rows, {}, attempt.deadline_at, at_deadline=True)
    else:
        answers = {u["b_id"]: u["b_response"] for u in _parse_answers(rows, form, now)[0]} if form else {}
        _grade(attempt, rows, answers, now, at_deadline=False)
    db.session.commit()
    return attempt


def close_if_expired(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Grade a timed attempt whose deadline passed, with what was saved; True if it did."""
    now = now or utcnow()
    if attempt.submitted or not expired(attempt, now):
        return False
    _grade(attempt, _item_rows(attempt.id, with_response=True), {}, attempt.deadline_at, at_deadline=True)
    db.session.commit()
    return True


def _grade(attempt: QuizAttempt, rows, answers: Mapping[int, Any], when: datetime, at_deadline: bool) -> None:
    """Score every item and claim the attempt with a conditional UPDATE, so only one grading wins.

    Set-based: one UPDATE claims the attempt, one executemany UPDATE writes every item's final
    response and score; no ORM unit of work on the submit path.
    """
    responses = [answers[r.id] if r.id in answers else r.response for r in rows]
    settings = quiz_settings(attempt.module_version_id)
    grade = qdomain.grade([(r.question, resp) for r, resp in zip(rows, responses)], settings.get("pass_mark", 80))
    values = {"status": SUBMITTED, "submitted_at": when, "passed": grade.passed,
              "graded_at_deadline": at_deadline, "score_hundredths": int(grade.percent * 100)}
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == IN_PROGRESS)
        .values(**values).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # graded meanwhile by another request: keep that result
        db.session.rollback()
        db.session.refresh(attempt)
        return
    db.session.execute(
        update(_ITEMS).where(_ITEMS.c.id == bindparam("b_id")).values(
            response=bindparam("b_response"), saved_at=bindparam("b_saved"), score_millionths=bindparam("b_score")),
        [{"b_id": r.id, "b_response": resp, "b_saved": when if r.id in answers else r.saved_at,
          "b_score": int(qdomain.item_decimal(score) * ITEM_SCALE)}
         for r, resp, score in zip(rows, responses, grade.item_scores)])
    for name, value in values.items():  # the row is already written: no reload needed
        set_committed_value(attempt, name, value)
    events.publish("quiz.attempt_graded", attempt=attempt)


def unanswered_positions(attempt: QuizAttempt) -> list[int]:
    """Positions of items with no saved answer (listed before the learner confirms a submit)."""
    return [item.position for item in items_of(attempt) if item.response is None]


def refresh_status(user_id: int, module_version_id: int, now: datetime | None = None) -> dict[str, Any]:
    """quiz_status after grading an open attempt whose deadline has passed."""
    now = now or utcnow()
    status = quiz_status(user_id, module_version_id, now)
    open_id = status["in_progress_attempt_id"]
    if open_id and close_if_expired(db.session.get(QuizAttempt, open_id), now):
        status = quiz_status(user_id, module_version_id, now)
    return status
