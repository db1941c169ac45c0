"""A learner launch end to end against lti1p3platform, and the login initiation's rules."""
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import select

from kapcourse.extensions import db
from kapcourse.models import User
from kapcourse.models.lti import LtiIdentity, LtiLaunch

from conftest import CLIENT_ID, DEPLOYMENT, ISSUER, LAUNCH_URL, LINEITEM


def test_login_redirects_to_platform_with_oidc_parameters(client, platform):
    response = client.get(platform.login_url(hint="opaque hint/=+", user_id="u 42"))
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == ISSUER + "/auth"
    query = dict(parse_qsl(target.query))
    assert query["scope"] == "openid" and query["response_type"] == "id_token"
    assert query["response_mode"] == "form_post" and query["prompt"] == "none"
    assert query["client_id"] == CLIENT_ID and query["redirect_uri"] == LAUNCH_URL
    assert query["login_hint"] == "u 42" and query["lti_message_hint"] == "opaque hint/=+"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert "kapcourse_lti_state" in response.headers["Set-Cookie"]


def test_login_by_post_and_canvas_deployment_spelling(client, platform):
    form = dict(parse_qsl(urlsplit(platform.login_url()).query))
    form["deployment_id"] = form.pop("lti_deployment_id")
    response = client.post("/lti/login", data=form)
    assert response.status_code == 302 and response.headers["Location"].startswith(ISSUER)


def test_login_refuses_unknown_issuer_and_foreign_target(client, platform):
    url = platform.login_url()
    unknown = client.get(url.replace("platform.test", "evil.test", 1).replace(
        "iss=https%3A%2F%2Fplatform.test", "iss=https%3A%2F%2Fevil.test"))
    assert unknown.status_code == 400 and b"iss" in unknown.data
    foreign = client.get(url.replace("kapcourse.test%2Flti%2Flaunch", "evil.test%2Fsteal"))
    assert foreign.status_code == 400 and b"target_link_uri" in foreign.data


def test_learner_launch_end_to_end(client, platform, launch_as, publish_fixture_content):
    publish_fixture_content()
    response = launch_as(sub="learner-7", name="Lee Learner", email="lee@example.org")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/modules/alpha-module")
    identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.sub == "learner-7"))
    assert identity.deployment_id == DEPLOYMENT
    user = db.session.get(User, identity.user_id)
    assert user.full_name == "Lee Learner" and user.email == "lee@example.org"
    assert user.role.value == "learner"
    launch = db.session.scalar(select(LtiLaunch).where(LtiLaunch.identity_id == identity.id))
    assert launch.role == "learner" and launch.module_slug == "alpha-module"
    assert launch.lineitem_url == LINEITEM and launch.resource_link_id == "rl-1"
    page = client.get("/modules/alpha-module")
    assert page.status_code == 200
    assert "https://platform.test" in page.headers["Content-Security-Policy"]


def test_same_sub_on_two_deployments_is_two_people(client, platform, launch_as):
    from kapcourse.services.lti_registry import add_deployment, find_registration

    add_deployment(find_registration(ISSUER, CLIENT_ID), "deployment-2")
    assert launch_as(sub="same").status_code == 302
    platform.registration.set_deployment_id("deployment-2")
    assert launch_as(sub="same").status_code == 302
    users = db.session.scalars(select(LtiIdentity.user_id).where(LtiIdentity.sub == "same")).all()
    assert len(set(users)) == 2


def test_instructor_role_is_context_author_not_global(client, platform, launch_as):
    from conftest import INSTRUCTOR

    assert launch_as(sub="teacher", roles=(INSTRUCTOR,),
                     custom={"kapcourse_module": "alpha-module", "role": "admin"}).status_code == 302
    identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.sub == "teacher"))
    assert db.session.get(User, identity.user_id).role.value == "learner"
    assert not identity.platform_admin
    launch = db.session.scalar(select(LtiLaunch).where(LtiLaunch.identity_id == identity.id))
    assert launch.role == "author"


def test_email_of_an_existing_account_is_not_taken_over(client, platform, launch_as, make_user):
    owner = make_user(email="owner@example.org")
    assert launch_as(sub="intruder", email="owner@example.org").status_code == 302
    identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.sub == "intruder"))
    assert identity.user_id != owner.id
    assert db.session.get(User, identity.user_id).email is None
