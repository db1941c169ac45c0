"""Lesson pages: read, move between lessons, mark complete, resume."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..forms import ActionForm
from ..services import catalogue, content, progress

bp = Blueprint("lessons", __name__)


def _enrolled_view(slug: str):
    view = catalogue.module_view(current_user.id, slug)
    if view is None:
        abort(404)
    if view.enrolment is None:
        return None
    return view


@bp.get("/modules/<slug>/lessons/<lesson_id>")
@login_required
def show(slug: str, lesson_id: str):
    """One lesson, with previous/next and the mark-complete button."""
    view = _enrolled_view(slug)
    if view is None:
        return redirect(url_for("catalogue.module", slug=slug))
    index = content.lesson_index(view.payload, lesson_id)
    if index is None:
        abort(404)
    progress.record_visit(view.enrolment, lesson_id)
    lessons = view.payload["lessons"]
    return render_template(
        "lessons/show.html", view=view, lesson=lessons[index], index=index,
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None, form=ActionForm(),
    )


@bp.post("/modules/<slug>/lessons/<lesson_id>/complete")
@login_required
def complete(slug: str, lesson_id: str):
    """Mark a lesson complete and go on to the next one."""
    view = _enrolled_view(slug)
    if view is None or content.lesson_index(view.payload, lesson_id) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    progress.mark_lesson_complete(view.enrolment, lesson_id)
    lessons = view.payload["lessons"]
    index = content.lesson_index(view.payload, lesson_id)
    if index + 1 < len(lessons):
        return redirect(url_for("lessons.show", slug=slug, lesson_id=lessons[index + 1]["id"]))
    return redirect(url_for("catalogue.module", slug=slug))


@bp.get("/modules/<slug>/resume")
@login_required
def resume(slug: str):
    """Continue where the learner left off."""
    view = _enrolled_view(slug)
    if view is None:
        return redirect(url_for("catalogue.module", slug=slug))
    return redirect(url_for("lessons.show", slug=slug, lesson_id=view.resume_lesson_id))
