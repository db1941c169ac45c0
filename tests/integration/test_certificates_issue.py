"""Issuing certificates: full module completion, bundle, PDF content, QR, supersede, revoke."""
from __future__ import annotations

import hashlib
import io
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kapcourse.domain import eligibility as el
from kapcourse.domain.certificates import CertificateError, Status, normalise_code
from kapcourse.extensions import db
from kapcourse.models import AuditEvent, Certificate, Role
from kapcourse.services import certificates
from tests.certificate_support import (
    BASE_URL, complete_module, complete_new_version, enrol, finish_lessons,
)

NOW = datetime(2026, 5, 1, 15, 30, tzinfo=timezone.utc)


@pytest.fixture
def content(publish_fixture_content):
    return publish_fixture_content()


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_requirements_named_before_completion(content, make_user):
    user = make_user(full_name="")
    version = enrol(user, "alpha-module")
    finish_lessons(user, version)
    result = certificates.module_requirements(user, version)
    assert result.missing_keys == (el.VIGNETTES, el.QUIZ, el.EVALUATION, el.PROFILE)
    issue = certificates.request_module_certificate(user, version, BASE_URL)
    assert issue.certificate is None and not issue.issued
    assert db.session.scalar(select(Certificate.id)) is None


def test_full_completion_issues_a_certificate_with_the_facts(content, make_user):
    user = make_user(full_name="Dana Okafor", credentials="PMHNP-BC", profession="Nurse practitioner",
                     licence_number="RN-55501")
    version = complete_module(user, "alpha-module", percent=92)
    result = certificates.request_module_certificate(user, version, BASE_URL, now=NOW)
    cert = result.certificate
    assert [c.kind for c in result.issued] == ["module"]
    assert normalise_code(cert.code) == cert.code
    assert cert.status is Status.VALID and cert.heading == "Certificate of Completion"
    assert (cert.learner_name, cert.credentials, cert.subject_title) == ("Dana Okafor", "PMHNP-BC", "Alpha Module")
    assert cert.score == 92 and cert.credit_hours is None and cert.credit_designation == ""
    assert cert.verify_url == f"http://kapcourse.test/verify/{cert.code}"
    assert cert.pdf_sha256 == hashlib.sha256(cert.pdf).hexdigest()
    text = _text(cert.pdf)
    for fact in ("Dana Okafor", "Alpha Module", "1 May 2026", cert.code, cert.verify_url,
                 "Certificate of Completion", "RN-55501"):
        assert fact in text
    assert "Credit" not in text.replace("Certificate", "")
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "certificate.issued" in actions


def test_pdf_metadata_and_qr_payload(content, make_user, monkeypatch):
    from kapcourse import pdf

    payloads = []
    real = pdf.qr_svg_data_uri
    monkeypatch.setattr(pdf, "qr_svg_data_uri", lambda url: payloads.append(url) or real(url))
    user = make_user(full_name="Sam Lee")
    version = complete_module(user, "alpha-module")
    cert = certificates.request_module_certificate(user, version, BASE_URL).certificate
    assert payloads == [cert.verify_url]
    reader = PdfReader(io.BytesIO(cert.pdf))
    meta = reader.metadata
    assert meta.title == "Certificate of Completion: Alpha Module"
    assert meta.author == "kapcourse"
    assert "Sam Lee" in meta.subject and cert.code in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_qr_encodes_the_verification_url():
    import segno

    from kapcourse.pdf import qr_svg_data_uri

    url = "https://example.org/verify/KAP-5CJJ-PY59-NNKF-WMKX-STT4"
    qr = segno.make(url, error="m", micro=False)
    assert qr.designator and qr_svg_data_uri(url) == qr.svg_data_uri(scale=4, border=0, dark="#1c2b4a")
    assert qr.matrix == segno.make(url, error="m", micro=False).matrix
    assert segno.make("other", error="m").matrix != qr.matrix


def test_requesting_again_returns_the_same_certificate(content, make_user):
    user = make_user()
    version = complete_module(user, "alpha-module")
    first = certificates.request_module_certificate(user, version, BASE_URL).certificate
    again = certificates.request_module_certificate(user, version, BASE_URL)
    assert again.certificate.id == first.id and not again.issued
    assert db.session.scalar(select(db.func.count(Certificate.id))) == 1


def test_evaluation_is_required(content, make_user):
    user = make_user()
    version = complete_module(user, "alpha-module", evaluate=False)
    result = certificates.request_module_certificate(user, version, BASE_URL)
    assert result.certificate is None and result.eligibility.missing_keys == (el.EVALUATION,)


def test_bundle_certificate_after_every_module(content, make_user):
    user = make_user(full_name="Ada Byrne")
    alpha = complete_module(user, "alpha-module")
    assert [c.kind for c in certificates.request_module_certificate(user, alpha, BASE_URL).issued] == ["module"]
    beta = complete_module(user, "beta-module")
    issued = certificates.request_module_certificate(user, beta, BASE_URL).issued
    assert [(c.kind, c.subject_slug) for c in issued] == [("module", "beta-module"),
                                                          ("bundle", "alpha-beta-bundle")]
    bundle = issued[1]
    assert bundle.subject_title == "Alpha and Beta Bundle" and bundle.score is None
    text = _text(bundle.pdf)
    assert "Alpha and Beta Bundle" in text and bundle.code in text and "Ada Byrne" in text


def test_configured_accreditation_and_credit_are_printed(app, content, make_user):
    app.config.update(CERTIFICATE_ORGANISATION="Northfield Clinical Education",
                      CERTIFICATE_ACCREDITATION_STATEMENT="Northfield is approved to sponsor continuing education.",
                      CERTIFICATE_CREDIT_DESIGNATION={"alpha-module": "1.5 contact hours"},
                      CERTIFICATE_PAGE_SIZE="a4")
    user = make_user()
    version = complete_module(user, "alpha-module")
    cert = certificates.request_module_certificate(user, version, BASE_URL).certificate
    assert cert.heading != "Certificate of Completion" and cert.credit_hours == 1.5
    text = _text(cert.pdf)
    assert "1.5 contact hours" in text and "approved to sponsor" in text
    assert "Northfield Clinical Education" in text
    box = PdfReader(io.BytesIO(cert.pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_retake_on_a_new_version_supersedes(content, make_user):
    user = make_user()
    version = complete_module(user, "alpha-module")
    old = certificates.request_module_certificate(user, version, BASE_URL).certificate
    newer = complete_new_version(user, "alpha-module")
    new = certificates.request_module_certificate(user, newer, BASE_URL).certificate
    db.session.refresh(old)
    assert new.id != old.id and old.status is Status.SUPERSEDED and old.superseded_by_id == new.id
    assert certificates.newer_certificate(old).code == new.code
    assert "certificate.superseded" in db.session.scalars(select(AuditEvent.action)).all()


def test_snapshot_is_immutable(content, make_user):
    user = make_user()
    cert = certificates.request_module_certificate(user, complete_module(user, "alpha-module"),
                                                   BASE_URL).certificate
    cert.learner_name = "Someone Else"
    with pytest.raises(ValueError, match="immutable"):
        db.session.commit()
    db.session.rollback()


def test_revoke_by_admin_is_recorded_and_blocks_reissue(content, make_user):
    user, admin = make_user(), make_user(role=Role.ADMIN)
    version = complete_module(user, "alpha-module")
    cert = certificates.request_module_certificate(user, version, BASE_URL).certificate
    with pytest.raises(PermissionError):
        certificates.revoke(cert.id, user, "mine")
    certificates.revoke(cert.id, admin, "  Issued in error ", now=NOW)
    assert cert.status is Status.REVOKED and cert.revoked_at == NOW and cert.revoked_reason == "Issued in error"
    with pytest.raises(CertificateError, match="already revoked"):
        certificates.revoke(cert.id, admin, "again")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.actor_id == admin.id and event.details == {"reason": "Issued in error"}
    again = certificates.request_module_certificate(user, version, BASE_URL)
    assert again.certificate is None and again.reason == "revoked for this version"


def test_a_racing_request_does_not_issue_a_second_valid_certificate(content, make_user, monkeypatch):
    """The racing request read the certificates before the first one committed its certificate."""
    user = make_user()
    version = complete_module(user, "alpha-module")
    first = certificates.request_module_certificate(user, version, BASE_URL).certificate
    real = certificates.certificates_of
    reads = iter(range(10))  # the first read is stale, later reads see the committed certificate
    monkeypatch.setattr(certificates, "certificates_of", lambda user_id: [] if next(reads) == 0 else real(user_id))
    again = certificates.request_module_certificate(user, version, BASE_URL)
    assert again.certificate.id == first.id and not again.issued
    assert db.session.scalar(select(db.func.count(Certificate.id))) == 1
