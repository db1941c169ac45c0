"""CSRF on every form, security headers, friendly errors."""
from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("path, data", [
    ("/register", {"email": "a@example.org", "password": "a long password", "confirm": "a long password", "full_name": "A"}),
    ("/login", {"email": "a@example.org", "password": "a long password"}),
    ("/logout", {}),
    ("/modules/alpha-module/enrol", {}),
    ("/bundles/alpha-beta-bundle/enrol", {}),
    ("/modules/alpha-module/lessons/first-lesson/complete", {}),
    ("/me/profile", {"full_name": "X"}),
])
def test_posts_without_csrf_token_are_rejected(client, publish_fixture_content, make_user, path, data):
    publish_fixture_content()
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


def test_login_with_csrf_token_works(client, make_user):
    import re

    user = make_user()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token})
    assert response.status_code == 302


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://kapcourse.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_flags_in_production_config(db_url, tmp_path, monkeypatch):
    from kapcourse import create_app
    from kapcourse.extensions import db

    monkeypatch.setenv("KAPCOURSE_ENV", "production")
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "i")})
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/login", base_url="https://kapcourse.test")
    cookie = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session=")]
    assert cookie, "a session cookie is set for the CSRF token"
    assert all(flag in cookie[0] for flag in ("Secure", "HttpOnly", "SameSite=None", "Partitioned"))


def test_frame_ancestors_configurable(db_url, tmp_path):
    from kapcourse import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "i"),
                      "FRAME_ANCESTORS": "'self' https://lms.example.edu"})
    assert "frame-ancestors 'self' https://lms.example.edu" in app.test_client().get("/healthz").headers["Content-Security-Policy"]


def test_unknown_page_is_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
