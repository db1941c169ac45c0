"""In Chromium: the evaluation form, the certificate requirements, /me certificates, public
verification and the admin pages; axe on every page visited."""
from __future__ import annotations

import re

import pytest

from kapcourse.models import Role
from kapcourse.services import accounts
from tests.certificate_support import complete_module
from tests.conftest import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me")


@pytest.fixture
def completed_learner(live_server):
    """A learner who has done everything in alpha-module except the evaluation."""
    with live_server.app.app_context():
        user = accounts.register("cert@example.org", PASSWORD, accounts.Profile(full_name="Ruth Amadi", credentials="PsyD"))
        complete_module(user, "alpha-module", evaluate=False)
        accounts.register("admin@example.org", PASSWORD, accounts.Profile(full_name="Ada Admin"), role=Role.ADMIN)
    return user


def test_evaluate_get_certificate_and_verify(live_server, page, completed_learner):
    base = live_server.url
    log_in(page, base, "cert@example.org")
    page.goto(base + "/modules/alpha-module")
    requirements = page.locator("#certificate-heading + ul").inner_text()
    assert "Submit the course evaluation" in requirements or "evaluation" in requirements.lower()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="complete the evaluation").click()
    page.wait_for_url("**/evaluation")
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("Submit", re.I)).click()
    assert page.get_by_role("alert").count() >= 1 or "Choose a rating." in page.content()
    assert_no_axe_violations(page)

    page.locator("input[name=objectives_met]").first.check()
    page.locator("input[name=relevance]").first.check()
    page.locator("input[name=free_of_bias][value=yes], input[name=free_of_bias]").first.check()
    page.get_by_label(re.compile("What will you change")).fill("Check blood pressure before every dose.")
    page.get_by_role("button", name=re.compile("Submit", re.I)).click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    page.goto(base + "/me")
    assert "Alpha Module" in page.locator("#certificates-heading").locator("xpath=..").inner_text()
    assert_no_axe_violations(page)
    code = re.search(r"KAP(?:-[0-9A-Z]{4}){5}", page.content()).group(0)

    public = page.context.browser.new_context().new_page()  # no login: anyone can verify
    public.goto(f"{base}/verify/{code}")
    text = public.content()
    assert "Ruth Amadi" in text and "Alpha Module" in text and "cert@example.org" not in text
    assert_no_axe_violations(public)
    public.goto(base + "/verify")
    assert_no_axe_violations(public)
    response = public.goto(base + "/verify/KAP-AAAA-BBBB-CCCC-DDDD-EEEE")
    assert response.status == 404
    assert_no_axe_violations(public)
    public.context.close()


def test_admin_certificate_and_evaluation_pages(live_server, page, completed_learner):
    base = live_server.url
    log_in(page, base, "admin@example.org")
    for path in ("/admin/certificates", "/admin/evaluations"):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert_no_axe_violations(page)
