"""Standalone accounts: register, log in, log out, reset a password."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..forms import ActionForm
from ..forms.auth import LoginForm, RegisterForm, ResetPasswordForm
from ..services import accounts
from .helpers import profile_from, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an account and log in."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.password.data, profile_from(form))
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("catalogue.index"))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in; failures are throttled per account and per address."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except accounts.AccountError as error:
            form.form_errors.append(str(error))
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("me.dashboard"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """End the session."""
    if ActionForm().validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("catalogue.index"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from a one-time link made by `flask users reset-token`."""
    form = ResetPasswordForm()
    try:
        accounts.user_for_reset_token(token)
    except accounts.AccountError as error:
        return render_template("auth/reset_invalid.html", message=str(error)), 400
    if form.validate_on_submit():
        accounts.reset_password(token, form.password.data)
        flash("Your password was changed. Please log in.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, current_user=current_user)
