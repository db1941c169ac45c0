"""The learner's dashboard and profile."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..forms.auth import ProfileForm
from ..services import accounts, catalogue, certificates
from .helpers import profile_from

bp = Blueprint("me", __name__)


@bp.get("/me")
@login_required
def dashboard():
    """Progress in every enrolled module."""
    return render_template("me/dashboard.html", views=catalogue.dashboard(current_user.id),
                           my_certificates=certificates.certificates_of(current_user.id))


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Edit the details printed on certificates."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        accounts.update_profile(current_user, profile_from(form))
        flash("Your profile was saved.", "success")
        return redirect(url_for("me.profile"))
    return render_template("me/profile.html", form=form), 422 if form.errors else 200
