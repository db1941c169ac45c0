"""Certificate pages: download, public verification, revocation, evaluation, module section."""
from __future__ import annotations

import pytest

from kapcourse.extensions import db
from kapcourse.models import Role
from kapcourse.services import certificates
from tests.certificate_support import BASE_URL, complete_module, complete_new_version


@pytest.fixture
def issued(app, publish_fixture_content, make_user):
    """A learner holding a certificate for the alpha module."""
    publish_fixture_content()
    learner = make_user(email="dana@example.org", full_name="Dana Okafor", licence_number="RN-1")
    version = complete_module(learner, "alpha-module")
    cert = certificates.request_module_certificate(learner, version, BASE_URL).certificate
    return learner, cert


def test_learner_downloads_identical_bytes_as_an_attachment(client, login, issued):
    learner, cert = issued
    login(client, learner)
    first = client.get(f"/me/certificates/{cert.id}.pdf")
    second = client.get(f"/me/certificates/{cert.id}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == second.data == cert.pdf
    disposition = first.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "certificate-alpha-module-dana-okafor-" in disposition and disposition.endswith('.pdf')


def test_another_learner_cannot_download(client, login, issued, make_user):
    _, cert = issued
    login(client, make_user(email="other@example.org"))
    assert client.get(f"/me/certificates/{cert.id}.pdf").status_code == 404
    assert client.get("/me/certificates/999.pdf").status_code == 404


def test_download_needs_login(client, issued):
    _, cert = issued
    assert client.get(f"/me/certificates/{cert.id}.pdf").status_code == 302


def test_verify_valid_shows_printed_facts_only(client, issued):
    learner, cert = issued
    page = client.get(f"/verify/{cert.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for fact in ("Valid.", "Dana Okafor", "Alpha Module", cert.code, "RN-1", "90%", cert.pdf_sha256):
        assert fact in html
    assert learner.email not in html and "Check BP before dosing" not in html


def test_verify_accepts_a_typed_code(client, issued):
    _, cert = issued
    typed = cert.code.lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{cert.code}")
    assert client.get(f"/verify/{cert.code.lower()}").status_code == 200


@pytest.mark.parametrize("code", ["KAP-2222-2222-2222-2222-2222", "nonsense", "KAP-" + "A" * 24])
def test_unknown_code_is_a_404_page(client, issued, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "Certificate not found" in response.get_data(as_text=True)
    assert client.get("/verify", query_string={"code": code}).status_code == 404


def test_verify_superseded_links_to_the_newer(client, issued):
    learner, old = issued
    newer = _issue_newer(learner)
    html = client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert "Superseded." in html and f"/verify/{newer.code}" in html


def _issue_newer(learner):
    version = complete_new_version(learner, "alpha-module")
    return certificates.request_module_certificate(learner, version, BASE_URL).certificate


def test_revoking_needs_the_admin_role(client, login, issued, make_user):
    learner, cert = issued
    login(client, learner)
    url = f"/admin/certificates/{cert.id}/revoke"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"reason": "no"}).status_code == 403
    assert cert.revoked_at is None


def test_admin_revokes_with_a_reason_and_verify_shows_it(client, login, issued, make_user):
    _, cert = issued
    login(client, make_user(email="admin@example.org", role=Role.ADMIN))
    url = f"/admin/certificates/{cert.id}/revoke"
    assert client.post(url, data={"reason": "   "}).status_code == 422
    assert client.post(url, data={"reason": "Issued in error"}).status_code == 302
    html = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Revoked" in html and cert.revoked_at.strftime("%B %Y") in html
    assert "Issued in error" not in html  # the reason stays with administrators
    assert client.post(url, data={"reason": "again"}).status_code == 422


def test_verify_is_rate_limited(app, client, issued):
    _, cert = issued
    app.config.update(VERIFY_RATE_LIMIT=3)
    codes = [client.get(f"/verify/{cert.code}").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_evaluation_page_issues_the_certificate(client, login, publish_fixture_content, make_user):
    publish_fixture_content()
    learner = make_user(full_name="Lee Park")
    complete_module(learner, "alpha-module", evaluate=False)
    login(client, learner)
    page = client.get("/modules/alpha-module").get_data(as_text=True)
    assert "Certificate requirements" in page and "Submit the course evaluation" in page
    bad = client.post("/modules/alpha-module/evaluation", data={"objectives_met": "5"})
    assert bad.status_code == 422 and "Describe at least one intended change" in bad.get_data(as_text=True)
    form = {"objectives_met": "4", "relevance": "5", "free_of_bias": "yes",
            "practice_change": "Screen blood pressure first."}
    assert client.post("/modules/alpha-module/evaluation", data=form).status_code == 302
    [cert] = certificates.certificates_of(learner.id)
    dashboard = client.get("/me").get_data(as_text=True)
    assert cert.code in dashboard and f"/me/certificates/{cert.id}.pdf" in dashboard
    assert "Download your certificate" in client.get("/modules/alpha-module").get_data(as_text=True)


def test_evaluation_report_is_for_admins(client, login, issued, make_user):
    login(client, make_user(email="admin@example.org", role=Role.ADMIN))
    html = client.get("/admin/evaluations").get_data(as_text=True)
    assert "alpha-module" in html and "Check BP before dosing." in html and "100%" in html


def test_module_page_names_missing_requirements(client, login, publish_fixture_content, make_user):
    publish_fixture_content()
    learner = make_user(full_name="")
    login(client, learner)
    client.post("/modules/alpha-module/enrol")
    html = client.get("/modules/alpha-module").get_data(as_text=True)
    for label in ("Complete every lesson", "Finish every case vignette", "Pass the quiz",
                  "Submit the course evaluation", "Add your full name to your profile"):
        assert label in html
    assert client.post("/modules/alpha-module/certificate").status_code == 302
    assert certificates.certificates_of(learner.id) == []
