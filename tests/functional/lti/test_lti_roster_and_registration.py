"""NRPS roster paging, dynamic registration against a fake OpenID configuration, admin page."""
from urllib.parse import quote

from sqlalchemy import select

from kapcourse.extensions import db
from kapcourse.models import Role
from kapcourse.models.lti import LtiRegistration

from conftest import INSTRUCTOR, ISSUER, LEARNER, TOOL


def _members(count):
    return [{"user_id": f"m{n}", "name": f"Member {n:02d}", "email": f"m{n}@example.org",
             "status": "Active", "roles": [LEARNER]} for n in range(count)]


def test_roster_follows_every_next_page(client, platform, launch_as):
    platform.members = _members(5)
    platform.page_size = 2
    assert launch_as(sub="teacher", roles=(INSTRUCTOR,)).status_code == 302
    page = client.get("/lti/roster")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert all(f"Member {n:02d}" in body for n in range(5))
    pages = [url for _, url in platform.adapter.calls if "/api/memberships" in url]
    assert len(pages) == 3 and pages[-1].endswith("page=3")
    assert 'href="/lti/roster">Course roster</a>' in client.get("/me").get_data(as_text=True)


def test_roster_is_for_instructors_only(client, platform, launch_as):
    assert launch_as(sub="pupil", roles=(LEARNER,)).status_code == 302
    assert client.get("/lti/roster").status_code == 404
    assert "Course roster" not in client.get("/me").get_data(as_text=True)


def _register_url(client, config_url, invite=None):
    from kapcourse.views.lti import invite_url

    with client.application.test_request_context():
        link = invite or invite_url()
    return f"{link}&openid_configuration={quote(config_url, safe='')}&registration_token=once-123"


def test_dynamic_registration(client, platform):
    response = client.get(_register_url(client, ISSUER + "/.well-known/openid-configuration"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:400]
    assert "data-lti-close" in body and "lti-close.js" in body
    assert "frame-ancestors 'self' https://platform.test" in response.headers["Content-Security-Policy"]
    metadata, auth = platform.registration_posts[0]
    assert auth == "Bearer once-123"
    assert metadata["initiate_login_uri"] == TOOL + "/lti/login"
    assert metadata["redirect_uris"] == [TOOL + "/lti/launch"]
    assert metadata["jwks_uri"] == TOOL + "/lti/jwks"
    assert metadata["token_endpoint_auth_method"] == "private_key_jwt"
    tool_config = metadata["https://purl.imsglobal.org/spec/lti-tool-configuration"]
    assert {m["type"] for m in tool_config["messages"]} == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
    stored = db.session.scalar(select(LtiRegistration).where(LtiRegistration.client_id == "dyn-client-9"))
    assert stored.issuer == ISSUER and stored.token_url == ISSUER + "/token"
    assert stored.deployment_ids == frozenset({"dyn-dep-1"})


def test_dynamic_registration_refuses_mismatched_issuer(client, platform):
    platform.openid_issuer = "https://impostor.test"
    response = client.get(_register_url(client, ISSUER + "/.well-known/openid-configuration"))
    assert response.status_code == 400 and b"issuer" in response.data
    assert not platform.registration_posts


def test_dynamic_registration_needs_an_invite(client, platform):
    url = f"/lti/register?invite=forged&openid_configuration={quote(ISSUER + '/x', safe='')}"
    assert client.get(url).status_code == 403


def test_admin_registers_a_platform_by_form(client, login, make_user):
    admin = make_user(email="admin@example.org", role=Role.ADMIN)
    login(client, admin)
    page = client.get("/lti/admin/registrations")
    assert page.status_code == 200 and b"/lti/jwks" in page.data
    form = {"name": "Moodle", "issuer": "https://moodle.example.edu", "client_id": "abc",
            "auth_login_url": "https://moodle.example.edu/mod/lti/auth.php",
            "token_url": "https://moodle.example.edu/mod/lti/token.php",
            "jwks_url": "https://moodle.example.edu/mod/lti/certs.php",
            "token_audience": "", "deployment_ids": "1\n2\n"}
    assert client.post("/lti/admin/registrations", data=form).status_code == 302
    again = client.post("/lti/admin/registrations", data=form)
    assert again.status_code == 422 and b"already registered" in again.data


def test_admin_page_is_for_admins(client, login, make_user):
    login(client, make_user())
    assert client.get("/lti/admin/registrations").status_code == 403


def test_cli_add_platform(runner, app):
    result = runner.invoke(args=["lti", "add-platform", "--issuer", "https://canvas.instructure.com",
                                 "--client-id", "100000000000123",
                                 "--auth-login-url", "https://sso.canvaslms.com/api/lti/authorize_redirect",
                                 "--token-url", "https://sso.canvaslms.com/login/oauth2/token",
                                 "--jwks-url", "https://sso.canvaslms.com/api/lti/security/jwks",
                                 "--deployment-id", "1:abc", "--deployment-id", "2:def"])
    assert result.exit_code == 0, result.output
    stored = db.session.scalar(select(LtiRegistration))
    assert stored.deployment_ids == frozenset({"1:abc", "2:def"})
