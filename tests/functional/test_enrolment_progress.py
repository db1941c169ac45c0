"""Enrolment (module and bundle), pinned versions, lesson progress and resume."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kapcourse.services import enrolment
from kapcourse.services.publishing import publish_tree

BASE = Path(__file__).resolve().parent.parent / "fixtures" / "content"


@pytest.fixture
def learner(app, publish_fixture_content, make_user, login, client):
    publish_fixture_content()
    user = make_user()
    login(client, user)
    return user


def test_lessons_need_enrolment(client, learner):
    response = client.get("/modules/alpha-module/lessons/first-lesson")
    assert response.status_code == 302 and response.headers["Location"].endswith("/modules/alpha-module")


def test_enrolling_twice_keeps_one_enrolment(client, learner):
    client.post("/modules/alpha-module/enrol")
    client.post("/modules/alpha-module/enrol")
    assert len(enrolment.enrolments_of(learner.id)) == 1


def test_bundle_enrols_in_every_module(client, learner):
    response = client.post("/bundles/alpha-beta-bundle/enrol")
    assert response.status_code == 302
    slugs = sorted(e.module_slug for e in enrolment.enrolments_of(learner.id))
    assert slugs == ["alpha-module", "beta-module"]
    assert all(e.bundle_slug == "alpha-beta-bundle" for e in enrolment.enrolments_of(learner.id))


def test_resume_goes_to_last_opened_lesson(client, learner):
    client.post("/modules/alpha-module/enrol")
    assert client.get("/modules/alpha-module/resume").headers["Location"].endswith("/lessons/first-lesson")
    client.get("/modules/alpha-module/lessons/second-lesson")
    assert client.get("/modules/alpha-module/resume").headers["Location"].endswith("/lessons/second-lesson")


def test_marking_complete_twice_counts_once(client, learner):
    client.post("/modules/alpha-module/enrol")
    client.post("/modules/alpha-module/lessons/first-lesson/complete")
    client.post("/modules/alpha-module/lessons/first-lesson/complete")
    assert "1 of 2 lessons completed" in client.get("/modules/alpha-module").get_data(as_text=True)


def test_unknown_lesson_is_404(client, learner):
    client.post("/modules/alpha-module/enrol")
    assert client.get("/modules/alpha-module/lessons/nope").status_code == 404
    assert client.post("/modules/alpha-module/lessons/nope/complete").status_code == 404


def test_enrolled_learner_stays_on_pinned_version(client, learner, tmp_path):
    client.post("/modules/alpha-module/enrol")
    root = tmp_path / "tree"
    shutil.copytree(BASE, root)
    lesson = root / "modules/alpha-module/lessons/second-lesson.md"
    lesson.write_text(lesson.read_text().replace("Check the blood pressure", "Version two text"))
    assert publish_tree(root).published == ["alpha-module"]
    html = client.get("/modules/alpha-module/lessons/second-lesson").get_data(as_text=True)
    assert "Check the blood pressure" in html and "Version two text" not in html
    client.post("/logout")
    assert "(version 2)" in client.get("/modules/alpha-module").get_data(as_text=True)


def test_module_progress_counts_lessons_cases_and_quiz(client, learner):
    client.post("/modules/alpha-module/enrol")
    html = client.get("/modules/alpha-module").get_data(as_text=True)
    assert "0 of 4 steps completed" in html  # 2 lessons, 1 case, the quiz
    client.post("/modules/alpha-module/lessons/first-lesson/complete")
    html = client.get("/modules/alpha-module").get_data(as_text=True)
    assert "1 of 4 steps completed" in html and 'value="25"' in html
