"""Database wiring: SQLAlchemy, migrations, SQLite pragmas and outage handling."""
from __future__ import annotations

from flask import Flask, g, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from .extensions import db, login_manager, migrate

MIGRATIONS_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside a writer; the busy timeout queues writers instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def init_database(app: Flask) -> None:
    """Bind SQLAlchemy and Flask-Migrate to the app."""
    if _is_sqlite(app):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options.pop("pool_pre_ping", None)
        options.setdefault("connect_args", {"timeout": 15})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    from . import models  # noqa: F401  (register every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    if _is_sqlite(app):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)
    app.register_error_handler(OperationalError, _database_unavailable)
    # Registered after db.init_app, so it runs before Flask-SQLAlchemy's own session removal.
    app.teardown_appcontext(_remove_session_quietly)


def _remove_session_quietly(_error) -> None:
    """End the request's session; a connection the server dropped (a restart) must not turn into a 500."""
    try:
        db.session.remove()
    except SQLAlchemyError:
        try:
            db.session.registry().invalidate()  # discard the dead connection; the pool opens a fresh one later
        except SQLAlchemyError:
            pass
        db.session.registry.clear()


def _database_unavailable(error: DBAPIError):
    """A lost database connection is a temporary outage: say so and ask the client to retry."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass  # the connection is already gone; the session is discarded at teardown
    # The page shows the anonymous header: loading the user would need the database that is down.
    g._login_user = login_manager.anonymous_user()
    body = render_template("errors/503.html")
    return body, 503, {"Retry-After": "5"}


def sqlite_engine_listens(engine: Engine) -> bool:
    """True when the SQLite pragma listener is installed on this engine (used by tests)."""
    return event.contains(engine, "connect", _sqlite_pragmas)
