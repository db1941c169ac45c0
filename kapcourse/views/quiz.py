"""Quiz pages: start or resume, answer (autosaved), confirm, submit, results."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..forms import ActionForm
from ..services import catalogue, quiz, quiz_results

bp = Blueprint("quiz", __name__)


def _owned(attempt_id: int):
    attempt = quiz.attempt_for(current_user.id, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/modules/<slug>/quiz")
@login_required
def show_quiz(slug: str):
    """The quiz's rules, the learner's attempts so far, and the start or resume button."""
    view = catalogue.module_view(current_user.id, slug)
    if view is None:
        abort(404)
    if view.enrolment is None:
        return redirect(url_for("catalogue.module", slug=slug))
    status = quiz.refresh_status(current_user.id, view.version.id)
    return render_template("quiz/overview.html", view=view, status=status, settings=view.payload["quiz"],
                           form=ActionForm())


@bp.post("/modules/<slug>/quiz/start")
@login_required
def start_attempt(slug: str):
    """Start a new attempt (or resume the open one)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = quiz.start_attempt(current_user.id, slug)
    except quiz.QuizClosed as closed:
        flash(str(closed), "error")
        return redirect(url_for("quiz.show_quiz", slug=slug))
    return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id))


@bp.get("/quiz/attempts/<int:attempt_id>")
@login_required
def show_attempt(attempt_id: int):
    """The questions of an open attempt with the answers saved so far (no key anywhere)."""
    attempt = _owned(attempt_id)
    if attempt.submitted or quiz.close_if_expired(attempt):
        return redirect(url_for("quiz.show_results", attempt_id=attempt.id))
    return render_template("quiz/take.html", attempt=attempt, items=quiz_results.take_items(attempt),
                           errors={}, form=ActionForm())


@bp.post("/quiz/attempts/<int:attempt_id>/answers")
@login_required
def save_answers(attempt_id: int):
    """Autosave answers (JSON for the script, a redirect or the page with errors without it)."""
    attempt = _owned(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    result = quiz.save_answers(attempt, request.form.to_dict(flat=False))
    if _wants_json():
        return jsonify(saved=result.saved, errors=result.errors, closed=result.closed), 422 if result.errors else 200
    if result.closed:
        return redirect(url_for("quiz.show_results", attempt_id=attempt.id))
    if result.errors:
        return render_template("quiz/take.html", attempt=attempt, items=quiz_results.take_items(attempt),
                               errors=result.errors, form=ActionForm()), 422
    if request.form.get("action") == "review":
        return redirect(url_for("quiz.confirm_submit", attempt_id=attempt.id))
    flash("Your answers are saved.", "success")
    return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id))


@bp.get("/quiz/attempts/<int:attempt_id>/confirm")
@login_required
def confirm_submit(attempt_id: int):
    """Ask for confirmation, listing the questions still unanswered."""
    attempt = _owned(attempt_id)
    if attempt.submitted or quiz.close_if_expired(attempt):
        return redirect(url_for("quiz.show_results", attempt_id=attempt.id))
    return render_template("quiz/confirm.html", attempt=attempt, unanswered=quiz.unanswered_positions(attempt),
                           total=len(quiz.items_of(attempt)), form=ActionForm())


@bp.post("/quiz/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):
    """Grade the attempt once; a repeated submit lands on the same result."""
    attempt = _owned(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    quiz.submit_attempt(attempt, request.form.to_dict(flat=False))
    return redirect(url_for("quiz.show_results", attempt_id=attempt.id), 303)


@bp.get("/quiz/attempts/<int:attempt_id>/results")
@login_required
def show_results(attempt_id: int):
    """Score, pass/fail, per-objective breakdown and the review the policy allows."""
    attempt = _owned(attempt_id)
    if not attempt.submitted and not quiz.close_if_expired(attempt):
        return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id))
    view = catalogue.module_view(current_user.id, attempt.module_slug)
    return render_template("quiz/results.html", results=quiz_results.results(attempt), view=view)
