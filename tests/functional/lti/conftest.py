"""Fixtures driving the independent LTI 1.3 platform (tests/lti_platform.py) in-process.

Every HTTP call the tool makes (platform JWKS, token, scores, roster, OpenID configuration)
goes through a requests adapter to WSGI apps in this process; nothing leaves the machine.
"""
from __future__ import annotations

import random

import pytest
import requests

from tests.lti_platform import (CLIENT_ID, DEPLOYMENT, INSTRUCTOR, ISSUER, LAUNCH_URL,  # noqa: F401
                                LEARNER, LINEITEM, MEMBERSHIPS, TOOL, FakePlatform, Refuse,
                                WSGIAdapter, register_with_tool)


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "LTI_RETRY_BASE_SECONDS": 0}


@pytest.fixture
def platform(app, client):
    """The fake platform, registered with the tool, with the tool's HTTP routed to it."""
    fake = FakePlatform(client)
    fake.adapter = WSGIAdapter(fake.app)

    def session_factory():
        session = requests.Session()
        session.mount("http://", Refuse())
        session.mount("https://", Refuse())
        session.mount("https://platform.test", fake.adapter)  # longest prefix wins
        return session

    app.config["LTI_HTTP_SESSION_FACTORY"] = session_factory
    register_with_tool(fake)
    return fake


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
