"""Accounts: register, log in, log out, throttling, reset by token, profile."""
from __future__ import annotations

import re

import pytest

from kapcourse.models import Role, User
from kapcourse.services import accounts

GOOD = {"email": "Dana@Example.org", "password": "a long password", "confirm": "a long password",
        "full_name": "Dana Okafor", "credentials": "RN", "profession": "Registered nurse", "licence_number": ""}


def test_register_logs_in_and_stores_profile(client, app):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 302
    user = accounts.find_by_email("dana@example.org")
    assert user.full_name == "Dana Okafor" and user.credentials == "RN" and user.role == Role.LEARNER
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:")) and "a long password" not in user.password_hash
    assert client.get("/me").status_code == 200


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "Invalid email address"),
    ("password", "short", "Field must be between 10 and 200 characters long"),
    ("confirm", "something else", "The passwords do not match."),
    ("full_name", "", "This field is required."),
    ("full_name", "Dana\nOkafor", "Remove line breaks"),
])
def test_register_with_bad_data_rerenders_with_field_errors(client, field, value, message):
    response = client.post("/register", data={**GOOD, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and 'aria-invalid="true"' in html
    assert 'value="Dana Okafor"' in html or field == "full_name"  # entered data is kept


def test_register_twice_with_the_same_email(client, make_user):
    make_user(email="dana@example.org")
    response = client.post("/register", data=GOOD)
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_login_logout(client, make_user, login):
    user = make_user()
    login(client, user)
    assert client.get("/me").status_code == 200
    client.post("/logout")
    assert client.get("/me").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 422
    assert "Email or password is incorrect." in response.get_data(as_text=True)


def test_login_is_throttled_per_account(client, app, make_user, login):
    user = make_user()
    for _ in range(app.config["LOGIN_RATE_LIMIT"]):
        client.post("/login", data={"email": user.email, "password": "wrong password"})
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 422
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_login_is_throttled_per_address_across_accounts(client, app, make_user):
    users = [make_user() for _ in range(app.config["LOGIN_RATE_LIMIT"] + 1)]
    for user in users[:-1]:
        client.post("/login", data={"email": user.email, "password": "wrong password"})
    response = client.post("/login", data={"email": users[-1].email, "password": "correct horse battery"})
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_next_parameter_cannot_redirect_off_site(client, make_user):
    user = make_user()
    response = client.post("/login?next=https://evil.example/x", data={"email": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/me"


def test_reset_token_cli_link_sets_password_once(app, runner, client, make_user):
    user = make_user(email="reset@example.org")
    result = runner.invoke(args=["users", "reset-token", "reset@example.org"])
    path = re.search(r"https?://[^/]+(/reset/\S+)", result.output).group(1)
    response = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    assert accounts.authenticate("reset@example.org", "a brand new password", "127.0.0.1").id == user.id
    assert client.get(path).status_code == 400  # used once, now dead


def test_reset_with_forged_token_is_refused(client):
    response = client.get("/reset/not-a-real-token")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_create_admin_cli(runner, app):
    result = runner.invoke(args=["users", "create-admin", "--email", "boss@example.org", "--full-name", "Pat Lee"],
                           input="a strong password\na strong password\n")
    assert result.exit_code == 0, result.output
    assert accounts.find_by_email("boss@example.org").role == Role.ADMIN


def test_profile_update_and_validation(client, make_user, login):
    user = make_user()
    login(client, user)
    bad = client.post("/me/profile", data={"full_name": "", "credentials": "MD"})
    assert bad.status_code == 422 and "This field is required." in bad.get_data(as_text=True)
    good = client.post("/me/profile", data={"full_name": "Sam Diaz", "credentials": "MD, PhD",
                                            "profession": "Physician", "licence_number": "CPSO 12345"})
    assert good.status_code == 302
    from kapcourse.extensions import db
    refreshed = db.session.get(User, user.id)
    assert (refreshed.full_name, refreshed.credentials, refreshed.licence_number) == ("Sam Diaz", "MD, PhD", "CPSO 12345")
