"""The vignette player: one node per page, plain forms, every move saved by the service."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..forms import ActionForm
from ..forms.vignettes import ChoiceForm, RevealForm, StepForm
from ..services import catalogue, vignettes

bp = Blueprint("vignettes", __name__)


def _enrolled_vignette(slug: str, vignette_id: str):
    view = catalogue.module_view(current_user.id, slug)
    if view is None:
        abort(404)
    vignette = next((v for v in view.payload.get("vignettes", []) if v["id"] == vignette_id), None)
    if vignette is None:
        abort(404)
    return view, vignette


def _own_run(run_id: int):
    run = vignettes.run_for(current_user.id, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/modules/<slug>/vignettes/<vignette_id>")
@login_required
def show_vignette(slug: str, vignette_id: str):
    """A case's introduction, with start, resume or try-again."""
    view, vignette = _enrolled_vignette(slug, vignette_id)
    if view.enrolment is None:
        return redirect(url_for("catalogue.module", slug=slug))
    status = vignettes.vignette_status(current_user.id, view.version.id)["vignettes"][vignette_id]
    return render_template("vignettes/show.html", view=view, vignette=vignette, status=status, form=ActionForm())


@bp.post("/modules/<slug>/vignettes/<vignette_id>/start")
@login_required
def start_run(slug: str, vignette_id: str):
    """Start a new run, or resume the unfinished one."""
    view, _vignette = _enrolled_vignette(slug, vignette_id)
    if view.enrolment is None or not ActionForm().validate_on_submit():
        abort(400)
    run = vignettes.start_run(current_user.id, view.version.id, vignette_id)
    return redirect(url_for("vignettes.show_run", run_id=run.id))


def _render_run(run, form=None, status: int = 200):
    page = vignettes.run_page(run)
    if form is None:
        form = ChoiceForm().offer(page.node["choices"]) if page.mode == "decision" else None
    return render_template("vignettes/play.html", page=page, form=form, step_form=StepForm()), status


@bp.get("/vignette-runs/<int:run_id>")
@login_required
def show_run(run_id: int):
    """The current node, the feedback on the last choice, or the end of the case."""
    return _render_run(_own_run(run_id))


@bp.post("/vignette-runs/<int:run_id>/choose")
@login_required
def choose(run_id: int):
    """Record a decision; the next page shows its feedback."""
    run = _own_run(run_id)
    page = vignettes.run_page(run)
    if page.mode != "decision":
        return _stale(run)
    form = ChoiceForm().offer(page.node["choices"])
    if not form.validate_on_submit():
        return _render_run(run, form, 422)
    return _apply(run, vignettes.choose, form.choice.data, form.node.data, form.position.data)


@bp.post("/vignette-runs/<int:run_id>/continue")
@login_required
def proceed(run_id: int):
    """Go on from a narrative or exhibit page, or acknowledge the feedback on a choice."""
    run, form = _own_run(run_id), StepForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(run, vignettes.proceed, form.node.data, form.position.data)


@bp.post("/vignette-runs/<int:run_id>/reveal")
@login_required
def reveal_exhibit(run_id: int):
    """Open one exhibit on the current page."""
    run, form = _own_run(run_id), RevealForm()
    if not form.validate_on_submit():
        abort(400)
    response = _apply(run, vignettes.reveal, form.exhibit.data, form.node.data, form.position.data)
    response.location += f"#exhibit-{form.exhibit.data}"
    return response


@bp.post("/vignette-runs/<int:run_id>/back")
@login_required
def go_back(run_id: int):
    """Return to the previous page, where the case allows it."""
    run, form = _own_run(run_id), StepForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(run, vignettes.go_back, form.node.data, form.position.data)


def _apply(run, use_case, *args):
    try:
        use_case(run, *args)
    except vignettes.StaleMove:
        return _stale(run)
    except vignettes.VignetteError:
        abort(400)
    return redirect(url_for("vignettes.show_run", run_id=run.id))


def _stale(run):
    flash("That page was out of date, so nothing changed. Here is where you are in the case.", "info")
    return redirect(url_for("vignettes.show_run", run_id=run.id))
