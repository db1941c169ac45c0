"""In Chromium: an author reaches the analytics pages by keyboard; axe finds no serious violation."""
from __future__ import annotations

import pytest

from tests.browser.keyboard import log_in, press
from tests.conftest import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def author_email(live_server):
    from kapcourse.models import Role
    from kapcourse.services import accounts, enrolment, quiz

    with live_server.app.app_context():
        accounts.register("ada@example.org", PASSWORD, accounts.Profile(full_name="Ada Author"), role=Role.AUTHOR)
        # One submitted (blank) attempt, so the item tables are rendered and checked too.
        learner = accounts.register("lee@example.org", PASSWORD, accounts.Profile(full_name="Lee Learner"))
        enrolment.enrol(learner.id, "alpha-module")
        quiz.submit_attempt(quiz.start_attempt(learner.id, "alpha-module"))
    return "ada@example.org"


def test_author_analytics_pages_pass_axe(live_server, page, author_email):
    log_in(page, live_server.url, author_email, PASSWORD)

    press(page, "Author analytics")
    page.wait_for_url("**/author")
    assert page.locator("h1").inner_text() == "Author analytics"
    assert_no_axe_violations(page)

    press(page, "Quiz item statistics for Alpha Module")
    page.wait_for_url("**/author/modules/alpha-module/items")
    assert page.locator("table caption").count() == 2
    assert_no_axe_violations(page)

    page.go_back()
    press(page, "Case choices: A fixture patient with high blood pressure")
    page.wait_for_url("**/author/modules/alpha-module/cases/alpha-case")
    assert page.locator("caption").first.inner_text().startswith("Decision")
    assert_no_axe_violations(page)
