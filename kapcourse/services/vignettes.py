"""Playing branching case vignettes: start or resume a run, choose, continue, reveal, go back.

Each public use case that changes a run commits once. The graph rules live in
kapcourse.domain.vignettes; this module only loads, applies and records.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..domain.vignettes import WalkError, advance, initial_state, score_percent
from ..extensions import db
from ..models.base import utcnow
from ..models.vignette import COMPLETED, IN_PROGRESS, VignetteRun, VignetteStep
from . import content

NOT_STARTED = "not_started"


class VignetteError(Exception):
    """A move the run does not allow (bad choice, a stale page, back where back is not allowed)."""


class StaleMove(VignetteError):
    """The form was for a node the learner has already left (double submit, old tab)."""


def vignette_definition(module_version_id: int, vignette_id: str) -> dict[str, Any] | None:
    """The compiled vignette of a module version, or None."""
    payload = content.module_payload(module_version_id)
    return next((v for v in payload.get("vignettes", []) if v["id"] == vignette_id), None)


def run_for(user_id: int, run_id: int) -> VignetteRun | None:
    """The run with this id if it belongs to this learner (anyone else's is None, shown as 404)."""
    run = db.session.get(VignetteRun, run_id)
    return run if run is not None and run.user_id == user_id else None


def latest_run(user_id: int, module_version_id: int, vignette_id: str) -> VignetteRun | None:
    """The learner's most recent run of a vignette on a module version."""
    return db.session.scalars(
        select(VignetteRun).where(
            VignetteRun.user_id == user_id, VignetteRun.module_version_id == module_version_id,
            VignetteRun.vignette_id == vignette_id,
        ).order_by(VignetteRun.id.desc()).limit(1)
    ).first()


def start_run(user_id: int, module_version_id: int, vignette_id: str, now: datetime | None = None) -> VignetteRun:
    """Resume the learner's unfinished run, or start a new one at the vignette's start node."""
    vignette = vignette_definition(module_version_id, vignette_id)
    if vignette is None:
        raise VignetteError(f"no vignette '{vignette_id}'")
    current = latest_run(user_id, module_version_id, vignette_id)
    if current is not None and current.status == IN_PROGRESS:
        return current
    now = now or utcnow()
    run = VignetteRun(
        user_id=user_id, module_version_id=module_version_id, vignette_id=vignette_id,
        current_node=vignette["start"], state=initial_state(vignette), score=0, status=IN_PROGRESS,
        awaiting_acknowledgement=False, revealed=[], started_at=now, updated_at=now,
    )
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:  # another request started it first: resume that run
        db.session.rollback()
        return latest_run(user_id, module_version_id, vignette_id)
    return run


def _definition(run: VignetteRun) -> dict[str, Any]:
    vignette = vignette_definition(run.module_version_id, run.vignette_id)
    if vignette is None:  # published versions are immutable, so this means a broken database
        raise LookupError(f"vignette '{run.vignette_id}' missing from version {run.module_version_id}")
    return vignette


def _check_fresh(run: VignetteRun, node_id: str | None, position: int | None) -> None:
    if run.status != IN_PROGRESS or node_id != run.current_node or position != len(run.steps):
        raise StaleMove("this page is out of date")


def _record_step(run: VignetteRun, now: datetime, **fields: Any) -> VignetteStep:
    step = VignetteStep(
        position=len(run.steps), node_id=run.current_node, exhibits_revealed=list(run.revealed or []),
        state_before=dict(run.state), created_at=now, undone=False, **fields,
    )
    run.steps.append(step)
    return step


def _commit_move() -> None:
    """Commit a move; a concurrent submit of the same page that recorded its step first wins."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise StaleMove("this page was already submitted") from None


def _arrive(run: VignetteRun, vignette: dict[str, Any], node_id: str, now: datetime) -> None:
    run.current_node, run.revealed, run.updated_at = node_id, [], now
    _complete_if_ended(run, vignette, now)


def _complete_if_ended(run: VignetteRun, vignette: dict[str, Any], now: datetime) -> None:
    if vignette["nodes"][run.current_node]["type"] == "end" and not run.awaiting_acknowledgement:
        run.status, run.completed_at = COMPLETED, now


def choose(run: VignetteRun, choice_id: str, node_id: str, position: int, now: datetime | None = None) -> VignetteStep:
    """Record a choice at a decision node, apply its effects and move on; feedback is shown next."""
    _check_fresh(run, node_id, position)
    if run.awaiting_acknowledgement:
        raise StaleMove("read the feedback on your last choice first")
    vignette, now = _definition(run), now or utcnow()
    try:
        move = advance(vignette, run.current_node, run.state, choice_id)
    except WalkError as error:
        raise VignetteError(str(error)) from None
    if move.choice is None:
        raise VignetteError("this page has no choices")
    step = _record_step(run, now, choice_id=choice_id, unsafe=move.unsafe, score=move.score)
    run.state, run.score = move.state, run.score + move.score
    run.awaiting_acknowledgement = True
    _arrive(run, vignette, move.node_id, now)
    _commit_move()
    return step


def proceed(run: VignetteRun, node_id: str, position: int, now: datetime | None = None) -> None:
    """Go on: acknowledge the feedback on the last choice, or leave a narrative or exhibit node."""
    _check_fresh(run, node_id, position)
    vignette, now = _definition(run), now or utcnow()
    if run.awaiting_acknowledgement:
        run.awaiting_acknowledgement = False
        run.steps[-1].acknowledged_at = now
        run.updated_at = now
        _complete_if_ended(run, vignette, now)
    else:
        try:
            move = advance(vignette, run.current_node, run.state)
        except WalkError as error:
            raise VignetteError(str(error)) from None
        _record_step(run, now, choice_id=None, unsafe=False, score=0)
        _arrive(run, vignette, move.node_id, now)
    _commit_move()


def reveal(run: VignetteRun, exhibit_id: str, node_id: str, position: int, now: datetime | None = None) -> None:
    """Open one exhibit of the current exhibit node; the reveal is recorded with the step."""
    _check_fresh(run, node_id, position)
    node = _definition(run)["nodes"][run.current_node]
    if exhibit_id not in {e["id"] for e in node.get("exhibits", [])}:
        raise VignetteError(f"no exhibit '{exhibit_id}' here")
    if exhibit_id not in (run.revealed or []):
        run.revealed = [*(run.revealed or []), exhibit_id]
        run.updated_at = now or utcnow()
        db.session.commit()


def go_back(run: VignetteRun, node_id: str, position: int, now: datetime | None = None) -> None:
    """Step back to the previous node, where the vignette allows it; the undone step is kept."""
    _check_fresh(run, node_id, position)
    if not _definition(run).get("allow_back") or run.awaiting_acknowledgement or not run.path:
        raise VignetteError("going back is not allowed here")
    step = run.path[-1]
    step.undone = True
    run.current_node, run.state, run.score = step.node_id, dict(step.state_before), run.score - step.score
    run.revealed, run.updated_at = list(step.exhibits_revealed or []), now or utcnow()
    db.session.commit()


@dataclass(frozen=True)
class PathEntry:
    """One row of the path comparison on the end page."""

    node_title: str
    choice_html: str
    unsafe: bool = False
    expert: bool = False


def path_entries(vignette: dict[str, Any], steps: list[tuple[str, str | None]]) -> list[PathEntry]:
    """Decision steps as (node title, choice text) rows, for the learner's and the expert path."""
    entries = []
    for node_id, choice_id in steps:
        node = vignette["nodes"][node_id]
        if node["type"] != "decision" or choice_id is None:
            continue
        choice = next(c for c in node["choices"] if c["id"] == choice_id)
        entries.append(PathEntry(node.get("title") or node_id, choice["text_html"], choice["unsafe"], choice["expert"]))
    return entries


def vignette_status(user_id: int, module_version_id: int) -> dict[str, Any]:
    """Per vignette: status, best completed score and run to open; plus all_completed for the module."""
    payload = content.module_payload(module_version_id)
    runs = list(db.session.scalars(
        select(VignetteRun).where(VignetteRun.user_id == user_id, VignetteRun.module_version_id == module_version_id)
        .order_by(VignetteRun.id)
    ))
    min_score = (payload.get("completion") or {}).get("vignette_min_score")
    statuses = {v["id"]: _status_of(v, [r for r in runs if r.vignette_id == v["id"]], min_score)
                for v in payload.get("vignettes", [])}
    return {
        "vignettes": statuses, "min_score": min_score,
        "all_completed": all(s["status"] == COMPLETED and s["meets_min_score"] for s in statuses.values()),
    }


def _status_of(vignette: dict[str, Any], runs: list[VignetteRun], min_score: float | None) -> dict[str, Any]:
    done = [r for r in runs if r.status == COMPLETED]
    best = max(done, key=lambda r: r.score) if done else None
    percent = score_percent(best.score, vignette.get("expert_score", 0)) if best else None
    status = COMPLETED if done else IN_PROGRESS if runs else NOT_STARTED
    return {
        "title": vignette["title"], "status": status, "score": best.score if best else None,
        "max_score": vignette.get("expert_score", 0), "percent": percent,
        "meets_min_score": best is not None and (min_score is None or percent >= min_score),
        "run_id": runs[-1].id if runs else None, "best_run_id": best.id if best else None,
        "resumable": bool(runs) and runs[-1].status == IN_PROGRESS,
    }


@dataclass(frozen=True)
class RunPage:
    """Everything the player page shows for a run, read once by the view."""

    run: VignetteRun
    vignette: dict[str, Any]
    module: dict[str, Any]
    node: dict[str, Any]
    mode: str  # feedback | end | narrative | exhibit | decision
    last_choice: dict[str, Any] | None
    learner_path: list[PathEntry]
    expert_path: list[PathEntry]
    percent: int
    can_go_back: bool

    @property
    def position(self) -> int:
        """The step count the page's forms must send back."""
        return len(self.run.steps)


def run_page(run: VignetteRun) -> RunPage:
    """The page for a run as it stands: the current node, the feedback on the last choice, or the end."""
    vignette = _definition(run)
    module = content.module_payload(run.module_version_id)
    node = vignette["nodes"][run.current_node]
    last_choice = None
    if run.awaiting_acknowledgement:
        step = run.steps[-1]
        decision = vignette["nodes"][step.node_id]
        last_choice = next(c for c in decision["choices"] if c["id"] == step.choice_id)
    mode = "feedback" if last_choice else "end" if run.status == COMPLETED else node["type"]
    expert = [(e["node"], e["choice"]) for e in vignette["expert_path"]]
    return RunPage(
        run=run, vignette=vignette, module=module, node=node, mode=mode, last_choice=last_choice,
        learner_path=path_entries(vignette, [(s.node_id, s.choice_id) for s in run.path]),
        expert_path=path_entries(vignette, expert),
        percent=score_percent(run.score, vignette["expert_score"]),
        can_go_back=bool(vignette.get("allow_back")) and mode in ("narrative", "exhibit", "decision") and bool(run.path),
    )


def choice_distribution(module_version_id: int, vignette_id: str) -> dict[str, dict[str, int]]:
    """How often each choice was taken at each decision node (undone steps included)."""
    rows = db.session.execute(
        select(VignetteStep.node_id, VignetteStep.choice_id, func.count())
        .join(VignetteRun, VignetteStep.run_id == VignetteRun.id)
        .where(VignetteRun.module_version_id == module_version_id, VignetteRun.vignette_id == vignette_id,
               VignetteStep.choice_id.is_not(None))
        .group_by(VignetteStep.node_id, VignetteStep.choice_id)
    )
    distribution: dict[str, dict[str, int]] = {}
    for node_id, choice_id, count in rows:
        distribution.setdefault(node_id, {})[choice_id] = count
    return distribution
