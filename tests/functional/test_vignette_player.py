"""The vignette player through the test client: expert and unsafe paths, resume, ownership."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from kapcourse.extensions import db
from kapcourse.models import VignetteRun, VignetteStep
from kapcourse.services import vignettes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(autouse=True)
def one_user_per_request(app):
    """Tests share one app context, so flask-login's cached user would leak between clients."""
    @app.before_request
    def _forget_cached_user():
        g.pop("_login_user", None)


@pytest.fixture
def content_tree(tmp_path):
    """The base fixture tree with the two-decision bp-case added to alpha-module."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", root)
    module = root / "modules" / "alpha-module" / "module.yaml"
    module.write_text(module.read_text().replace("vignettes: [alpha-case]", "vignettes: [alpha-case, bp-case]"))
    shutil.copy(FIXTURES / "vignettes" / "bp-case.yaml", root / "modules" / "alpha-module" / "vignettes")
    return root


@pytest.fixture
def learner(client, content_tree, publish_fixture_content, make_user, login):
    publish_fixture_content(content_tree)
    user = make_user()
    login(client, user)
    assert client.post("/modules/alpha-module/enrol").status_code == 302
    return user


def form_fields(html: str) -> dict[str, str]:
    """The node and position the page's forms carry."""
    node = re.search(r'name="node" value="([^"]+)"', html).group(1)
    position = re.search(r'name="position" value="(\d+)"', html).group(1)
    return {"node": node, "position": position}


def start(client, vignette_id: str = "bp-case") -> str:
    response = client.post(f"/modules/alpha-module/vignettes/{vignette_id}/start")
    assert response.status_code == 302
    return response.headers["Location"]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(client, url: str, action: str, **extra) -> str:
    fields = form_fields(page(client, url))
    response = client.post(f"{url}/{action}", data={**fields, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return page(client, url)


def test_expert_path_to_a_good_end(client, learner):
    url = start(client)
    html = page(client, url)
    assert "Referral" in html and "Patient details" in html and "Outpatient clinic" in html
    html = post(client, url, "continue")
    assert "The chart" in html and "Show vital signs" in html and "168/102" not in html
    html = post(client, url, "reveal", exhibit="vitals")
    assert "168/102 mmHg" in html and "Show medication list" in html
    html = post(client, url, "continue")
    assert "What do you do about the blood pressure?" in html and 'type="radio"' in html
    html = post(client, url, "choose", choice="recheck")
    assert "Feedback on your choice" in html and "Unsafe choice" not in html
    assert "Label, section 2." in html
    html = post(client, url, "continue")
    assert "How long do you observe" in html
    post(client, url, "choose", choice="two-hours")
    html = post(client, url, "continue")
    assert "A safe first dose" in html and "Outcome:</strong> Good" in html
    assert "3 points, against 3 on the expert path (100%)" in html
    assert "Defer dosing above 140/90 mmHg [Label]." in html and "Label, sections 2 and 5." in html
    assert "Your decisions" in html and "Expert path" in html
    run = db.session.scalars(select(VignetteRun)).one()
    assert run.status == "completed" and run.completed_at is not None and run.score == 3
    steps = [(s.node_id, s.choice_id, s.exhibits_revealed) for s in run.steps]
    assert steps == [("referral", None, []), ("chart", None, ["vitals"]), ("bp-decision", "recheck", []),
                     ("monitoring-decision", "two-hours", [])]
    status = vignettes.vignette_status(learner.id, run.module_version_id)
    assert status["vignettes"]["bp-case"]["status"] == "completed"
    assert status["vignettes"]["alpha-case"]["status"] == "not_started"
    assert status["all_completed"] is False


def test_unsafe_choices_must_be_acknowledged(client, learner):
    url = start(client)
    post(client, url, "continue")
    post(client, url, "continue")
    html = post(client, url, "choose", choice="proceed")
    assert "Unsafe choice" in html and "This choice could harm the patient." in html
    assert "raises blood pressure for about two hours" in html
    assert "I understand why this choice is unsafe: continue" in html
    # The next decision cannot be taken before the acknowledgement.
    fields = form_fields(html)
    response = client.post(f"{url}/choose", data={**fields, "choice": "two-hours"})
    assert response.status_code == 302
    run = db.session.scalars(select(VignetteRun)).one()
    assert run.awaiting_acknowledgement and len(run.steps) == 3
    html = post(client, url, "continue")
    assert "How long do you observe" in html
    post(client, url, "choose", choice="ten-minutes")
    html = post(client, url, "continue")
    assert "Sent home too early" in html and "Outcome:</strong> Poor" in html
    assert "-3 points" in html and "(0%)" in html
    assert html.count("Unsafe</span>") == 2
    db.session.expire_all()
    unsafe = db.session.scalars(select(VignetteStep).where(VignetteStep.unsafe)).all()
    assert [s.choice_id for s in unsafe] == ["proceed", "ten-minutes"]
    assert all(s.acknowledged_at is not None for s in unsafe)


def test_conditional_edge_after_an_unsafe_then_expert_choice(client, learner):
    url = start(client)
    post(client, url, "continue")
    post(client, url, "continue")
    post(client, url, "choose", choice="proceed")
    post(client, url, "continue")
    post(client, url, "choose", choice="two-hours")
    html = post(client, url, "continue")
    assert "Partly safe" in html  # risk_level >= 2 sends the expert choice to the mixed end


def test_resume_in_a_new_session(app, client, learner, login):
    url = start(client)
    post(client, url, "continue")
    post(client, url, "continue")
    fresh = app.test_client()
    login(fresh, learner)
    intro = page(fresh, "/modules/alpha-module/vignettes/bp-case")
    assert "Resume the case" in intro
    assert start(fresh) == url
    assert "What do you do about the blood pressure?" in page(fresh, url)


def test_another_learner_cannot_read_or_play_my_run(app, client, learner, make_user, login):
    url = start(client)
    other = app.test_client()
    login(other, make_user())
    assert other.get(url).status_code == 404
    fields = form_fields(page(client, url))
    for action in ("continue", "choose", "reveal", "back"):
        assert other.post(f"{url}/{action}", data={**fields, "choice": "recheck", "exhibit": "vitals"}).status_code == 404
    assert other.get("/vignette-runs/99999").status_code == 404
    assert len(db.session.scalars(select(VignetteRun)).one().steps) == 0


def test_logged_out_visitors_are_sent_to_log_in(app, client, learner):
    url = start(client)
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 302


def test_a_decision_without_a_choice_re_renders_with_an_error(client, learner):
    url = start(client)
    post(client, url, "continue")
    post(client, url, "continue")
    fields = form_fields(page(client, url))
    response = client.post(f"{url}/choose", data=fields)
    assert response.status_code == 422
    assert "Choose one option before you go on." in response.get_data(as_text=True)
    response = client.post(f"{url}/choose", data={**fields, "choice": "not-a-choice"})
    assert response.status_code == 422


def test_a_repeated_submit_changes_nothing(client, learner):
    url = start(client)
    fields = form_fields(page(client, url))
    assert client.post(f"{url}/continue", data=fields).status_code == 302
    response = client.post(f"{url}/continue", data=fields, follow_redirects=True)
    assert "out of date" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(VignetteRun)).one().steps) == 1


def test_back_restores_the_previous_decision_where_allowed(client, learner):
    url = start(client)
    post(client, url, "continue")
    post(client, url, "continue")
    post(client, url, "choose", choice="proceed")
    html = post(client, url, "continue")
    assert "Back to the previous page" in html
    html = post(client, url, "back")
    assert "What do you do about the blood pressure?" in html
    run = db.session.scalars(select(VignetteRun)).one()
    db.session.refresh(run)
    assert run.state == {"bp_checked": False, "risk_level": 0} and run.score == 0
    assert [s.undone for s in run.steps] == [False, False, True]


def test_back_is_refused_where_the_case_forbids_it(client, learner):
    url = start(client, "alpha-case")
    html = post(client, url, "continue")
    assert "Back to the previous page" not in html
    response = client.post(f"{url}/back", data=form_fields(html))
    assert response.status_code == 400


def test_module_overview_lists_cases_with_status(client, learner):
    html = page(client, "/modules/alpha-module")
    assert 'id="vignettes-heading"' in html and "A fixture patient with high blood pressure" in html
    url = start(client, "alpha-case")
    post(client, url, "continue")
    post(client, url, "continue")
    post(client, url, "choose", choice="recheck")
    post(client, url, "continue")
    html = page(client, "/modules/alpha-module")
    assert "Completed, 100%" in html and "In progress" not in html


def test_try_again_starts_a_new_run_and_keeps_the_best_score(client, learner):
    url = start(client, "alpha-case")
    for action, extra in (("continue", {}), ("continue", {}), ("choose", {"choice": "proceed"}), ("continue", {})):
        post(client, url, action, **extra)
    second = start(client, "alpha-case")
    assert second != url
    intro = page(client, "/modules/alpha-module/vignettes/alpha-case")
    assert "Resume the case" in intro and "Try the case again" not in intro
    run = db.session.scalars(select(VignetteRun)).first()
    status = vignettes.vignette_status(run.user_id, run.module_version_id)["vignettes"]["alpha-case"]
    assert status["status"] == "completed" and status["resumable"] and status["percent"] == 0
    for action, extra in (("continue", {}), ("continue", {}), ("choose", {"choice": "recheck"}), ("continue", {})):
        post(client, second, action, **extra)
    status = vignettes.vignette_status(run.user_id, run.module_version_id)["vignettes"]["alpha-case"]
    assert status["percent"] == 100 and status["best_run_id"] != run.id and not status["resumable"]
    assert "Try the case again" in page(client, "/modules/alpha-module/vignettes/alpha-case")
