"""In Chromium, by keyboard only: play a case through an exhibit, an unsafe choice and its
acknowledgement to the end page; axe finds no serious or critical violation on any page."""
from __future__ import annotations

import pytest

from tests.browser.keyboard import log_in_and_enrol, press, tab_to
from tests.conftest import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser
@pytest.fixture
def learner_email(live_server):
    from kapcourse.services import accounts

    with live_server.app.app_context():
        accounts.register("sam@example.org", PASSWORD, accounts.Profile(full_name="Sam Okafor", credentials="RN"))
    return "sam@example.org"


def test_play_a_case_by_keyboard(live_server, page, learner_email):
    log_in_and_enrol(page, live_server.url, learner_email, PASSWORD, "alpha-module")
    page.wait_for_selector("#vignettes-heading")
    assert_no_axe_violations(page)

    press(page, "A fixture patient with high blood pressure")
    page.wait_for_url("**/vignettes/alpha-case")
    assert_no_axe_violations(page)
    press(page, "Start the case")
    page.wait_for_url("**/vignette-runs/*")
    assert page.locator("h1").inner_text() == "Referral"
    assert "Patient details" in page.content()
    assert_no_axe_violations(page)

    press(page, "Continue")
    page.wait_for_selector("text=Show vital signs")
    assert_no_axe_violations(page)
    press(page, "Show vital signs")
    page.wait_for_selector("text=Blood pressure 170/104 mmHg.")
    assert_no_axe_violations(page)
    press(page, "Continue")
    page.wait_for_selector("legend:has-text('Your decision')")
    assert_no_axe_violations(page)

    tab_to(page, "Recheck the blood pressure")   # Tab enters the radio group on its first option
    page.keyboard.press("ArrowDown")             # arrows move the selection to the next option
    assert page.is_checked("#choice-proceed")
    press(page, "Submit decision")
    page.wait_for_selector("h1:has-text('Unsafe choice')")
    assert "This choice could harm the patient." in page.content()
    assert_no_axe_violations(page)

    press(page, "I understand why this choice is unsafe")
    page.wait_for_selector("h2:has-text('Your path and the expert path')")
    html = page.content()
    assert "Outcome:</strong> Poor" in html and "Key teaching points" in html and "Unsafe" in html
    assert_no_axe_violations(page)
