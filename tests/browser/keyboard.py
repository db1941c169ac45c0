"""Keyboard-only helpers for browser tests: reach controls with Tab and press them."""
from __future__ import annotations

FOCUSED_TEXT = """() => { const e = document.activeElement;
  return (e.innerText || e.value || e.getAttribute('aria-label') || '') + ' ' +
         (e.labels && e.labels[0] ? e.labels[0].innerText : ''); }"""


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text or label contains name (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if name.lower() in page.evaluate(FOCUSED_TEXT).lower():
            return
    raise AssertionError(f"could not reach {name!r} with the Tab key")


def press(page, name: str) -> None:
    """Tab to a control by its text and press Enter, then wait for the page to settle."""
    tab_to(page, name)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the form, by keyboard only; lands on /me."""
    page.goto(base_url + "/login")
    tab_to(page, "Email")
    page.keyboard.type(email)
    tab_to(page, "Password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/me")


def log_in_and_enrol(page, base_url: str, email: str, password: str, slug: str) -> None:
    """Log in through the form and enrol in a module, by keyboard only."""
    log_in(page, base_url, email, password)
    page.goto(f"{base_url}/modules/{slug}")
    press(page, "Enrol in this module")
