"""Fault: the LMS score endpoint is down for 40 minutes; every score arrives once it is back.

The clock is a parameter (deliver_due's `now`) and the sender's sleep is recorded, not slept, so
the outage takes milliseconds of test time.
"""
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from kapcourse.extensions import db
from kapcourse.models import ModuleVersion
from kapcourse.models.base import utcnow
from kapcourse.models.lti import LtiIdentity, LtiScore
from kapcourse.services import events
from kapcourse.services.lti_grades import deliver_due

OUTAGE = timedelta(minutes=40)
TICK = timedelta(minutes=1)  # how often a scheduler would run `flask lti deliver`


def _graded(user_id, percent, when):
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.slug == "alpha-module"))
    return SimpleNamespace(user_id=user_id, module_version_id=version.id, module_slug=version.slug, score=percent,
                           max=100, submitted_at=when)


def test_scores_queued_during_an_outage_are_all_delivered_once_it_ends(client, platform, launch_as,
                                                                       publish_fixture_content):
    publish_fixture_content()
    start = utcnow()
    expected = {}
    for n in range(5):
        assert launch_as(sub=f"outage-{n}").status_code == 302
        user_id = db.session.scalar(select(LtiIdentity.user_id).where(LtiIdentity.sub == f"outage-{n}"))
        events.publish("quiz.attempt_graded", attempt=_graded(user_id, 60 + n, start))
        db.session.commit()
        expected[f"outage-{n}"] = 60 + n
    down = {"on": True, "refused": 0}

    def outage():
        if down["on"]:
            down["refused"] += 1
            return 503
        return None

    platform.score_fault = outage
    slept: list[float] = []
    now = start
    while now < start + OUTAGE:
        deliver_due(now=now, sleep=slept.append)
        now += TICK
    assert down["refused"] > 5 and platform.scores == []
    assert set(db.session.scalars(select(LtiScore.status))) == {"pending"}  # retried later, never given up

    down["on"] = False
    for _ in range(24 * 60):  # at most a day of scheduler ticks after the LMS is back
        deliver_due(now=now, sleep=slept.append)
        if not db.session.scalar(select(LtiScore.id).where(LtiScore.status == "pending")):
            break
        now += TICK
    assert now - (start + OUTAGE) <= timedelta(hours=2), "delivery resumed too slowly after the outage"
    assert db.session.scalars(select(LtiScore.status)).all() == ["delivered"] * 5
    received = {}
    for score in platform.scores:
        assert score["userId"] not in received, "a score was delivered twice"
        received[score["userId"]] = score["scoreGiven"]
    assert received == expected
    assert sum(slept) < 60  # in-request backoff stays short; the long waits are next_attempt_at
