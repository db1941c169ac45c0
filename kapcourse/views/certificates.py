"""Learner certificates and evaluations, and the public verification pages."""
from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required

from ..forms import ActionForm
from ..forms.certificates import EvaluationForm, VerifyForm
from ..services import certificates, evaluations, ratelimit

bp = Blueprint("certificates", __name__)


def _enrolled_version_or_404(slug: str):
    version = certificates.enrolled_version(current_user.id, slug)
    if version is None:
        abort(404)
    return version


@bp.route("/modules/<slug>/evaluation", methods=["GET", "POST"])
@login_required
def submit_evaluation(slug: str):
    """The post-activity course evaluation; submitting it may complete the certificate."""
    version = _enrolled_version_or_404(slug)
    form = EvaluationForm()
    submitted = evaluations.evaluation_for(current_user.id, version.id) is not None
    if not submitted and form.validate_on_submit():
        evaluations.submit(current_user.id, version, _answers(form))
        return _request_certificate(version, "Thank you: your evaluation was submitted.")
    return render_template("certificates/evaluation.html", form=form, version=version,
                           submitted=submitted), 422 if form.errors else 200


def _answers(form: EvaluationForm) -> evaluations.EvaluationAnswers:
    return evaluations.EvaluationAnswers(
        objectives_met=int(form.objectives_met.data), relevance=int(form.relevance.data),
        free_of_bias=form.free_of_bias.data == "yes", bias_comment=form.bias_comment.data or "",
        practice_change=form.practice_change.data or "")


@bp.post("/modules/<slug>/certificate")
@login_required
def issue_certificate(slug: str):
    """Issue the module certificate when every requirement is met."""
    if not ActionForm().validate_on_submit():
        abort(400)
    return _request_certificate(_enrolled_version_or_404(slug), "")


def _request_certificate(version, prefix: str):
    result = certificates.request_module_certificate(current_user, version, request.url_root)
    for cert in result.issued:
        flash(f"Your certificate for {cert.subject_title} is ready.", "success")
    if result.certificate is None and not result.eligibility.eligible:
        missing = "; ".join(r.label for r in result.eligibility.missing)
        flash(f"{prefix} Still to do for your certificate: {missing}.".strip(), "info")
    elif prefix and not result.issued:
        flash(prefix, "success")
    return redirect(url_for("catalogue.module", slug=version.slug) + "#certificate-heading")


@bp.get("/me/certificates/<int:certificate_id>.pdf")
@login_required
def download_certificate(certificate_id: int):
    """The learner's own certificate, the bytes stored at issue, as a download."""
    cert = certificates.owned_certificate(current_user.id, certificate_id)
    if cert is None:
        abort(404)
    response = current_app.response_class(cert.pdf, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment",
                         filename=certificates.download_name(cert))
    response.headers["ETag"] = f'"{cert.pdf_sha256}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _within_rate_limit() -> bool:
    cfg = current_app.config
    return ratelimit.hit(f"verify:{request.remote_addr}", cfg["VERIFY_RATE_LIMIT"],
                         cfg["VERIFY_RATE_WINDOW_SECONDS"])


@bp.get("/verify")
def lookup_certificate():
    """A form to look up a certificate by the code printed on it."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        if not _within_rate_limit():
            abort(429)
        cert = certificates.find_by_code(form.code.data)
        if cert is not None:
            return redirect(url_for("certificates.verify_certificate", code=cert.code))
        form.code.errors.append("No certificate has this code. Check it and try again.")
    return render_template("certificates/lookup.html", form=form), 404 if form.errors else 200


@bp.get("/verify/<code>")
def verify_certificate(code: str):
    """Public: the facts printed on a certificate and its status; no login, nothing more."""
    if not _within_rate_limit():
        abort(429)
    cert = certificates.find_by_code(code)
    if cert is None:
        return render_template("certificates/unknown.html", form=VerifyForm()), 404
    return render_template("certificates/verify.html", cert=cert,
                           facts=certificates.printed_facts(cert),
                           newer=certificates.newer_certificate(cert))
