"""An independent LTI 1.3 platform (lti1p3platform) for the tool's tests.

Functional tests route the tool's HTTP to it in-process; browser tests serve it on a real
127.0.0.1 port, where its /auth endpoint answers the browser like an LMS would.
"""
from __future__ import annotations

import io
from html import escape
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

import jwt
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
LINEITEM_PATH = "/api/lineitems/7?type_id=42"
LINEITEM = ISSUER + LINEITEM_PATH
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

    def __init__(self, tool_client, issuer: str = ISSUER, tool: str = TOOL):
        self.tool_client = tool_client
        self.issuer, self.tool = issuer, tool
        self.launch_url = tool + "/lti/launch"
        self.memberships_url = issuer + "/api/memberships"
        self.auth_claims: dict[str, Any] = {}  # claims the HTTP /auth endpoint launches with
        self.old_pems: list[str] = []
        self.pem = generate_private_pem()
        self.registration = (Registration().set_iss(issuer).set_client_id(CLIENT_ID)
                             .set_deployment_id(DEPLOYMENT).set_launch_url(self.launch_url)
                             .set_deeplink_launch_url(self.launch_url)
                             .set_oidc_login_url(tool + "/lti/login"))
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
        self.openid_issuer = issuer
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
            launch.set_ags(self.issuer + "/api/lineitems", self.issuer + LINEITEM_PATH)
        if nrps:
            launch.set_nrps(self.memberships_url)
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
            response = jsonify({"id": platform.memberships_url, "context": {"id": "course-1"}, "members": chunk})
            if page * size < len(platform.members):
                response.headers["Link"] = f'<{platform.memberships_url}?page={page + 1}>; rel="next"'
            return response

        @app.get("/.well-known/openid-configuration")
        def openid():
            return jsonify({
                "issuer": platform.openid_issuer,
                "authorization_endpoint": platform.issuer + "/auth",
                "token_endpoint": platform.issuer + "/token",
                "jwks_uri": platform.issuer + "/jwks",
                "registration_endpoint": platform.issuer + "/register",
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

        @app.get("/auth")
        def auth():
            """The OIDC authorization endpoint a browser reaches: an auto-posting launch form."""
            data = platform.authorize(request.url, **platform.auth_claims)
            fields = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">'
                             for k, v in data.items() if k != "launch_url")
            return (f'<!doctype html><title>Launching</title><form id="launch" method="post" '
                    f'action="{escape(data["launch_url"])}">{fields}</form>'
                    '<script>document.getElementById("launch").submit();</script>')

        return app

class Refuse(requests.adapters.BaseAdapter):
    """Any call to a host that is not the fake platform is a test failure."""

    def send(self, prepared, **kwargs):
        raise AssertionError(f"unexpected outbound request to {prepared.url}")

    def close(self):
        pass


def register_with_tool(fake: FakePlatform) -> None:
    """Register the platform (its issuer, /auth, /token, /jwks) and its deployment with the tool."""
    from kapcourse.services.lti_registry import PlatformFields, add_platform

    add_platform(PlatformFields(issuer=fake.issuer, client_id=CLIENT_ID,
                                auth_login_url=fake.issuer + "/auth", token_url=fake.issuer + "/token",
                                jwks_url=fake.issuer + "/jwks", name="Fake LMS"), [DEPLOYMENT])
