"""The vignette service on a real database: runs, status, completion gating and analytics."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kapcourse.services import content, vignettes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def version_id(app, tmp_path, publish_fixture_content):
    """alpha-module with bp-case added and a 50% vignette score gate."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", root)
    module = root / "modules" / "alpha-module" / "module.yaml"
    text = module.read_text().replace("vignettes: [alpha-case]", "vignettes: [alpha-case, bp-case]")
    module.write_text(text.replace("vignette_min_score: null", "vignette_min_score: 50"))
    shutil.copy(FIXTURES / "vignettes" / "bp-case.yaml", root / "modules" / "alpha-module" / "vignettes")
    publish_fixture_content(root)
    return content.current_module_version("alpha-module").id


def walk(run, moves):
    """Apply ('continue' | 'choose', choice) moves through the service, acknowledging feedback."""
    for move in moves:
        if move == "continue":
            vignettes.proceed(run, run.current_node, len(run.steps), now=T0)
        else:
            vignettes.choose(run, move, run.current_node, len(run.steps), now=T0)
            vignettes.proceed(run, run.current_node, len(run.steps), now=T0)


EXPERT_BP = ["continue", "continue", "recheck", "two-hours"]
EXPERT_ALPHA = ["continue", "continue", "recheck"]


def test_status_moves_from_not_started_to_completed(make_user, version_id):
    user = make_user()
    status = vignettes.vignette_status(user.id, version_id)
    assert {k: s["status"] for k, s in status["vignettes"].items()} == {"alpha-case": "not_started", "bp-case": "not_started"}
    run = vignettes.start_run(user.id, version_id, "bp-case", now=T0)
    assert vignettes.vignette_status(user.id, version_id)["vignettes"]["bp-case"]["status"] == "in_progress"
    walk(run, EXPERT_BP)
    assert run.status == "completed" and run.completed_at == T0
    walk(vignettes.start_run(user.id, version_id, "alpha-case"), EXPERT_ALPHA)
    status = vignettes.vignette_status(user.id, version_id)
    assert status["all_completed"] is True and status["min_score"] == 50
    assert status["vignettes"]["bp-case"] | {"run_id": None, "best_run_id": None} == {
        "title": "A 50-year-old with high blood pressure before esketamine", "status": "completed", "score": 3,
        "max_score": 3, "percent": 100, "meets_min_score": True, "run_id": None, "best_run_id": None,
        "resumable": False,
    }


def test_a_low_score_completes_the_case_but_not_the_gate(make_user, version_id):
    user = make_user()
    walk(vignettes.start_run(user.id, version_id, "alpha-case"), EXPERT_ALPHA)
    walk(vignettes.start_run(user.id, version_id, "bp-case"), ["continue", "continue", "proceed", "ten-minutes"])
    status = vignettes.vignette_status(user.id, version_id)
    assert status["vignettes"]["bp-case"]["status"] == "completed"
    assert status["vignettes"]["bp-case"]["percent"] == 0
    assert status["all_completed"] is False


def test_start_resumes_an_unfinished_run(make_user, version_id):
    user = make_user()
    first = vignettes.start_run(user.id, version_id, "bp-case")
    walk(first, ["continue"])
    assert vignettes.start_run(user.id, version_id, "bp-case").id == first.id
    assert vignettes.run_for(user.id, first.id) is first
    assert vignettes.run_for(make_user().id, first.id) is None


def test_stale_and_illegal_moves_are_refused(make_user, version_id):
    run = vignettes.start_run(make_user().id, version_id, "bp-case")
    with pytest.raises(vignettes.StaleMove):
        vignettes.proceed(run, "chart", 0)
    with pytest.raises(vignettes.StaleMove):
        vignettes.proceed(run, "referral", 3)
    walk(run, ["continue", "continue"])
    with pytest.raises(vignettes.VignetteError):
        vignettes.choose(run, "guess", "bp-decision", 2)
    with pytest.raises(vignettes.VignetteError):
        vignettes.reveal(run, "vitals", "bp-decision", 2)
    with pytest.raises(vignettes.VignetteError):
        vignettes.proceed(run, "bp-decision", 2)
    assert len(run.steps) == 2
    with pytest.raises(vignettes.VignetteError):
        vignettes.start_run(1, version_id, "no-such-case")


def test_choice_distribution_counts_choices_per_node(make_user, version_id):
    for moves in (EXPERT_BP, ["continue", "continue", "proceed", "two-hours"], ["continue", "continue", "proceed"]):
        walk(vignettes.start_run(make_user().id, version_id, "bp-case"), moves)
    assert vignettes.choice_distribution(version_id, "bp-case") == {
        "bp-decision": {"recheck": 1, "proceed": 2}, "monitoring-decision": {"two-hours": 2},
    }


def test_a_racing_double_submit_records_one_step(make_user, version_id):
    """Another request records the step for this page between our freshness check and our commit."""
    from sqlalchemy import func, insert, select

    from kapcourse.extensions import db
    from kapcourse.models.vignette import VignetteStep

    user = make_user()
    run = vignettes.start_run(user.id, version_id, "alpha-case", now=T0)
    run_id, node, position = run.id, run.current_node, len(run.steps)
    with db.engine.begin() as other:  # the concurrent request, committed first
        other.execute(insert(VignetteStep), {
            "run_id": run_id, "position": position, "node_id": node, "choice_id": None, "unsafe": False,
            "score": 0, "exhibits_revealed": [], "state_before": {}, "undone": False, "created_at": T0})
    with pytest.raises(vignettes.StaleMove):
        vignettes.proceed(run, node, position, now=T0)
    count = db.session.scalar(select(func.count()).select_from(VignetteStep).where(
        VignetteStep.run_id == run_id, VignetteStep.position == position))
    assert count == 1


def test_a_racing_start_resumes_the_run_the_other_request_created(make_user, version_id, monkeypatch):
    """Another request creates the open run between our 'is there one?' check and our commit."""
    from sqlalchemy import func, insert, select

    from kapcourse.extensions import db
    from kapcourse.models.vignette import IN_PROGRESS, VignetteRun

    user = make_user()
    real_latest = vignettes.latest_run
    calls = []

    def latest_after_the_other_request(*args):
        if not calls:  # the first check sees nothing; then the other request commits its run
            calls.append(1)
            with db.engine.begin() as other:
                other.execute(insert(VignetteRun), {
                    "user_id": user.id, "module_version_id": version_id, "vignette_id": "alpha-case",
                    "current_node": "intro", "state": {}, "score": 0, "status": IN_PROGRESS,
                    "awaiting_acknowledgement": False, "revealed": [], "started_at": T0, "updated_at": T0})
            return None
        return real_latest(*args)

    monkeypatch.setattr(vignettes, "latest_run", latest_after_the_other_request)
    run = vignettes.start_run(user.id, version_id, "alpha-case", now=T0)
    open_runs = db.session.scalar(select(func.count()).select_from(VignetteRun).where(
        VignetteRun.user_id == user.id, VignetteRun.status == IN_PROGRESS))
    assert open_runs == 1 and run.status == IN_PROGRESS
