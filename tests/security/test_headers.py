"""Security headers on every kind of response, HSTS only over HTTPS, and cookie flags per environment."""
from __future__ import annotations

import pytest
from flask import url_for

from kapcourse import create_app

from .conftest import build_world

EXPECTED = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}


def _assert_headers(response, where: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{name} on {where}"
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'none'", where
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"], where
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"], where
    assert "frame-ancestors" in csp, where


def _get_paths(app, world) -> list[str]:
    values = world.url_values()
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods and not rule.endpoint.startswith("lti."):
                paths.append(url_for(rule.endpoint, **{n: values[n] for n in rule.arguments}))
    return paths + ["/no-such-page", "/lti/jwks"]


def test_every_get_route_sends_the_security_headers(app, client, login, make_user, publish_fixture_content):
    world = build_world(make_user, publish_fixture_content)
    login(client, world.learner)
    paths = _get_paths(app, world)
    assert len(paths) > 20
    for path in paths:
        response = client.get(path)
        _assert_headers(response, path)
        assert "Strict-Transport-Security" not in response.headers, f"HSTS over plain HTTP on {path}"


def test_hsts_and_headers_over_https(client):
    for path in ("/", "/login", "/no-such-page"):
        response = client.get(path, base_url="https://kapcourse.test")
        _assert_headers(response, path)
        hsts = response.headers["Strict-Transport-Security"]
        assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 15552000


@pytest.mark.parametrize("env, required, forbidden", [
    ("development", ["HttpOnly", "SameSite=Lax"], ["Secure"]),
    ("production", ["HttpOnly", "Secure", "SameSite=None", "Partitioned"], []),
])
def test_session_cookie_flags(db_url, tmp_path, monkeypatch, env, required, forbidden):
    monkeypatch.setenv("KAPCOURSE_ENV", env)
    application = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "x",
                              "INSTANCE_PATH": str(tmp_path / "i")})
    header = application.test_client().get("/login", base_url="https://kapcourse.test").headers.get("Set-Cookie", "")
    assert header.startswith("session="), header
    for flag in required:
        assert flag in header, f"{flag} missing in {env}: {header}"
    for flag in forbidden:
        assert flag not in header, f"{flag} set in {env}: {header}"
