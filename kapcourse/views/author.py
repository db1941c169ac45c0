"""Author analytics: module outcomes, quiz item statistics and case choice distributions."""
from flask import Blueprint, abort, render_template

from .helpers import author_required
from ..services import analytics

bp = Blueprint("author", __name__, url_prefix="/author")


@bp.get("")
@author_required
def show_dashboard():
    """Every published module with enrolments, attempts, pass rate and mean score per version."""
    return render_template("author/dashboard.html", modules=analytics.overview())


@bp.get("/modules/<slug>/items")
@author_required
def show_items(slug: str):
    """Facility, discrimination and flags of each question of a module, by objective."""
    report = analytics.item_report(slug)
    if report is None:
        abort(404)
    return render_template("author/items.html", report=report)


@bp.get("/modules/<slug>/cases/<vignette_id>")
@author_required
def show_case(slug: str, vignette_id: str):
    """How learners chose at each decision node of a case."""
    report = analytics.case_report(slug, vignette_id)
    if report is None:
        abort(404)
    return render_template("author/case.html", report=report)
