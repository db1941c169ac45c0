"""In Chromium, by keyboard: register, enrol, read a lesson, mark it complete; axe on every page."""
from __future__ import annotations

import pytest

from tests.browser.keyboard import tab_to
from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_register_enrol_read_and_complete_by_keyboard(live_server, page):
    page.goto(live_server.url + "/")
    assert_no_axe_violations(page)

    tab_to(page, "Create account")
    page.keyboard.press("Enter")
    page.wait_for_url("**/register")
    assert_no_axe_violations(page)
    for label, value in [("Email", "kim@example.org"), ("Password", "a long password"),
                         ("Repeat password", "a long password"), ("Full name", "Kim Nguyen"),
                         ("Professional credentials", "NP")]:
        tab_to(page, label)
        page.keyboard.type(value)
    tab_to(page, "Create account")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    assert "Your account is ready" in page.content()
    assert_no_axe_violations(page)

    tab_to(page, "Alpha Module")
    page.keyboard.press("Enter")
    page.wait_for_url("**/modules/alpha-module")
    assert_no_axe_violations(page)
    tab_to(page, "Enrol in this module")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=You are enrolled")
    assert_no_axe_violations(page)

    tab_to(page, "Start the first lesson")
    page.keyboard.press("Enter")
    page.wait_for_url("**/lessons/first-lesson")
    assert page.locator("h1").inner_text() == "The first lesson"
    assert_no_axe_violations(page)
    tab_to(page, "Mark complete")
    page.keyboard.press("Enter")
    page.wait_for_url("**/lessons/second-lesson")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/me")
    assert "1 of 2 lessons completed" in page.content()
    assert_no_axe_violations(page)


def test_form_errors_are_announced_and_linked(live_server, page):
    page.goto(live_server.url + "/register")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)


def test_no_inline_script_runs_and_csp_is_sent(live_server, page):
    response = page.goto(live_server.url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("script:not([src])").count() == 0
