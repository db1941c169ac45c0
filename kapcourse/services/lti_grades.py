"""Grade passback: the score outbox (filled in the attempt's transaction) and its sender."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from ..extensions import db
from ..lti import claims as c
from ..lti.client import ServiceError, ToolIdentity, post_score, request_token, same_host
from ..models.base import utcnow
from ..models.lti import LtiAccessToken, LtiIdentity, LtiLaunch, LtiRegistration, LtiScore
from .lti_identity import registration_urls
from .lti_registry import http_session, signing_key

log = logging.getLogger("kapcourse.lti")
CLAIM_SECONDS = 120
MAX_ATTEMPTS = 12
IMMEDIATE_TRIES = 3


def _latest_launch(user_id: int, module_slug: str) -> LtiLaunch | None:
    return db.session.scalar(
        select(LtiLaunch).where(LtiLaunch.user_id == user_id, LtiLaunch.module_slug == module_slug,
                                LtiLaunch.lineitem_url.is_not(None))
        .order_by(LtiLaunch.launched_at.desc(), LtiLaunch.id.desc()).limit(1))


def score_payload(sub: str, percent: float, submitted_at: datetime) -> dict[str, Any]:
    """An AGS score: percentage out of 100, completed and fully graded, ISO-8601 timestamp."""
    return {"userId": sub, "scoreGiven": round(float(percent), 4), "scoreMaximum": 100,
            "activityProgress": "Completed", "gradingProgress": "FullyGraded",
            "timestamp": submitted_at.isoformat(timespec="milliseconds")}


def on_attempt_graded(attempt: Any) -> None:
    """Subscriber: queue the score when the learner's latest launch of this module is LTI."""
    launch = _latest_launch(attempt.user_id, attempt.module_slug)
    if launch is None or c.SCOPE_SCORE not in (launch.ags_scopes or []):
        return
    identity = db.session.get(LtiIdentity, launch.identity_id)
    submitted = attempt.submitted_at or utcnow()
    db.session.add(LtiScore(registration_id=launch.registration_id, user_id=attempt.user_id,
                            lineitem_url=launch.lineitem_url,
                            payload=score_payload(identity.sub, attempt.score, submitted)))
    db.session.info["lti_scores_queued"] = True


def access_token(registration: LtiRegistration, scope: str, now: datetime) -> str:
    """A cached access token for this registration and scope, or a new one."""
    cached = db.session.scalar(select(LtiAccessToken).where(
        LtiAccessToken.registration_id == registration.id, LtiAccessToken.scope == scope))
    if cached is not None and cached.expires_at > now + timedelta(seconds=30):
        return cached.token
    pem, kid = signing_key()
    tool = ToolIdentity(client_id=registration.client_id, token_url=registration.token_url,
                        audience=registration.token_audience or registration.token_url,
                        private_pem=pem, kid=kid)
    token, expires_in = request_token(http_session(), tool, scope.split(), int(now.timestamp()))
    if cached is None:
        cached = LtiAccessToken(registration_id=registration.id, scope=scope)
        db.session.add(cached)
    cached.token, cached.expires_at = token, now + timedelta(seconds=expires_in)
    db.session.commit()
    return token


def forget_token(registration_id: int, scope: str) -> None:
    """Drop a cached token the platform refused."""
    db.session.execute(LtiAccessToken.__table__.delete().where(
        LtiAccessToken.registration_id == registration_id, LtiAccessToken.scope == scope))
    db.session.commit()


def _claim(row_id: int, now: datetime) -> bool:
    """Take a row for this sender; another sender holding it makes this False."""
    result = db.session.execute(update(LtiScore).where(
        LtiScore.id == row_id, LtiScore.status == "pending",
        or_(LtiScore.claimed_until.is_(None), LtiScore.claimed_until < now),
    ).values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS)))
    db.session.commit()
    return result.rowcount == 1


def _send_once(row: LtiScore, registration: LtiRegistration) -> None:
    # Tokens and assertions use the real clock; `now` only schedules retries.
    token = access_token(registration, c.SCOPE_SCORE, utcnow())
    try:
        post_score(http_session(), token, row.lineitem_url, row.payload)
    except ServiceError as error:
        if error.status == 401:
            forget_token(registration.id, c.SCOPE_SCORE)
        raise


def _deliver(row: LtiScore, now: datetime, sleep: Callable[[float], None]) -> str:
    registration = db.session.get(LtiRegistration, row.registration_id)
    if not same_host(row.lineitem_url, registration_urls(registration)):
        return _finish(row, "refused", now, "line item host is not the platform's")
    error: ServiceError | None = None
    for attempt in range(IMMEDIATE_TRIES):
        try:
            _send_once(row, registration)
            return _finish(row, "delivered", now, "")
        except ServiceError as exc:
            error = exc
            if not exc.retryable:
                break
            sleep(current_app.config.get("LTI_RETRY_BASE_SECONDS", 0.5) * 2 ** attempt)
    return _fail(row, error, now)


def _fail(row: LtiScore, error: ServiceError, now: datetime) -> str:
    row.attempts += 1
    if not error.retryable or row.attempts >= MAX_ATTEMPTS:
        return _finish(row, "failed", now, str(error))
    row.next_attempt_at = now + timedelta(seconds=min(30 * 2 ** row.attempts, 3600))
    row.claimed_until, row.last_error = None, str(error)[:500]
    db.session.commit()
    log.warning("lti score %s: attempt %s failed: %s", row.id, row.attempts, error)
    return "retry"


def _finish(row: LtiScore, status: str, now: datetime, message: str) -> str:
    row.status, row.last_error, row.claimed_until = status, message[:500], None
    if status == "delivered":
        row.attempts += 1
        row.delivered_at = now
    db.session.commit()
    log.info("lti score %s: %s %s", row.id, status, message)
    return status


def deliver_due(now: datetime | None = None, limit: int = 100,
                sleep: Callable[[float], None] = time.sleep) -> dict[str, int]:
    """Send every pending score whose time has come; returns a count per outcome."""
    now = now or utcnow()
    ids = db.session.scalars(select(LtiScore.id).where(
        LtiScore.status == "pending", LtiScore.next_attempt_at <= now)
        .order_by(LtiScore.id).limit(limit)).all()
    outcomes: dict[str, int] = {}
    for row_id in ids:
        if not _claim(row_id, now):
            continue
        outcome = _deliver(db.session.get(LtiScore, row_id), now, sleep)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
