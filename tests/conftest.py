"""Shared fixtures: app on SQLite and PostgreSQL, users, content, live server, Chromium, axe."""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from flask import g

from kapcourse import create_app
from kapcourse.extensions import db
from tests.pg_cluster import PostgresCluster, free_port, pg_bindir

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_CONTENT = FIXTURES / "content"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery"


# --- CI: a skipped test is a failed test ------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run everything: {report.longrepr}"


# --- PostgreSQL: a private cluster on 127.0.0.1 for the session ---------------------------------
@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL cluster, or a skip (a failure under CI) when none can run."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    cluster = PostgresCluster(bindir)
    try:
        cluster.start()
    except (OSError, subprocess.CalledProcessError) as error:
        cluster.cleanup()
        pytest.skip(f"PostgreSQL could not start: {getattr(error, 'stderr', error)}")
    yield cluster
    cluster.cleanup()


@pytest.fixture(scope="session")
def pg_url(pg_cluster):
    """A database in the session cluster whose schema is created once."""
    return pg_cluster.create_database("kapcourse_test")


# --- The app ------------------------------------------------------------------------------------
@pytest.fixture
def app_config() -> dict:
    """Config overrides for the app fixture; override this fixture in a module to change them."""
    return {"WTF_CSRF_ENABLED": False}


_pg_schema_ready: set[str] = set()


def _clear_caches() -> None:
    from kapcourse.services import content

    content._cached_payload.cache_clear()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The database of one test: a fresh SQLite file, or the session PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def app(db_url, app_config, tmp_path):
    """The application on a clean database with every table created."""
    config = {
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "test-secret",
        "CONTENT_ROOT": str(FIXTURE_CONTENT), "SERVER_NAME": "kapcourse.test",
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    config.update(app_config)
    application = create_app(config)

    @application.before_request
    def _fresh_login_user():
        # The test holds one app context for its whole life, so flask.g (where Flask-Login
        # caches the user) would otherwise be shared by every client of the test.
        g.pop("_login_user", None)

    _clear_caches()
    with application.app_context():
        if db_url.startswith("postgresql"):
            _reset_postgres(db_url)
        else:
            db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()
    _clear_caches()


def _reset_postgres(url: str) -> None:
    if url not in _pg_schema_ready:
        db.drop_all()
        db.create_all()
        _pg_schema_ready.add(url)
        return
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Factory: make_user(email=..., role=Role.LEARNER, full_name=...) -> User (password PASSWORD)."""
    from kapcourse.models import Role
    from kapcourse.services import accounts

    counter = iter(range(1, 10_000))

    def make(email: str | None = None, role: Role = Role.LEARNER, full_name: str = "Alex Rivera", **profile):
        email = email or f"user{next(counter)}@example.org"
        return accounts.register(email, PASSWORD, accounts.Profile(full_name=full_name, **profile), role=role)

    return make


@pytest.fixture
def login():
    """login(client, user) logs a user in through the real form."""

    def do_login(client, user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def publish_fixture_content(app):
    """publish_fixture_content(root=FIXTURE_CONTENT) publishes a content tree and returns the result."""
    from kapcourse.services.publishing import publish_tree

    def publish(root: Path | str = FIXTURE_CONTENT):
        result = publish_tree(root)
        assert result.tree.ok, [str(p) for p in result.tree.problems]
        return result

    return publish


# --- Browser: a live server and headless Chromium ----------------------------------------------
class LiveServer:
    """The app served by a real HTTP server on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LiveServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(tmp_path):
    """A fresh app (SQLite file, fixture content published, CSRF on) served over HTTP."""
    from kapcourse.services.publishing import publish_tree

    application = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}", "SECRET_KEY": "live-secret",
        "CONTENT_ROOT": str(FIXTURE_CONTENT), "TESTING": False, "INSTANCE_PATH": str(tmp_path / "instance"),
    })
    _clear_caches()
    with application.app_context():
        db.create_all()
        assert publish_tree(FIXTURE_CONTENT).tree.ok
    server = LiveServer(application).start()
    yield server
    server.stop()
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A new browser page in its own context (own cookies)."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def assert_no_axe_violations(page) -> None:
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"axe violations on {page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
