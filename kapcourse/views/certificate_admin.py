"""Administration of certificates (revoke with a reason) and the evaluation report."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..domain.certificates import CertificateError
from ..forms.certificates import RevokeForm
from .helpers import admin_required
from ..services import certificates, evaluations

bp = Blueprint("certificate_admin", __name__, url_prefix="/admin")


@bp.get("/certificates")
@admin_required
def list_certificates():
    """Recent certificates, or the one whose code was searched."""
    code = request.args.get("code", "")
    found = certificates.find_by_code(code) if code else None
    rows = [found] if found else ([] if code else certificates.recent(100))
    return render_template("certificates/admin_list.html", rows=rows, code=code)


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@admin_required
def revoke_certificate(certificate_id: int):
    """Revoke a certificate; a reason is required and the action is audited."""
    cert = certificates.by_id(certificate_id)
    if cert is None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certificates.revoke(cert.id, current_user, form.reason.data)
        except CertificateError as error:
            form.reason.errors.append(str(error))
        else:
            flash(f"Certificate {cert.code} was revoked.", "success")
            return redirect(url_for("certificate_admin.list_certificates", code=cert.code))
    return render_template("certificates/revoke.html", cert=cert, form=form), 422 if form.errors else 200


@bp.get("/evaluations")
@admin_required
def evaluation_report():
    """Aggregate course-evaluation results per module."""
    return render_template("certificates/evaluation_report.html", rows=evaluations.report())
