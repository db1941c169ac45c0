"""Every launch check of the issue, each as its own named case: a clear page and a log line."""
import logging
import time
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest

from kapcourse.lti import claims as c
from kapcourse.lti.keys import generate_private_pem

from conftest import CLIENT_ID, DEPLOYMENT, ISSUER, LAUNCH_URL, LEARNER

OTHER_PEM = generate_private_pem()


def _login(client, platform) -> dict:
    response = client.get(platform.login_url())
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


def _claims(nonce: str) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "aud": CLIENT_ID, "azp": CLIENT_ID, "sub": "user-1", "iat": now,
            "exp": now + 300, "nonce": nonce, c.DEPLOYMENT_ID: DEPLOYMENT,
            c.MESSAGE_TYPE: c.RESOURCE_LINK_REQUEST, c.VERSION: "1.3.0", c.ROLES: [LEARNER],
            c.RESOURCE_LINK: {"id": "rl-1"}, c.TARGET_LINK_URI: LAUNCH_URL}


def _drop(key):
    return lambda claims: claims.pop(key)


def _set(key, value):
    return lambda claims: claims.__setitem__(key, value)


def _shift(**deltas):
    def change(claims):
        for key, delta in deltas.items():
            claims[key] += delta
    return change


CLAIM_CASES = [
    ("wrong_iss", _set("iss", "https://other.test"), "iss"),
    ("aud_without_our_client_id", _set("aud", "someone-else"), "aud"),
    ("aud_list_without_our_client_id", _set("aud", ["a", "b"]), "aud"),
    ("several_audiences_without_azp",
     lambda cl: (cl.__setitem__("aud", [CLIENT_ID, "other"]), cl.pop("azp")), "azp"),
    ("azp_not_ours", _set("azp", "other"), "azp"),
    ("exp_missing", _drop("exp"), "exp"),
    ("exp_in_the_past", _shift(exp=-400, iat=-400), "exp"),
    ("iat_missing", _drop("iat"), "iat"),
    ("iat_in_the_future", _shift(iat=600, exp=600), "iat"),
    ("lifetime_too_long", _shift(exp=86_400), "lifetime"),
    ("nonce_not_ours", _set("nonce", "forged-nonce"), "nonce"),
    ("unknown_deployment", _set(c.DEPLOYMENT_ID, "unknown"), "deployment_id"),
    ("version_not_1_3_0", _set(c.VERSION, "1.1"), "version"),
    ("unknown_message_type", _set(c.MESSAGE_TYPE, "LtiSubmissionReviewRequest"), "message_type"),
    ("roles_not_an_array", _set(c.ROLES, LEARNER), "roles"),
    ("resource_link_id_missing", _set(c.RESOURCE_LINK, {"title": "no id"}), "resource_link"),
    ("target_link_uri_differs", _set(c.TARGET_LINK_URI, "http://kapcourse.test/lti/launch?x=1"),
     "target_link_uri"),
]


def _assert_rejected(response, caplog, check):
    body = response.get_data(as_text=True)
    assert response.status_code == 400, body[:300]
    assert f"<code>{check}</code>" in body
    assert f"lti launch rejected: check={check} " in caplog.text


@pytest.mark.parametrize("change,check", [case[1:] for case in CLAIM_CASES],
                         ids=[case[0] for case in CLAIM_CASES])
def test_claim_rejections(client, platform, caplog, change, check):
    caplog.set_level(logging.WARNING, "kapcourse.lti")
    query = _login(client, platform)
    claims = _claims(query["nonce"])
    change(claims)
    response = client.post("/lti/launch", data={"id_token": platform.sign(claims),
                                                "state": query["state"]})
    _assert_rejected(response, caplog, check)


HEADER_CASES = [
    ("bad_signature", dict(pem=OTHER_PEM), "signature"),
    ("alg_hs256", dict(pem="a-shared-secret-of-enough-length-32b", algorithm="HS256"), "alg"),
    ("alg_none", dict(algorithm="none", pem=None), "alg"),
    ("kid_missing", dict(no_kid=True), "kid"),
    ("unknown_kid", dict(headers={"kid": "not-a-platform-key"}), "kid"),
]


@pytest.mark.parametrize("signing,check", [case[1:] for case in HEADER_CASES],
                         ids=[case[0] for case in HEADER_CASES])
def test_header_rejections(client, platform, caplog, signing, check):
    caplog.set_level(logging.WARNING, "kapcourse.lti")
    query = _login(client, platform)
    claims = _claims(query["nonce"])
    if signing.get("algorithm") == "none":
        token = jwt.encode(claims, None, algorithm="none", headers={"kid": platform.kid})
    elif signing.get("no_kid"):
        token = jwt.encode(claims, platform.pem, algorithm="RS256")
    else:
        token = platform.sign(claims, headers=signing.get("headers"), pem=signing.get("pem"),
                              algorithm=signing.get("algorithm", "RS256"))
    response = client.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    _assert_rejected(response, caplog, check)


def test_jku_and_x5u_are_ignored(client, platform, caplog):
    caplog.set_level(logging.WARNING, "kapcourse.lti")
    # The attacker's token names its own key set; only the registered JWKS URL may be used.
    query = _login(client, platform)
    token = platform.sign(_claims(query["nonce"]), pem=OTHER_PEM, headers={
        "kid": "attacker", "jku": "https://evil.test/jwks", "x5u": "https://evil.test/cert"})
    response = client.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    _assert_rejected(response, caplog, "kid")
    assert all("evil.test" not in url for _, url in platform.adapter.calls)


def test_unknown_kid_refetches_once_then_cools_down(client, platform, caplog):
    for _ in range(3):
        query = _login(client, platform)
        token = platform.sign(_claims(query["nonce"]), headers={"kid": "flood"})
        client.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    assert platform.jwks_fetches == 1


@pytest.mark.parametrize("state_case", ["missing", "not_ours", "already_used"])
def test_state_rejections(client, platform, caplog, state_case):
    caplog.set_level(logging.WARNING, "kapcourse.lti")
    query = _login(client, platform)
    token = platform.sign(_claims(query["nonce"]))
    if state_case == "already_used":  # a replayed launch POST
        first = client.post("/lti/launch", data={"id_token": token, "state": query["state"]})
        assert first.status_code == 302
    state = {"missing": "", "not_ours": "made-up-state"}.get(state_case, query["state"])
    response = client.post("/lti/launch", data={"id_token": token, "state": state})
    _assert_rejected(response, caplog, "state")


def test_nonce_reused_with_a_fresh_state(client, platform, caplog):
    caplog.set_level(logging.WARNING, "kapcourse.lti")
    first = _login(client, platform)
    token = platform.sign(_claims(first["nonce"]))
    assert client.post("/lti/launch", data={"id_token": token, "state": first["state"]}).status_code == 302
    second = _login(client, platform)
    response = client.post("/lti/launch", data={"id_token": token, "state": second["state"]})
    _assert_rejected(response, caplog, "nonce_reused")


def test_launch_is_post_only(client, platform):
    assert client.get("/lti/launch").status_code == 405
