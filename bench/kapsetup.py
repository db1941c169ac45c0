"""Prepare a kapcourse instance for a benchmark: database, published content, gunicorn environment."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT, python_env

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


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (like tests/conftest.py's), stopped by this process."""

    def __init__(self):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        self.bindir = Path(bindir)
        self.base = Path(tempfile.mkdtemp(prefix="kapcourse-bench-pg-"))
        from harness import free_port

        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.base, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run(self.as_postgres + list(args), check=True, capture_output=True, text=True)

    def start(self, fast: bool = True) -> "PrivatePostgres":
        """initdb (once) and start the server."""
        data = self.base / "data"
        if not data.exists():
            self._run(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        durability = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off " if fast else ""
        opts = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 {durability}-c max_connections=300"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.base / "log"), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (the data stays until cleanup)."""
        subprocess.run(self.as_postgres + [str(self.bindir / "pg_ctl"), "-D", str(self.base / "data"), "-m", mode,
                                           "-w", "stop"], capture_output=True)

    def create_database(self, name: str) -> str:
        """Create a database and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def cleanup(self) -> None:
        """Stop and delete the cluster."""
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
