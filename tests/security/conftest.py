"""Security sweep fixtures: SQLite only (the behaviour under test is the app's, not the database's)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from kapcourse.extensions import db
from kapcourse.models import Role
from tests.conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CSRF_REJECTION = "The form had expired"


@pytest.fixture
def db_url(tmp_path):
    """Every security test runs on a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'security.db'}"


def csrf_token(client, path: str = "/login") -> str:
    """A valid CSRF token for this client's session, read from a page with a form."""
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def login_with_token(client, user) -> None:
    """Log in through the real form, CSRF token included."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


@dataclass
class World:
    """A learner with every kind of learner-scoped object, and an administrator."""

    learner: object
    admin: object
    attempt_id: int
    run_id: int
    certificate_id: int
    certificate_code: str

    def url_values(self) -> dict[str, object]:
        """A value for every URL argument name the app uses, pointing at the learner's objects."""
        return {"slug": "alpha-module", "lesson_id": "first-lesson", "vignette_id": "alpha-case",
                "attempt_id": self.attempt_id, "run_id": self.run_id, "certificate_id": self.certificate_id,
                "code": self.certificate_code, "token": "not-a-valid-token", "filename": "css/app.css"}


def build_world(make_user, publish_fixture_content, learner_email: str = "a@example.org") -> World:
    """Publish the fixture content and give a learner an attempt, a run and a certificate."""
    from kapcourse.services import certificates, quiz, vignettes
    from tests.certificate_support import BASE_URL, complete_module, enrol

    publish_fixture_content()
    learner = make_user(email=learner_email, full_name="Alex Learner")
    admin = make_user(email="admin-" + learner_email, role=Role.ADMIN)
    alpha = enrol(learner, "alpha-module")
    attempt = quiz.start_attempt(learner.id, "alpha-module")
    run = vignettes.start_run(learner.id, alpha.id, "alpha-case")
    beta = complete_module(learner, "beta-module")
    cert = certificates.request_module_certificate(learner, beta, BASE_URL).certificate
    db.session.commit()
    return World(learner=learner, admin=admin, attempt_id=attempt.id, run_id=run.id,
                 certificate_id=cert.id, certificate_code=cert.code)
