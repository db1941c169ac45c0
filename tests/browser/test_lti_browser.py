"""In Chromium: LTI launches inside a cross-site LMS iframe, with the launch state kept in
LTI platform storage (postMessage) instead of cookies, the "open in a new window" fallback,
and axe on every LTI page a person sees.

The LMS is the lti1p3platform harness (tests/lti_platform.py) served on http://localhost:<port>;
the tool is the live server on http://127.0.0.1:<port>, so the iframe is cross-site. Over plain
HTTP the tool's state cookie is not Secure, so Chromium drops it inside the cross-site frame
(as Safari drops every third-party cookie); the session cookie uses the production policy
(SameSite=None; Secure; Partitioned), which Chromium accepts on loopback hosts.
"""
from __future__ import annotations

import json
import threading
from urllib.parse import parse_qsl, urlencode

import pytest
from flask import request
from werkzeug.serving import make_server

from kapcourse.models import Role
from kapcourse.services import accounts
from tests.conftest import PASSWORD, assert_no_axe_violations, free_port
from tests.lti_platform import CLIENT_ID, INSTRUCTOR, LEARNER, FakePlatform, register_with_tool

pytestmark = pytest.mark.browser
STORAGE_FRAME = "post_message_forwarding"

# The LMS course page: a platform-storage frame (as Canvas names it) and the tool's frame,
# added once the storage frame listens so no message can arrive before it.
COURSE_PAGE = """<!doctype html><html lang="en"><title>Course</title>
<script>
window.ltiMessages = [];
var storage = document.createElement("iframe");
storage.name = "{storage}"; storage.title = "storage"; storage.src = "/storage-frame";
storage.addEventListener("load", function () {{
  var tool = document.createElement("iframe");
  tool.name = "tool"; tool.title = "kapcourse"; tool.width = 1000; tool.height = 800;
  tool.src = {login_url};
  document.body.appendChild(tool);
}});
document.documentElement.appendChild(storage);
</script>"""

# LTI Client Side postMessages, platform storage: answer put_data/get_data to the sender,
# keeping values per sending origin as the spec requires.
STORAGE_PAGE = """<!doctype html><title>storage</title><script>
var store = {};
window.addEventListener("message", function (event) {
  var data = event.data || {};
  parent.ltiMessages.push({origin: event.origin, data: data});
  var key = event.origin + " " + data.key, answer = {message_id: data.message_id, key: data.key};
  if (data.subject === "lti.put_data") {
    store[key] = data.value;
    answer.subject = "lti.put_data.response"; answer.value = data.value;
  } else if (data.subject === "lti.get_data") {
    answer.subject = "lti.get_data.response";
    if (key in store) { answer.value = store[key]; }
    else { answer.error = {code: "bad_request", message: "no such key"}; }
  } else { return; }
  event.source.postMessage(answer, event.origin);
});
</script>"""


class LMS:
    """The platform served over HTTP with a course page that frames the tool."""

    def __init__(self, live_server):
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.tool = live_server.url
        self.platform = FakePlatform(live_server.app.test_client(), issuer=self.url, tool=self.tool)
        self.auth_requests: list[dict[str, str]] = []
        self.deep_link_returns: list[str] = []
        self._routes()
        self.server = make_server("127.0.0.1", self.port, self.platform.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _routes(self) -> None:
        app, lms = self.platform.app, self

        @app.before_request
        def _record_auth():
            if request.path == "/auth":
                lms.auth_requests.append(request.args.to_dict())

        @app.get("/course")
        def course():
            extra = {"lti_storage_target": STORAGE_FRAME} if request.args.get("storage") else {}
            login = lms.platform.login_url(user_id=lms.platform.auth_claims.get("sub", "user-1"), **extra)
            return COURSE_PAGE.format(storage=STORAGE_FRAME, login_url=json.dumps(login))

        @app.get("/storage-frame")
        def storage_frame():
            return STORAGE_PAGE

        @app.post("/deep-link-return")
        def deep_link_return():
            lms.deep_link_returns.append(request.form["JWT"])
            return "<!doctype html><title>Added</title><p>Content added</p>"

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def lms(live_server):
    """The LMS on localhost, registered with the tool; the tool uses production cookies."""
    app = live_server.app
    app.config.update(LTI_ALLOW_HTTP=True, SESSION_COOKIE_SAMESITE="None",
                      SESSION_COOKIE_SECURE=True, SESSION_COOKIE_PARTITIONED=True)
    server = LMS(live_server)
    with app.app_context():
        register_with_tool(server.platform)
    yield server
    server.stop()


def open_course(page, lms: LMS, *, storage: bool, **claims):
    """Open the LMS course page; returns the tool's frame."""
    lms.platform.auth_claims = claims
    page.goto(lms.url + "/course" + ("?storage=1" if storage else ""))
    page.wait_for_selector("iframe[name=tool]")
    return page.frame(name="tool")


def wait_for_path(frame, pattern: str) -> None:
    """Wait (generously: the machine is shared) for the frame to reach pattern, or say where it is."""
    try:
        frame.wait_for_url(pattern, timeout=30000)
    except Exception as error:  # noqa: BLE001 - re-raised with what the frame shows
        messages = getattr(frame, "page", frame).evaluate("window.ltiMessages || []")
        raise AssertionError(f"frame at {frame.url}: {frame.locator('body').inner_text()[:300]!r}; "
                             f"messages {messages}") from error


def launch_posts(page) -> list[dict[str, str]]:
    """Collects the form fields of every POST to the tool's /lti/launch."""
    posts: list[dict[str, str]] = []
    page.on("request", lambda r: posts.append(dict(parse_qsl(r.post_data or "")))
            if r.method == "POST" and r.url.endswith("/lti/launch") else None)
    return posts


def test_iframe_launch_keeps_state_in_platform_storage(lms, page):
    posts = launch_posts(page)
    frame = open_course(page, lms, storage=True)
    wait_for_path(frame, "**/modules/alpha-module")
    assert frame.get_by_role("heading", level=1).inner_text() == "Alpha Module"
    assert frame.get_by_role("button", name="Log out").count() == 1  # signed in inside the frame
    assert_no_axe_violations(frame)

    tool_origin = lms.tool
    messages = page.evaluate("window.ltiMessages")
    assert [m["data"]["subject"] for m in messages] == ["lti.put_data", "lti.get_data"]
    assert {m["origin"] for m in messages} == {tool_origin}
    put, get = (m["data"] for m in messages)
    state = lms.auth_requests[0]["state"]
    assert put["key"] == get["key"] == "kapcourse-state-" + state and put["value"] == state
    assert put["message_id"] != get["message_id"]
    # The platform's post lacked the state proof; the storage page re-posted it from storage.
    assert [p.get("lti_storage_state") for p in posts] == [None, state]
    assert posts[0]["state"] == posts[1]["state"] == state
    assert posts[0]["id_token"] == posts[1]["id_token"]
    assert not [c for c in page.context.cookies() if c["name"] == "kapcourse_lti_state"]


def test_cookies_blocked_page_continues_the_launch_in_a_new_window(lms, page):
    frame = open_course(page, lms, storage=False)
    frame.wait_for_selector("h1:has-text('Open the course link in a new window')", timeout=30000)
    assert_no_axe_violations(frame)
    with page.context.expect_page() as opened:
        frame.get_by_role("button", name="Open in a new window").click()
    window = opened.value
    wait_for_path(window, "**/modules/alpha-module")
    assert window.get_by_role("heading", level=1).inner_text() == "Alpha Module"
    assert window.get_by_role("button", name="Log out").count() == 1
    first, second = lms.auth_requests
    # The same course link: same user, same message (resource link), a fresh state and nonce.
    same = ("login_hint", "lti_message_hint", "client_id", "redirect_uri")
    assert {k: first[k] for k in same} == {k: second[k] for k in same}
    assert first["state"] != second["state"] and first["nonce"] != second["nonce"]
    window.close()


def test_launch_rejected_page(lms, page):
    query = urlencode({"iss": "https://unregistered.example", "login_hint": "u",
                       "target_link_uri": lms.tool + "/lti/launch"})
    response = page.goto(f"{lms.tool}/lti/login?{query}")
    assert response.status == 400
    assert "Failed check: iss" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


def test_instructor_deep_linking_and_roster(lms, page):
    return_url = lms.url + "/deep-link-return"
    frame = open_course(page, lms, storage=True, sub="teacher-1", roles=(INSTRUCTOR,),
                        name="Tess Teacher", email="tess@example.org", resource_link=None,
                        ags=False, nrps=False,
                        deep_link={"deep_link_return_url": return_url,
                                   "accept_types": {"ltiResourceLink"}})
    wait_for_path(frame, "**/lti/deep-link")
    assert_no_axe_violations(frame)
    frame.get_by_role("button", name="Add to course").click()  # nothing chosen: errors shown
    frame.wait_for_selector(".error-summary")
    assert_no_axe_violations(frame)
    frame.get_by_role("checkbox").first.check()
    frame.get_by_role("button", name="Add to course").click()
    wait_for_path(frame, return_url)
    assert len(lms.deep_link_returns) == 1

    lms.platform.members = [{"user_id": "m1", "name": "Mia Member", "email": "mia@example.org",
                             "status": "Active", "roles": [LEARNER]}]
    frame = open_course(page, lms, storage=True, sub="teacher-1", roles=(INSTRUCTOR,),
                        name="Tess Teacher", email="tess@example.org")
    wait_for_path(frame, "**/modules/alpha-module")
    frame.get_by_role("link", name="Course roster").click()
    frame.wait_for_url("**/lti/roster")
    assert "Mia Member" in frame.locator("table").inner_text()
    assert_no_axe_violations(frame)


def test_admin_registrations_page(lms, live_server, page):
    with live_server.app.app_context():
        accounts.register("admin@example.org", PASSWORD, accounts.Profile(full_name="Ada Admin"),
                          role=Role.ADMIN)
    page.goto(lms.tool + "/login")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me")
    page.goto(lms.tool + "/lti/admin/registrations")
    assert lms.url in page.locator("table").inner_text()
    assert_no_axe_violations(page)
    # The same issuer and client ID again: the form comes back with the error.
    for label, value in (("Issuer (platform ID)", lms.url), ("Client ID", CLIENT_ID),
                         ("Authentication request URL", lms.url + "/auth"),
                         ("Access token URL", lms.url + "/token"),
                         ("Public keyset URL", lms.url + "/jwks"), ("Deployment IDs", "d-2")):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Register platform").click()
    page.wait_for_selector(".error-summary")
    assert "already registered" in page.locator(".error-summary").inner_text()
    assert_no_axe_violations(page)
