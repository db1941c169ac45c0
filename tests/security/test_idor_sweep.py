"""IDOR sweep: every learner-scoped URL found by walking learner A's pages answers 404/403 to learner B."""
from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urlsplit

from flask import url_for
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from kapcourse.extensions import db
from kapcourse.models import AttemptItem, Certificate, QuizAttempt, VignetteRun, VignetteStep

from .conftest import build_world

OWNED_ARGUMENTS = {"attempt_id", "run_id", "certificate_id"}
LINK = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
FORM = re.compile(r'<form\b([^>]*)>')
START_PAGES = ["/me", "/modules/alpha-module", "/modules/beta-module", "/modules/alpha-module/quiz",
               "/modules/alpha-module/vignettes/alpha-case"]


def _local(url: str) -> str | None:
    parts = urlsplit(html.unescape(url))
    if parts.netloc not in ("", "kapcourse.test") or not parts.path.startswith("/") or parts.path.startswith("/static"):
        return None
    return parts.path


def crawl(client, extra: tuple[str, ...] = (), limit: int = 150) -> set[tuple[str, str]]:
    """(method, path) of every same-site link and form action reachable from the start pages."""
    found: set[tuple[str, str]] = {("GET", path) for path in extra}
    queue, seen = deque(START_PAGES + list(extra)), set(START_PAGES) | set(extra)
    while queue and len(seen) <= limit:
        page = client.get(queue.popleft(), follow_redirects=True)
        text = page.get_data(as_text=True) if page.mimetype == "text/html" else ""
        for href in LINK.findall(text):
            path = _local(href)
            if path and path not in seen:
                found.add(("GET", path))
                if not path.endswith(".pdf"):
                    seen.add(path)
                    queue.append(path)
        for attributes in FORM.findall(text):
            action = re.search(r'\baction="([^"]+)"', attributes)
            method = re.search(r'\bmethod="(\w+)"', attributes)
            path = _local(action.group(1)) if action else None
            if path and path != "/logout":
                found.add(((method.group(1) if method else "get").upper(), path))
    return found


def _play_vignette(client, run_id: int) -> set[tuple[str, str]]:
    """Advance A's run through the player's forms, crawling at each node so every kind of form is seen."""
    found: set[tuple[str, str]] = set()
    for _ in range(4):
        found |= crawl(client, extra=(f"/vignette-runs/{run_id}",))  # where "start" redirects to
        page = client.get(f"/vignette-runs/{run_id}").get_data(as_text=True)
        fields = dict(re.findall(r'name="(node|position)"[^>]*value="([^"]*)"', page))
        if "/choose" in page:
            choice = re.search(r'name="choice"[^>]*value="([^"]+)"', page).group(1)
            client.post(f"/vignette-runs/{run_id}/choose", data={**fields, "choice": choice})
        elif "/continue" in page:
            client.post(f"/vignette-runs/{run_id}/continue", data=fields)
    return found


def _owned_urls(app, discovered: set[tuple[str, str]], world) -> set[tuple[str, str, str]]:
    """(method, path, endpoint) whose URL names one of A's objects, plus every such route built directly."""
    adapter = app.url_map.bind("kapcourse.test")
    owned = set()
    for method, path in discovered:
        try:
            endpoint, args = adapter.match(path, method=method)
        except (NotFound, MethodNotAllowed):
            continue
        if OWNED_ARGUMENTS & set(args):
            owned.add((method, path, endpoint))
    values = world.url_values()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if OWNED_ARGUMENTS & set(rule.arguments):
                path = url_for(rule.endpoint, **{n: values[n] for n in rule.arguments})
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    owned.add((method, path, rule.endpoint))
    return owned


def _snapshot(world) -> dict:
    """What must not change when B pokes at A's objects."""
    db.session.expire_all()
    return {
        "attempt": db.session.execute(select(QuizAttempt.status, QuizAttempt.score_hundredths)
                                      .where(QuizAttempt.user_id == world.learner.id)).all(),
        "items": db.session.execute(select(AttemptItem.id, AttemptItem.response, AttemptItem.score_millionths)
                                    .where(AttemptItem.attempt_id == world.attempt_id).order_by(AttemptItem.id)).all(),
        "runs": db.session.execute(select(VignetteRun.id, VignetteRun.current_node, VignetteRun.status)
                                   .where(VignetteRun.user_id == world.learner.id)).all(),
        "steps": db.session.scalar(select(db.func.count(VignetteStep.id)).where(VignetteStep.run_id == world.run_id)),
        "certs": db.session.execute(select(Certificate.id, Certificate.revoked_at)).all(),
    }


def test_learner_b_cannot_reach_any_of_learner_a_objects(app, client, login, make_user, publish_fixture_content):
    world = build_world(make_user, publish_fixture_content)
    login(client, world.learner)
    discovered = _play_vignette(client, world.run_id)
    review = client.post(f"/quiz/attempts/{world.attempt_id}/answers", data={"q1.present": "1", "action": "review"})
    discovered |= crawl(client, extra=(_local(review.location),))
    client.post(f"/quiz/attempts/{world.attempt_id}/submit", data={})
    discovered |= crawl(client)
    owned = _owned_urls(app, discovered, world)
    found_endpoints = {endpoint for method, path, endpoint in owned if (method, path) in discovered}
    assert {"quiz.show_attempt", "quiz.save_answers", "quiz.show_results", "quiz.submit_attempt",
            "vignettes.show_run", "vignettes.proceed", "vignettes.choose",
            "certificates.download_certificate"} <= found_endpoints

    before = _snapshot(world)
    other = app.test_client()
    intruder = make_user(email="b@example.org", full_name="Blake Other")
    login(other, intruder)
    other.post("/modules/alpha-module/enrol")
    other.post("/modules/alpha-module/quiz/start")
    answers = {"q1.present": "1", "q1.choice": "a", "node": "intro", "position": "0", "choice": "recheck",
               "exhibit": "vitals", "reason": "x", "action": "save"}
    for method, path, endpoint in sorted(owned):
        response = other.open(path, method=method, data=answers if method == "POST" else None)
        assert response.status_code in (403, 404), f"{method} {path} ({endpoint}) gave B {response.status_code}"
    assert _snapshot(world) == before


def test_a_learner_is_refused_every_author_route(app, client, login, make_user, publish_fixture_content):
    from .test_csrf_sweep import ROUTES

    world = build_world(make_user, publish_fixture_content)
    login(client, world.learner)
    values = world.url_values()
    author_rules = [r for r in app.url_map.iter_rules() if ROUTES.get(r.endpoint) == "author"]
    assert author_rules
    with app.test_request_context():
        paths = [url_for(r.endpoint, **{n: values[n] for n in r.arguments}) for r in author_rules]
    for path in paths:
        assert client.get(path).status_code == 403, path
