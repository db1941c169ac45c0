"""XSS: 50+ payloads in every author- and user-controlled field, rendered in headless Chromium.

The Content-Security-Policy header is stripped in the browser, so the test proves the escaping and the
Markdown sanitiser on their own (the CSP is checked separately in test_headers.py). A test fails when
any dialog opens or any payload sets window.__xss.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kapcourse import create_app
from kapcourse.extensions import db
from tests.conftest import FIXTURE_CONTENT, PASSWORD, LiveServer, _clear_caches

from .xss_payloads import PAYLOADS

pytestmark = pytest.mark.browser
ALL = "\n\n".join(PAYLOADS)


TEXT_KEYS = {"title", "stem", "text", "summary", "label", "feedback", "debrief", "content", "rationale"}


def _poison(node, rendered: str):
    """Append every payload to each shown text field, and their sanitised Markdown to each HTML field.

    The content validator already refuses some payloads (forbidden link schemes); the published payload
    is poisoned directly so that the sanitiser and the templates are tested on all of them.
    """
    if isinstance(node, list):
        return [_poison(item, rendered) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if isinstance(value, str) and (key == "html" or key.endswith("_html")):
            out[key] = value + rendered
        elif isinstance(value, str) and key in TEXT_KEYS:
            out[key] = value + " " + " ".join(PAYLOADS)
        else:
            out[key] = _poison(value, rendered)
    return out


def _poison_published_content() -> None:
    from sqlalchemy.orm.attributes import flag_modified

    from kapcourse.content.markdown import render
    from kapcourse.models import ModuleVersion

    rendered = render(ALL)
    for version in db.session.scalars(select(ModuleVersion)):
        version.payload = _poison(version.payload, rendered)
        flag_modified(version, "payload")
    db.session.commit()


@pytest.fixture
def poisoned(tmp_path):
    """A live server on the poisoned content, with a learner whose name and credentials are payloads."""
    from kapcourse.services import accounts, certificates, quiz, vignettes
    from kapcourse.services.publishing import publish_tree
    from tests.certificate_support import BASE_URL, complete_module, enrol

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'xss.db'}", "SECRET_KEY": "xss",
                      "CONTENT_ROOT": str(FIXTURE_CONTENT), "INSTANCE_PATH": str(tmp_path / "instance")})
    _clear_caches()
    with app.app_context():
        db.create_all()
        assert publish_tree(FIXTURE_CONTENT).tree.ok
        _poison_published_content()
        user = accounts.register("xss@example.org", PASSWORD, accounts.Profile(full_name=ALL[:4000], credentials=ALL))
        alpha = enrol(user, "alpha-module")
        attempt = quiz.start_attempt(user.id, "alpha-module")
        run = vignettes.start_run(user.id, alpha.id, "alpha-case")
        cert = certificates.request_module_certificate(user, complete_module(user, "beta-module"), BASE_URL).certificate
        ids = {"attempt": attempt.id, "run": run.id, "code": cert.code}
    server = LiveServer(app).start()
    yield app, server, ids
    server.stop()
    with app.app_context():
        db.engine.dispose()
    _clear_caches()


def _watch(page, fired: list[str]) -> None:
    page.on("dialog", lambda dialog: (fired.append(f"dialog {dialog.message!r} on {page.url}"), dialog.dismiss()))

    def strip_csp(route):
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"}
        route.fulfill(response=response, headers=headers)

    page.route("**/*", strip_csp)


def _visit(page, url: str, fired: list[str]) -> str:
    page.goto(url)
    page.wait_for_timeout(300)  # let onload/onerror/autofocus handlers fire
    if page.evaluate("() => window.__xss === 1"):
        fired.append(f"window.__xss set on {url}")
    return page.content()


def test_no_payload_runs_anywhere(poisoned, page):
    app, server, ids = poisoned
    fired: list[str] = []
    _watch(page, fired)
    page.goto(server.url + "/login")
    page.fill("input[name=email]", "xss@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    # The session cookie must be set before the protected pages. (The CSP-stripping route follows
    # the redirect itself, so the address stays /login while the dashboard is shown.)
    page.wait_for_function("() => document.title.startsWith('My learning')")
    urls = ["/modules/alpha-module/lessons/first-lesson", "/modules/alpha-module", "/me", "/me/profile",
            f"/quiz/attempts/{ids['attempt']}", f"/quiz/attempts/{ids['attempt']}/confirm",
            "/modules/alpha-module/vignettes/alpha-case", f"/verify/{ids['code']}"]
    pages = {url: _visit(page, server.url + url, fired) for url in urls}
    assert fired == []
    assert "window.__xss" in pages["/me/profile"]  # the name and credentials are shown, as text
    _play_vignette_in_browser(app, page, server, ids["run"], fired)
    _submit_quiz(app, ids["attempt"])
    _visit(page, server.url + f"/quiz/attempts/{ids['attempt']}/results", fired)
    assert fired == []


def _play_vignette_in_browser(app, page, server, run_id: int, fired: list[str]) -> None:
    """Visit every node the run passes through, including a choice's feedback and the end."""
    for _ in range(6):
        _visit(page, server.url + f"/vignette-runs/{run_id}", fired)
        buttons = page.locator("main form button[type=submit]")
        if buttons.count() == 0:
            break
        radios = page.locator("main input[type=radio]")
        if radios.count():
            radios.first.check()
        buttons.last.click(timeout=15000)
        page.wait_for_load_state()


def _submit_quiz(app, attempt_id: int) -> None:
    from kapcourse.models import QuizAttempt
    from kapcourse.services import quiz

    with app.app_context():
        quiz.submit_attempt(db.session.scalar(select(QuizAttempt).where(QuizAttempt.id == attempt_id)), {})
