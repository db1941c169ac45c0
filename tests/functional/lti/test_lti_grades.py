"""Grade passback: a real quiz submit reaches the platform; a flaky platform still gets each score."""
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

import requests
from sqlalchemy import select

from kapcourse.extensions import db
from kapcourse.lti import claims as c
from kapcourse.models import ModuleVersion
from kapcourse.models.base import utcnow
from kapcourse.models.lti import LtiAccessToken, LtiIdentity, LtiScore
from kapcourse.services import events
from kapcourse.services.lti_grades import deliver_due, score_payload

from conftest import ISSUER


def _noop(_seconds):
    pass


def test_quiz_submit_score_reaches_the_platform(client, platform, launch_as, publish_fixture_content):
    publish_fixture_content()
    assert launch_as(sub="quiz-taker").status_code == 302
    assert client.post("/modules/alpha-module/enrol").status_code == 302
    started = client.post("/modules/alpha-module/quiz/start")
    attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    submitted = client.post(f"/quiz/attempts/{attempt_id}/submit", data={})
    assert submitted.status_code in (302, 303), submitted.get_data(as_text=True)[:300]
    submitted.close()  # the WSGI server closes the response: delivery runs after the commit
    row = db.session.scalar(select(LtiScore))
    db.session.refresh(row)
    assert row.status == "delivered" and row.attempts == 1
    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["userId"] == "quiz-taker" and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["timestamp"].endswith("+00:00") and 0 <= score["scoreGiven"] <= 100
    # The line item URL's query string is kept on the scores URL.
    assert platform.score_urls == ["/api/lineitems/7/scores?type_id=42"]
    assert platform.assertion_audiences == [ISSUER + "/token"]


def _graded(user_id, percent, when):
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.slug == "alpha-module"))
    return SimpleNamespace(user_id=user_id, module_version_id=version.id, module_slug=version.slug, score=percent,
                           max=100, submitted_at=when)


def _learners(launch_as, count):
    ids = []
    for n in range(count):
        assert launch_as(sub=f"learner-{n}").status_code == 302
        ids.append(db.session.scalar(select(LtiIdentity.user_id).where(LtiIdentity.sub == f"learner-{n}")))
    return ids


def test_flaky_platform_ends_with_every_score_once_in_effect(client, platform, launch_as, rng,
                                                             publish_fixture_content):
    publish_fixture_content()
    users = _learners(launch_as, 6)
    start = utcnow()
    expected = {}
    for n, user_id in enumerate(users):
        for attempt in range(2):  # a retake: the later timestamp must win at the platform
            when = start + timedelta(minutes=attempt, seconds=n)
            percent = rng.randint(0, 100)
            events.publish("quiz.attempt_graded", attempt=_graded(user_id, percent, when))
            expected[f"learner-{n}"] = (when.isoformat(timespec="milliseconds"), percent)
        db.session.commit()
    faults = []

    def flaky():
        if rng.random() < 0.3:
            faults.append(500)
            return 500
        return None
    platform.score_fault = flaky

    def timeouts(prepared):
        if "/scores" in prepared.url and rng.random() < 0.1:
            raise requests.ConnectTimeout("simulated timeout before the platform saw it")
    platform.adapter.fault = timeouts
    platform.adapter.lose_response = lambda p: "/scores" in p.url and rng.random() < 0.1
    now = utcnow()
    for _ in range(40):
        deliver_due(now=now, sleep=_noop)
        if not db.session.scalar(select(LtiScore.id).where(LtiScore.status == "pending")):
            break
        now += timedelta(hours=1)
    assert len(faults) >= 2  # the platform really failed along the way
    statuses = db.session.scalars(select(LtiScore.status)).all()
    assert statuses == ["delivered"] * 12
    received = defaultdict(set)
    for score in platform.scores:
        received[score["userId"]].add((score["timestamp"], score["scoreGiven"]))
    for sub, (timestamp, percent) in expected.items():
        latest = max(received[sub])  # what the platform keeps: the newest timestamp
        assert latest == (timestamp, percent)
        assert len(received[sub]) == 2  # re-sends are identical, so each attempt counts once
    assert len(set(platform.jtis)) == len(platform.jtis)  # every assertion has a fresh jti


def test_token_is_cached_per_registration_and_scope(client, platform, launch_as, publish_fixture_content):
    publish_fixture_content()
    (user_id,) = _learners(launch_as, 1)
    for percent in (10, 20, 30):
        events.publish("quiz.attempt_graded", attempt=_graded(user_id, percent, utcnow()))
        db.session.commit()
        deliver_due(sleep=_noop)
    assert len(platform.jtis) == 1
    tokens = db.session.scalars(select(LtiAccessToken)).all()
    assert [(t.registration_id, t.scope) for t in tokens] == [(1, c.SCOPE_SCORE)]


def test_no_outbox_row_without_an_lti_launch(app, make_user, publish_fixture_content):
    publish_fixture_content()
    user = make_user()
    events.publish("quiz.attempt_graded", attempt=_graded(user.id, 50, utcnow()))
    db.session.commit()
    assert db.session.scalar(select(LtiScore)) is None


def test_foreign_lineitem_host_is_refused(client, platform, launch_as, publish_fixture_content, caplog):
    publish_fixture_content()
    (user_id,) = _learners(launch_as, 1)
    events.publish("quiz.attempt_graded", attempt=_graded(user_id, 70, utcnow()))
    row = db.session.scalar(select(LtiScore))
    row.lineitem_url = "https://evil.test/lineitems/1"
    db.session.commit()
    assert deliver_due(sleep=_noop) == {"refused": 1}
    assert not platform.scores and all("evil.test" not in url for _, url in platform.adapter.calls)


def test_cli_deliver_sends_what_is_pending(client, runner, platform, launch_as, publish_fixture_content):
    publish_fixture_content()
    (user_id,) = _learners(launch_as, 1)
    events.publish("quiz.attempt_graded", attempt=_graded(user_id, 88, utcnow()))
    db.session.commit()
    result = runner.invoke(args=["lti", "deliver"])
    assert result.exit_code == 0 and '"delivered": 1' in result.output
    assert [s["scoreGiven"] for s in platform.scores] == [88]


def test_score_payload_shape():
    when = utcnow()
    payload = score_payload("sub-1", 87.5, when)
    assert payload == {"userId": "sub-1", "scoreGiven": 87.5, "scoreMaximum": 100,
                       "activityProgress": "Completed", "gradingProgress": "FullyGraded",
                       "timestamp": when.isoformat(timespec="milliseconds")}
