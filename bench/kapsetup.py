"""Prepare a kapcourse instance for a benchmark: database, published content, gunicorn environment."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT, python_env

if str(ROOT) not in sys.path:  # the cluster helper is shared with the test suite
    sys.path.insert(0, str(ROOT))
from tests.pg_cluster import PostgresCluster as PrivatePostgres  # noqa: E402,F401 (used by load.py and the fault tests)

FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
SECRET = "bench-secret-not-for-production"


def content_root(prefer_shipped: bool = True) -> tuple[Path, str]:
    """The shipped content when it validates (else the test fixture tree), and which one it is."""
    from kapcourse.content.tree import load_tree

    if prefer_shipped and load_tree(ROOT).ok:
        return ROOT, "shipped content"
    return FIXTURE_CONTENT, "fixture content (shipped content did not validate)"


@dataclass
class Instance:
    """A prepared app: database URL, instance folder and the environment gunicorn runs it with."""

    db_url: str
    instance_path: Path
    content: Path

    def config(self, **extra) -> dict:
        """create_app config for in-process setup work."""
        return {"SQLALCHEMY_DATABASE_URI": self.db_url, "SECRET_KEY": SECRET, "CONTENT_ROOT": str(self.content),
                "INSTANCE_PATH": str(self.instance_path), **extra}

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for `gunicorn kapcourse:create_app()`."""
        return python_env(DATABASE_URL=self.db_url, SECRET_KEY=SECRET, KAPCOURSE_CONTENT_ROOT=str(self.content),
                          KAPCOURSE_ENV="development", **extra)


def prepare(db_url: str, content: Path, workdir: Path) -> Instance:
    """Create the schema and publish the content tree into an empty database."""
    from kapcourse import create_app
    from kapcourse.extensions import db
    from kapcourse.services.publishing import publish_tree

    instance = Instance(db_url=db_url, instance_path=workdir / "instance", content=content)
    app = create_app(instance.config())
    with app.app_context():
        db.create_all()
        result = publish_tree(content)
        assert result.tree.ok, [str(p) for p in result.tree.problems][:5]
        db.session.remove()
        db.engine.dispose()
    return instance


def session_cookie(instance: Instance, email: str, password: str, enrol_slug: str | None = None) -> str:
    """Register a learner in-process (optionally enrolled) and return a signed session cookie value."""
    from kapcourse import create_app
    from kapcourse.extensions import db
    from kapcourse.services import accounts, enrolment

    app = create_app(instance.config(WTF_CSRF_ENABLED=False))
    with app.app_context():
        user = accounts.register(email, password, accounts.Profile(full_name="Bench Learner"))
        if enrol_slug:
            enrolment.enrol(user.id, enrol_slug)
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.status_code
        cookie = client.get_cookie("session").value
        db.session.remove()
        db.engine.dispose()
    return cookie


