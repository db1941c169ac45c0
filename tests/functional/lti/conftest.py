"""An independent LTI 1.3 platform (lti1p3platform) wired to the tool in-process.

Every HTTP call the tool makes (platform JWKS, token, scores, roster, OpenID configuration)
goes through a requests adapter to WSGI apps in this process; nothing leaves the machine.
"""
from __future__ import annotations

import io
import random
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
import requests
from flask import Flask, jsonify, request
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

from kapcourse.lti import claims as c
from kapcourse.lti.keys import generate_private_pem, public_jwk

ISSUER = "https://platform.test"
CLIENT_ID = "kapcourse-client"
DEPLOYMENT = "deployment-1"
TOOL = "http://kapcourse.test"
LAUNCH_URL = TOOL + "/lti/launch"
LINEITEM = ISSUER + "/api/lineitems/7?type_id=42"
MEMBERSHIPS = ISSUER + "/api/memberships"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class WSGIAdapter(requests.adapters.BaseAdapter):
    """Answer requests from a WSGI app; `fault(request)` may raise to simulate a network error."""

    def __init__(self, app, fault: Callable[[Any], None] | None = None):
        super().__init__()
        self.client = app.test_client()
        self.fault = fault
        self.lose_response: Callable[[Any], bool] = lambda prepared: False
        self.calls: list[tuple[str, str]] = []

    def send(self, prepared, **kwargs):
        self.calls.append((prepared.method, prepared.url))
        if self.fault:
            self.fault(prepared)
        parts = urlsplit(prepared.url)
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        answer = self.client.open(parts.path, method=prepared.method, query_string=parts.query,
                                  data=body, headers=dict(prepared.headers),
                                  base_url=f"{parts.scheme}://{parts.netloc}")
        if self.lose_response(prepared):  # the platform acted, but the answer never arrives
            raise requests.ReadTimeout("simulated timeout after processing")
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response.raw = io.BytesIO(answer.get_data())
        response.url = prepared.url
        response.request = prepared
        return response

    def close(self):
        pass


class PlatformConf(LTI1P3PlatformConfAbstract):
    """lti1p3platform's platform configuration holding one registration."""

    def init_platform_config(self, **kwargs):
        self.reg = kwargs["registration"]

    def get_registration_by_params(self, **kwargs):
        return self.reg


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return url


class AuthRequest(Request):
    def build_metadata(self, request):
        return {"method": "GET", "form_data": {}, "get_data": request, "headers": {},
                "content_type": None, "path": "/auth", "json": None}


class Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


class FakePlatform:
    """The platform side: signs launches with lti1p3platform and serves its services."""

    def __init__(self, tool_client):
        self.tool_client = tool_client
        self.old_pems: list[str] = []
        self.pem = generate_private_pem()
        self.registration = (Registration().set_iss(ISSUER).set_client_id(CLIENT_ID)
                             .set_deployment_id(DEPLOYMENT).set_launch_url(LAUNCH_URL)
                             .set_deeplink_launch_url(LAUNCH_URL)
                             .set_oidc_login_url(TOOL + "/lti/login"))
        self._set_keys()
        self.conf = PlatformConf(registration=self.registration)
        self.conf.get_registration()
        self.scores: list[dict[str, Any]] = []
        self.score_urls: list[str] = []
        self.jtis: list[str] = []
        self.assertion_audiences: list[str] = []
        self.members: list[dict[str, Any]] = []
        self.page_size = 2
        self.registration_posts: list[tuple[dict, str]] = []
        self.openid_issuer = ISSUER
        self.score_fault: Callable[[], int | None] = lambda: None
        self.jwks_fetches = 0
        self.app = self._wsgi()

    def _set_keys(self):
        public = public_jwk(self.pem)
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_private_key(self.pem.encode(), None)
        pub_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        self.registration.set_platform_private_key(self.pem).set_platform_public_key(pub_pem)
        self.kid = self.registration.get_kid()
        assert public["n"]  # a real RSA key

    def rotate(self):
        """The platform replaces its signing key and publishes both for a while."""
        self.old_pems.append(self.pem)
        self.pem = generate_private_pem()
        self._set_keys()

    def jwks(self) -> dict[str, Any]:
        keys = [Registration.get_jwk(self.registration.get_platform_public_key())]
        from cryptography.hazmat.primitives import serialization

        for pem in self.old_pems:
            key = serialization.load_pem_private_key(pem.encode(), None)
            keys.append(Registration.get_jwk(key.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo).decode()))
        return {"keys": keys}

    # --- the browser side of a launch ------------------------------------------------------
    def login_url(self, hint: str = "msg-hint", **extra) -> str:
        login = Login(None, self.conf)
        login.set_lti_message_hint(hint=hint)
        url = login.prepare_preflight_url(extra.pop("user_id", "user-1"))
        if extra:
            from urllib.parse import urlencode

            url += "&" + urlencode(extra)
        return url

    def authorize(self, auth_redirect: str, *, sub="user-1", roles=(LEARNER,), name="Lee Learner",
                  email="lee@example.org", resource_link="rl-1", custom=None, ags=True,
                  nrps=True, deep_link: dict | None = None) -> dict[str, Any]:
        """What the platform's /auth endpoint does: returns {id_token, state, launch_url}."""
        query = dict(parse_qsl(urlsplit(auth_redirect).query))
        launch = Launch(AuthRequest(query), self.conf)
        launch.set_user_data(sub, list(roles), name, email)
        if resource_link:
            launch.set_resource_link_claim(resource_link, title="Alpha quiz")
        launch.set_launch_context_claim("course-1", context_title="Clinical course")
        launch.set_custom_parameters_claim(custom or {"kapcourse_module": "alpha-module"})
        if ags:
            launch.set_ags(ISSUER + "/api/lineitems", LINEITEM)
        if nrps:
            launch.set_nrps(MEMBERSHIPS)
        if deep_link is not None:
            launch.set_dl(**deep_link)
        return launch.lti_launch()

    def sign(self, claims: dict[str, Any], headers: dict | None = None, pem: str | None = None,
             algorithm: str = "RS256") -> str:
        """Sign arbitrary claims (for the rejection tests) with the platform key by default."""
        head = {"kid": self.kid, **(headers or {})}
        return jwt.encode(claims, pem or self.pem, algorithm=algorithm, headers=head)

    # --- the platform's HTTP services --------------------------------------------------------
    def _wsgi(self) -> Flask:
        app = Flask("fake_platform")
        platform = self

        @app.get("/jwks")
        def jwks():
            platform.jwks_fetches += 1
            return jsonify(platform.jwks())

        @app.post("/token")
        def token():
            tool_jwks = platform.tool_client.get("/lti/jwks").get_json()
            platform.registration.set_tool_key_set(tool_jwks)
            form = request.form.to_dict()
            claims = jwt.decode(form["client_assertion"], options={"verify_signature": False})
            platform.jtis.append(claims["jti"])
            platform.assertion_audiences.append(claims["aud"])
            return jsonify(platform.conf.get_access_token(form))

        @app.post("/api/lineitems/<item>/scores")
        def scores(item):
            scope = [c.SCOPE_SCORE]
            auth = request.headers.get("Authorization", "").split()
            if len(auth) != 2 or not platform.conf.validate_token(auth[1], scope):
                return "unauthorised", 401
            status = platform.score_fault()
            if status:
                return "unavailable", status
            platform.scores.append(request.get_json())
            platform.score_urls.append(request.full_path)
            return "", 204

        @app.get("/api/memberships")
        def memberships():
            auth = request.headers.get("Authorization", "").split()
            if len(auth) != 2 or not platform.conf.validate_token(auth[1], [c.SCOPE_NRPS]):
                return "unauthorised", 401
            page = int(request.args.get("page", 1))
            size = platform.page_size
            chunk = platform.members[(page - 1) * size: page * size]
            response = jsonify({"id": MEMBERSHIPS, "context": {"id": "course-1"}, "members": chunk})
            if page * size < len(platform.members):
                response.headers["Link"] = f'<{MEMBERSHIPS}?page={page + 1}>; rel="next"'
            return response

        @app.get("/.well-known/openid-configuration")
        def openid():
            return jsonify({
                "issuer": platform.openid_issuer,
                "authorization_endpoint": ISSUER + "/auth",
                "token_endpoint": ISSUER + "/token",
                "jwks_uri": ISSUER + "/jwks",
                "registration_endpoint": ISSUER + "/register",
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": "fakelms", "version": "1"},
            })

        @app.post("/register")
        def register():
            platform.registration_posts.append(
                (request.get_json(), request.headers.get("Authorization", "")))
            return jsonify({"client_id": "dyn-client-9", **request.get_json(),
                            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                                "deployment_id": "dyn-dep-1"}})

        return app


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "LTI_RETRY_BASE_SECONDS": 0}


@pytest.fixture
def platform(app, client):
    """The fake platform, registered with the tool, with the tool's HTTP routed to it."""
    from kapcourse.services.lti_registry import PlatformFields, add_platform

    fake = FakePlatform(client)
    fake.adapter = WSGIAdapter(fake.app)

    def session_factory():
        session = requests.Session()
        session.mount("http://", _Refuse())
        session.mount("https://", _Refuse())
        session.mount("https://platform.test", fake.adapter)  # longest prefix wins
        return session

    app.config["LTI_HTTP_SESSION_FACTORY"] = session_factory
    add_platform(PlatformFields(issuer=ISSUER, client_id=CLIENT_ID,
                                auth_login_url=ISSUER + "/auth", token_url=ISSUER + "/token",
                                jwks_url=ISSUER + "/jwks", name="Fake LMS"), [DEPLOYMENT])
    return fake


class _Refuse(requests.adapters.BaseAdapter):
    """Any call to a host that is not the fake platform is a test failure."""

    def send(self, prepared, **kwargs):
        raise AssertionError(f"unexpected outbound request to {prepared.url}")

    def close(self):
        pass


@pytest.fixture
def launch_as(client, platform):
    """launch_as(**claims) runs login -> platform auth -> launch; returns the launch response."""

    def run(**kwargs):
        login = client.get(platform.login_url(user_id=kwargs.get("sub", "user-1")))
        assert login.status_code == 302, login.get_data(as_text=True)
        data = platform.authorize(login.headers["Location"], **kwargs)
        assert data["launch_url"] == LAUNCH_URL
        return client.post("/lti/launch", data={"id_token": data["id_token"], "state": data["state"]})

    return run


@pytest.fixture
def rng():
    return random.Random(1234)
