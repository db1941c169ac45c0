"""The shipped content: it validates with the counts the course promises, publishes, and every
module's quiz can be passed with the keyed answers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kapcourse.content.tree import load_tree
from kapcourse.extensions import db
from kapcourse.models import QuizAttempt
from kapcourse.services.publishing import publish_tree
from quiz_helpers import keyed_form

ROOT = Path(__file__).resolve().parents[2]
SLUGS = ["kap-medical-assessment", "kap-psychological-assessment", "suicide-risk-assessment"]


def test_shipped_tree_meets_the_course_promises():
    tree = load_tree(ROOT)
    assert [str(p) for p in tree.problems] == []
    counts = tree.counts
    assert counts["modules"] == 3 and counts["lessons"] >= 18
    assert counts["vignettes"] >= 9 and counts["questions"] >= 120
    for slug in SLUGS:
        module = tree.modules[slug]
        assert 6 <= len(module["lessons"]) <= 8
        assert len(module["vignettes"]) >= 3
        assert len(module["questions"]) >= 40
        drawn = sum(row["count"] for row in module["quiz"]["blueprint"])
        assert 15 <= drawn <= 20
        covered = {row.get("objective") for row in module["quiz"]["blueprint"]}
        assert covered >= {o["id"] for o in module["objectives"]}, "the blueprint covers every objective"
        assert all(800 <= lesson["words"] <= 1700 for lesson in module["lessons"]), slug
    assert set(tree.bundles) == {"comprehensive-kap-assessment"}
    assert tree.bundles["comprehensive-kap-assessment"]["modules"] == SLUGS


def test_validate_json_on_the_shipped_tree(runner):
    result = runner.invoke(args=["content", "validate", "--json", str(ROOT)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["errors"] == [] and data["modules"] == 3


def test_the_suicide_module_shows_crisis_resources(app, client):
    assert publish_tree(ROOT).tree.ok
    html = client.get("/modules/suicide-risk-assessment").get_data(as_text=True)
    assert "988" in html and "9-8-8" in html
    assert "988" not in client.get("/modules/kap-medical-assessment").get_data(as_text=True).split("<main")[0]


def test_no_claim_of_accreditation_or_clinical_review(app, client):
    assert publish_tree(ROOT).tree.ok
    pages = [client.get("/").get_data(as_text=True)] + [client.get(f"/modules/{s}").get_data(as_text=True) for s in SLUGS]
    for html in pages:
        lowered = html.lower()
        for claim in ("accredited by", "cme credit", "ama pra category", "reviewed by a licensed", "approved for credit"):
            assert claim not in lowered


@pytest.mark.parametrize("slug", SLUGS)
def test_every_module_quiz_passes_with_keyed_answers(app, client, make_user, login, slug):
    assert publish_tree(ROOT).tree.ok
    login(client, make_user())
    assert client.post(f"/modules/{slug}/enrol").status_code == 302
    start = client.post(f"/modules/{slug}/quiz/start")
    assert start.status_code == 302, start.get_data(as_text=True)[:300]
    attempt_id = int(start.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/quiz/attempts/{attempt_id}/answers", data=keyed_form(attempt_id))
    assert client.post(f"/quiz/attempts/{attempt_id}/submit").status_code == 303
    attempt = db.session.get(QuizAttempt, attempt_id)
    db.session.refresh(attempt)
    assert attempt.passed and attempt.score == 100
