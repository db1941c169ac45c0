"""In Chromium, by keyboard only: take and pass a quiz; axe finds no serious or critical violation."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.keyboard import log_in_and_enrol, press
from tests.conftest import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def learner_email(live_server):
    from kapcourse.services import accounts

    with live_server.app.app_context():
        accounts.register("quinn@example.org", PASSWORD, accounts.Profile(full_name="Quinn Ash", credentials="MD"))
    return "quinn@example.org"


def focused(page) -> dict:
    return page.evaluate("() => ({id: document.activeElement.id, name: document.activeElement.name || ''})")


def tab_to_control(page, control_id: str, limit: int = 150) -> None:
    """Tab to a control; inside a radio group, move with the arrow keys as a keyboard user does."""
    name = page.get_attribute(f"#{control_id}", "name")
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["id"] == control_id:
            return
        if now["name"] == name and page.get_attribute(f"#{control_id}", "type") == "radio":
            for _ in range(8):
                page.keyboard.press("ArrowDown")
                if focused(page)["id"] == control_id:
                    return
    raise AssertionError(f"could not reach #{control_id} with the keyboard")


def answer(page, position: int, q: dict) -> None:
    """Give the keyed answer to one item using only the keyboard."""
    kind = q["type"]
    if kind in ("single", "multiple", "true_false"):
        keys = {"true" if q["key"] else "false"} if kind == "true_false" else set(
            q["key"] if isinstance(q["key"], list) else [q["key"]])
        for key in sorted(keys):
            tab_to_control(page, f"q{position}-{key}")
            if not page.is_checked(f"#q{position}-{key}"):
                page.keyboard.press("Space")
            assert page.is_checked(f"#q{position}-{key}")
    elif kind == "numeric":
        tab_to_control(page, f"q{position}-value")
        page.keyboard.type(str(q["answer"]))
    elif kind == "ordering":
        for index, step in enumerate(q["key"], start=1):
            tab_to_control(page, f"q{position}-pos-{step}")
            page.keyboard.type(str(index))
            assert page.input_value(f"#q{position}-pos-{step}") == str(index)
    else:
        texts = {c["id"]: c["text"] for c in q["choices"]}
        for premise, choice in q["key"].items():
            tab_to_control(page, f"q{position}-match-{premise}")
            page.keyboard.type(texts[choice])
            assert page.input_value(f"#q{position}-match-{premise}") == choice


def drawn_items(app, attempt_id: int):
    from kapcourse.extensions import db
    from kapcourse.models import AttemptItem

    with app.app_context():
        return [(i.position, i.question) for i in db.session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position))]


def test_take_and_pass_a_quiz_by_keyboard(live_server, page, learner_email):
    log_in_and_enrol(page, live_server.url, learner_email, PASSWORD, "alpha-module")
    page.wait_for_selector("#quiz-heading")
    press(page, "Start the quiz")
    page.wait_for_url("**/quiz/attempts/*")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", page.url).group(1))
    assert_no_axe_violations(page)

    for position, question in drawn_items(live_server.app, attempt_id):
        answer(page, position, question)
    page.keyboard.press("Tab")  # leave the last field so its change is saved too
    press(page, "Review and submit")
    page.wait_for_url("**/confirm")
    assert "You have answered all 6 questions" in page.content()
    assert_no_axe_violations(page)
    press(page, "Submit and see my result")
    page.wait_for_url("**/results")
    assert "100.00 %" in page.content() and "Passed" in page.content()
    assert_no_axe_violations(page)
