"""Key rotation (platform and tool) and the deep-linking round trip checked by the platform."""
from datetime import timedelta

import jwt
from kapcourse.extensions import db
from kapcourse.lti import claims as c
from kapcourse.lti.keys import key_from_jwk
from kapcourse.models.lti import LtiPlatformKeySet

from conftest import CLIENT_ID, DEPLOYMENT, INSTRUCTOR, ISSUER, LAUNCH_URL


def test_platform_key_rotation_does_not_break_launches(client, platform, launch_as):
    assert launch_as(sub="a").status_code == 302
    platform.rotate()
    # The refetch cooldown has passed since the first fetch (time moves on in real life).
    cache = db.session.get(LtiPlatformKeySet, 1)
    cache.last_refetch_at -= timedelta(minutes=5)
    db.session.commit()
    assert launch_as(sub="b").status_code == 302
    assert platform.jwks_fetches == 2


def test_tool_jwks_and_rotation_with_overlap(client, runner, platform):
    before = client.get("/lti/jwks").get_json()["keys"]
    assert len(before) == 2
    assert all(k["alg"] == "RS256" and k["use"] == "sig" and k["kid"] for k in before)
    assert all("d" not in k and "p" not in k for k in before)  # public halves only
    current, upcoming = before[0]["kid"], before[1]["kid"]
    result = runner.invoke(args=["lti", "rotate-key"])
    assert result.exit_code == 0 and upcoming in result.output
    after = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert after[0] == upcoming and current in after and len(after) == 3


def _deep_link_launch(client, platform, data):
    login = client.get(platform.login_url(user_id="teacher"))
    return_url = ISSUER + "/deep-link-return?course=1"
    launch = platform.authorize(login.headers["Location"], sub="teacher", roles=(INSTRUCTOR,),
                                resource_link=None, ags=False, nrps=False,
                                deep_link={"deep_link_return_url": return_url,
                                           "accept_types": {"ltiResourceLink"},
                                           "extra_data": data})
    return client.post("/lti/launch", data={"id_token": launch["id_token"],
                                            "state": launch["state"]}), return_url


def test_deep_linking_round_trip(client, platform, publish_fixture_content, runner):
    publish_fixture_content()
    response, return_url = _deep_link_launch(client, platform, {"opaque": "xyz"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/lti/deep-link")
    page = client.get("/lti/deep-link")
    assert b"quiz:alpha-module" in page.data and b"vignette:alpha-module:alpha-case" in page.data
    posted = client.post("/lti/deep-link", data={"items": ["quiz:alpha-module", "module:alpha-module"]})
    html = posted.get_data(as_text=True)
    assert posted.status_code == 200 and f'action="{return_url}"' in html
    assert "lti-autopost.js" in html and "Return to the course" in html
    assert "https://platform.test" in posted.headers["Content-Security-Policy"].split("form-action")[1]
    token = html.split('name="JWT" value="')[1].split('"')[0]
    runner.invoke(args=["lti", "rotate-key"])  # the signing key stays published as previous
    platform.registration.set_tool_key_set(client.get("/lti/jwks").get_json())
    items = platform.conf.validate_deeplinking_resp({"JWT": token})  # the platform's own checks
    assert [i["type"] for i in items] == ["ltiResourceLink", "ltiResourceLink"]
    # Our own checks, stricter than the platform's.
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in client.get("/lti/jwks").get_json()["keys"] if k["kid"] == kid)
    claims = jwt.decode(token, key_from_jwk(jwk), algorithms=["RS256"], audience=ISSUER)
    assert claims["iss"] == CLIENT_ID and claims[c.DEPLOYMENT_ID] == DEPLOYMENT
    assert claims[c.MESSAGE_TYPE] == "LtiDeepLinkingResponse" and claims[c.VERSION] == "1.3.0"
    assert claims[c.DL_DATA] == {"opaque": "xyz"} and claims["exp"] - claims["iat"] <= 600
    quiz = next(i for i in items if "lineItem" in i)
    assert quiz["url"] == LAUNCH_URL and quiz["custom"]["kapcourse_module"] == "alpha-module"
    assert quiz["lineItem"] == {"scoreMaximum": 100.0, "label": quiz["title"],
                                "resourceId": "alpha-module:quiz", "tag": "kapcourse-quiz"}
    assert client.get("/lti/deep-link").status_code == 404  # one response per request


def test_learner_cannot_deep_link(client, platform, publish_fixture_content):
    login = client.get(platform.login_url(user_id="pupil"))
    launch = platform.authorize(login.headers["Location"], sub="pupil", resource_link=None,
                                ags=False, nrps=False,
                                deep_link={"deep_link_return_url": ISSUER + "/dl"})
    response = client.post("/lti/launch", data={"id_token": launch["id_token"],
                                                "state": launch["state"]})
    assert response.status_code == 403


def test_deep_link_choices_are_not_each_required(client, platform, publish_fixture_content):
    # `required` on every checkbox would make the browser demand that all of them be ticked.
    publish_fixture_content()
    _deep_link_launch(client, platform, {})
    html = client.get("/lti/deep-link").get_data(as_text=True)
    assert 'type="checkbox"' in html and "required" not in html
    assert client.post("/lti/deep-link", data={}).status_code == 422  # still checked on the server
