"""The catalogue, module and bundle overviews, and one-click enrolment."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..forms import ActionForm
from ..services import catalogue, content, enrolment

bp = Blueprint("catalogue", __name__)


def _user_id():
    return current_user.id if current_user.is_authenticated else None


@bp.get("/")
def index():
    """All published modules and bundles."""
    modules, bundles = catalogue.catalogue()
    payloads = {m.slug: content.module_payload(m.id) for m in modules}
    return render_template("catalogue/index.html", modules=modules, payloads=payloads, bundles=bundles)


@bp.get("/modules/<slug>")
def module(slug: str):
    """A module's objectives, lessons, cases, quiz and the learner's progress."""
    view = catalogue.module_view(_user_id(), slug, with_sections=True)
    if view is None:
        abort(404)
    return render_template("modules/overview.html", view=view, form=ActionForm())


@bp.post("/modules/<slug>/enrol")
@login_required
def enrol(slug: str):
    """Enrol in one module."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enrolment.enrol(current_user.id, slug)
    except enrolment.EnrolmentError:
        abort(404)
    flash("You are enrolled. Start with the first lesson when you are ready.", "success")
    return redirect(url_for("catalogue.module", slug=slug))


@bp.get("/bundles/<slug>")
def bundle(slug: str):
    """A bundle and the modules it contains."""
    bundle_version = content.current_bundle(slug)
    if bundle_version is None:
        abort(404)
    modules = content.current_module_versions()
    return render_template("catalogue/bundle.html", bundle=bundle_version, modules=modules, form=ActionForm())


@bp.post("/bundles/<slug>/enrol")
@login_required
def enrol_bundle(slug: str):
    """Enrol in every module of a bundle."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enrolment.enrol_bundle(current_user.id, slug)
    except enrolment.EnrolmentError:
        abort(404)
    flash("You are enrolled in every module of the bundle.", "success")
    return redirect(url_for("me.dashboard"))
