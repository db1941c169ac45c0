"""Every route is inventoried, and every state-changing one rejects a request without a valid CSRF token."""
from __future__ import annotations

import pytest
from flask import url_for

from kapcourse import create_app
from kapcourse.extensions import csrf

from .conftest import CSRF_REJECTION, build_world, csrf_token, login_with_token

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Who may use each endpoint. A new route fails test_every_route_is_inventoried until it is added here.
ROUTES = {
    "catalogue.index": "public", "catalogue.module": "public", "catalogue.bundle": "public",
    "catalogue.enrol": "learner", "catalogue.enrol_bundle": "learner",
    "health.healthz": "public", "static": "public",
    "auth.login": "public", "auth.logout": "learner", "auth.register": "public", "auth.reset_password": "public",
    "me.dashboard": "learner", "me.profile": "learner",
    "lessons.show": "learner", "lessons.complete": "learner", "lessons.resume": "learner",
    "quiz.show_quiz": "learner", "quiz.start_attempt": "learner", "quiz.show_attempt": "learner",
    "quiz.save_answers": "learner", "quiz.confirm_submit": "learner", "quiz.submit_attempt": "learner",
    "quiz.show_results": "learner",
    "vignettes.show_vignette": "learner", "vignettes.start_run": "learner", "vignettes.show_run": "learner",
    "vignettes.choose": "learner", "vignettes.proceed": "learner", "vignettes.reveal_exhibit": "learner",
    "vignettes.go_back": "learner",
    "certificates.submit_evaluation": "learner", "certificates.issue_certificate": "learner",
    "certificates.download_certificate": "learner", "certificates.lookup_certificate": "public",
    "certificates.verify_certificate": "public",
    "certificate_admin.list_certificates": "admin", "certificate_admin.revoke_certificate": "admin",
    "certificate_admin.evaluation_report": "admin",
    "lti.jwks": "public", "lti.login": "lti", "lti.launch": "lti", "lti.register": "lti",
    "lti.deep_link": "learner", "lti.registrations": "admin", "lti.roster": "admin",
    "author.show_dashboard": "author", "author.show_items": "author", "author.show_case": "author",
}
# Protected by the OIDC state cookie and the signed id_token's nonce instead of a form token.
CSRF_EXEMPT = {"lti.login", "lti.launch"}


def _rules():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "inventory"})
    return app, sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def _state_changing():
    _, rules = _rules()
    return [(rule.endpoint, method) for rule in rules for method in sorted(rule.methods & STATE_CHANGING)]


def test_every_route_is_inventoried():
    _, rules = _rules()
    assert {rule.endpoint for rule in rules} == set(ROUTES)


def test_exempt_state_changing_routes_are_exactly_lti_launch_and_login():
    app, rules = _rules()
    exempt = {rule.endpoint for rule in rules if rule.methods & STATE_CHANGING
              and f"{app.view_functions[rule.endpoint].__module__}.{app.view_functions[rule.endpoint].__name__}"
              in csrf._exempt_views}
    assert exempt == CSRF_EXEMPT
    assert not csrf._exempt_blueprints


def test_csrf_protection_is_on_by_default():
    app, _ = _rules()
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("endpoint, method", [p for p in _state_changing() if p[0] not in CSRF_EXEMPT])
def test_state_changing_route_needs_a_valid_token(app, client, make_user, publish_fixture_content, endpoint, method):
    world = build_world(make_user, publish_fixture_content)
    if ROUTES[endpoint] != "public":
        login_with_token(client, world.admin if ROUTES[endpoint] == "admin" else world.learner)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        path = url_for(endpoint, **{name: world.url_values()[name] for name in rule.arguments})

    missing = client.open(path, method=method, data={"full_name": "X"})
    assert missing.status_code == 400 and CSRF_REJECTION in missing.get_data(as_text=True), endpoint
    forged = client.open(path, method=method, data={"csrf_token": "forged." + "x" * 40, "full_name": "X"})
    assert forged.status_code == 400 and CSRF_REJECTION in forged.get_data(as_text=True), endpoint
    header = client.open(path, method=method, headers={"X-CSRFToken": "forged"}, data={"full_name": "X"})
    assert header.status_code == 400 and CSRF_REJECTION in header.get_data(as_text=True), endpoint

    token = csrf_token(client, "/me" if ROUTES[endpoint] != "public" else "/login")
    valid = client.open(path, method=method, data={"csrf_token": token, "full_name": "X"})
    assert CSRF_REJECTION not in valid.get_data(as_text=True), f"{endpoint} refuses even a valid token"
