"""LTI 1.3 endpoints: JWKS, OIDC login, launch, deep linking, dynamic registration, admin, roster."""
from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template,
                   request, session, url_for)
from flask_login import current_user, login_required, login_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import csrf, db
from ..forms.lti import DeepLinkForm, PlatformForm
from ..lti import claims as c
from ..lti.checks import LaunchRejected
from ..lti.client import ServiceError
from ..lti.dynamic_registration import ToolUrls
from ..models.base import utcnow
from .helpers import admin_required
from ..services import events, lti_deep_linking, lti_dynreg, lti_grades, lti_identity, lti_launch
from ..services import lti_registry, lti_roster

bp = Blueprint("lti", __name__, url_prefix="/lti")
log = logging.getLogger("kapcourse.lti")
STATE_COOKIE = "kapcourse_lti_state"
INVITE_MAX_AGE = 7 * 24 * 3600


@bp.record_once
def _subscribe(_state) -> None:
    events.subscribe("quiz.attempt_graded", lti_grades.on_attempt_graded)


def _allow_framing_by(origins: list[str]) -> None:
    """Let these platform origins frame this response, besides the configured ancestors."""
    configured = (current_app.config.get("FRAME_ANCESTORS") or "'self'").strip()
    base = "'self'" if configured == "'none'" else configured
    g.csp_frame_ancestors = " ".join([base, *origins])


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@bp.before_app_request
def _allow_platform_frame() -> None:
    if session.get("lti_origin"):
        _allow_framing_by([session["lti_origin"]])


@bp.after_app_request
def _deliver_after_commit(response):
    if db.session.info.pop("lti_scores_queued", False):
        app = current_app._get_current_object()
        response.call_on_close(lambda: _deliver(app))
    return response


def _deliver(app) -> None:
    """Send queued scores once the response has gone; the CLI catches anything left over."""
    with app.app_context():
        try:
            lti_grades.deliver_due()
        except Exception:  # noqa: BLE001 - the outbox keeps the row; `lti deliver` retries
            log.exception("lti score delivery after commit failed")


def _launch_url() -> str:
    return url_for("lti.launch", _external=True)


def _tool_urls() -> ToolUrls:
    return ToolUrls(login=url_for("lti.login", _external=True), launch=_launch_url(),
                    deep_link=_launch_url(), jwks=url_for("lti.jwks", _external=True),
                    name=current_app.config.get("ORGANISATION_NAME", "kapcourse"))


def _frame_for_platforms() -> None:
    _allow_framing_by(lti_registry.platform_origins())


def _rejected(error: LaunchRejected):
    log.warning("lti launch rejected: check=%s reason=%s", error.check, error.message)
    _frame_for_platforms()
    return render_template("lti/error.html", error=error), 400


def _state_cookie(response, state: str) -> None:
    # The platform returns with a cross-site form_post, which must carry this cookie. Over
    # HTTPS: SameSite=None, Partitioned for the LMS iframe. Over plain HTTP None needs Secure
    # and an explicit Lax is never sent with that POST; unset, Lax-by-default browsers still
    # send a cookie set in the last two minutes with a top-level cross-site POST.
    secure = request.is_secure
    response.set_cookie(STATE_COOKIE, state, max_age=600, path="/lti/", httponly=True,
                        secure=secure, samesite="None" if secure else None, partitioned=secure)


@bp.get("/jwks")
def jwks():
    """The tool's public keys: current, next and previous during a rotation."""
    response = jsonify(lti_registry.tool_jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """OIDC third-party login initiation: check, remember state and nonce, go to the platform."""
    params = lti_launch.login_parameters(request.values.to_dict())
    try:
        start = lti_launch.start_login(params, _launch_url(), utcnow())
    except LaunchRejected as error:
        return _rejected(error)
    if start.storage_target:
        _frame_for_platforms()
        response = current_app.make_response(render_template("lti/login_storage.html", start=start))
    else:
        response = redirect(start.url)
    _state_cookie(response, start.state)
    return response


def _bound(form: dict[str, str]) -> bool:
    """The launch comes from the browser that logged in: our cookie, or platform storage."""
    state = form.get("state", "")
    cookie = request.cookies.get(STATE_COOKIE, "")
    stored = form.get("lti_storage_state", "")
    # Bytes: compare_digest refuses str with non-ASCII characters (a 500 on a forged state).
    state_bytes = state.encode()
    return bool(state) and (hmac.compare_digest(cookie.encode(), state_bytes)
                            or hmac.compare_digest(stored.encode(), state_bytes))


@bp.post("/launch")
@csrf.exempt
def launch():
    """Validate the id_token; sign the person in and send them to what the link points at."""
    form = request.form.to_dict()
    try:
        registration, payload = lti_launch.validate_launch(form, _bound(form), utcnow())
    except lti_launch.BrowserNotBound as unbound:
        return _unbound(unbound.login, form)
    except LaunchRejected as error:
        return _rejected(error)
    user, launch_row, role = lti_identity.record_launch(registration, payload, utcnow())
    login_user(user)
    session["lti_origin"] = _origin(registration.auth_login_url)
    session["lti_launch_id"] = launch_row.id if launch_row else None
    # Shows the roster link in the navigation; the roster view re-checks the launch itself.
    session["lti_roster"] = bool(launch_row and launch_row.role != "learner" and launch_row.memberships_url)
    if payload[c.MESSAGE_TYPE] == c.DEEP_LINKING_REQUEST:
        return _start_deep_linking(registration.id, payload, role)
    return redirect(_destination(payload, user))


def _unbound(login_state, form: dict[str, str]):
    _frame_for_platforms()
    origin = _auth_origin(login_state.registration_id)
    # "Open in a new window" posts to /lti/login, which redirects to the platform: browsers
    # apply form-action to that redirect too, so the platform's origin must be allowed.
    g.csp_form_action = (origin,)
    if login_state.storage_target:
        return render_template("lti/launch_storage.html", form=form, login=login_state,
                               origin=origin)
    return render_template("lti/cookies_blocked.html", params=login_state.login_params), 200


def _auth_origin(registration_id: int) -> str:
    return _origin(lti_registry.registration_by_id(registration_id).auth_login_url)


def _destination(payload: dict, user) -> str:
    custom = payload.get(c.CUSTOM) or {}
    slug = str(custom.get("kapcourse_module", ""))
    if not (user.credentials and user.licence_number):
        flash("Add your credentials and licence number in your profile before a certificate can be issued.", "info")
    return url_for("catalogue.module", slug=slug) if slug else url_for("catalogue.index")


def _start_deep_linking(registration_id: int, payload: dict, role: str):
    if role not in ("author", "admin"):
        abort(403)
    settings = payload[c.DL_SETTINGS]
    session["lti_dl"] = {"registration_id": registration_id,
                         "deployment_id": payload[c.DEPLOYMENT_ID],
                         "return_url": settings["deep_link_return_url"],
                         "data": settings.get("data"),
                         "accept_multiple": settings.get("accept_multiple", True) is not False}
    return redirect(url_for("lti.deep_link"))


@bp.route("/deep-link", methods=["GET", "POST"])
@login_required
def deep_link():
    """The instructor picks modules, cases or quizzes; the tool posts them back signed."""
    request_data = session.get("lti_dl") or abort(404)
    form = DeepLinkForm()
    form.items.choices = lti_deep_linking.choices()
    if not form.validate_on_submit():
        _frame_for_platforms()
        return render_template("lti/deep_link.html", form=form), 422 if form.errors else 200
    token = lti_deep_linking.signed_response(request_data, form.items.data, _launch_url(), utcnow())
    session.pop("lti_dl", None)
    return_url = request_data["return_url"]
    g.csp_form_action = (_origin(return_url),)
    _frame_for_platforms()
    return render_template("lti/deep_link_post.html", return_url=return_url, token=token)


def _invites() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lti-dynamic-registration")


def invite_url() -> str:
    """A dynamic registration URL an administrator pastes into the LMS (valid for 7 days)."""
    return url_for("lti.register", invite=_invites().dumps("register"), _external=True)


@bp.get("/register")
@csrf.exempt
def register():
    """Dynamic Registration: the LMS opens this with openid_configuration and registration_token."""
    try:
        _invites().loads(request.args.get("invite", ""), max_age=INVITE_MAX_AGE)
    except BadSignature:
        if not (current_user.is_authenticated and current_user.is_admin):
            abort(403)
    config_url = request.args.get("openid_configuration") or abort(400)
    _allow_framing_by([_origin(config_url)])  # the LMS being registered hosts this page
    try:
        registration = lti_dynreg.register_with_platform(
            config_url, request.args.get("registration_token"), _tool_urls())
    except lti_registry.RegistrationError as error:
        log.warning("lti dynamic registration failed: %s", error)
        return render_template("lti/registered.html", error=str(error)), 400
    return render_template("lti/registered.html", registration=registration)


@bp.route("/admin/registrations", methods=["GET", "POST"])
@admin_required
def registrations():
    """Administrators list and add platform registrations."""
    form = PlatformForm()
    if form.validate_on_submit():
        try:
            lti_registry.add_platform(_platform_fields(form), form.deployment_ids.data.splitlines())
            flash("The platform was registered.", "success")
            return redirect(url_for("lti.registrations"))
        except lti_registry.RegistrationError as error:
            form.form_errors.append(str(error))
    return render_template("lti/registrations.html", form=form, tool=_tool_urls(),
                           invite=invite_url(), registrations=lti_registry.list_registrations()), \
        422 if form.errors or form.form_errors else 200


def _platform_fields(form: PlatformForm) -> lti_registry.PlatformFields:
    names = ("issuer", "client_id", "auth_login_url", "token_url", "jwks_url", "name",
             "token_audience")
    return lti_registry.PlatformFields(**{n: (getattr(form, n).data or "").strip() for n in names})


@bp.get("/roster")
@login_required
def roster():
    """The course roster with progress, for the instructor of the current LTI launch."""
    launch_row = lti_roster.instructor_launch(current_user.id, session.get("lti_launch_id"))
    if launch_row is None:
        abort(404)
    try:
        rows, error = lti_roster.roster(launch_row), None
    except ServiceError as exc:
        rows, error = [], str(exc)
    return render_template("lti/roster.html", rows=rows, error=error, launch=launch_row)
