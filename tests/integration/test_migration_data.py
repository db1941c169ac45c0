"""Upgrading an existing PostgreSQL database from 0001_foundation to head keeps the data written at 0001."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from kapcourse import create_app
from kapcourse.extensions import db

pytestmark = pytest.mark.postgres

ROWS = {
    "users": "INSERT INTO users (id, email, password_hash, full_name, credentials, profession, licence_number, role,"
             " created_at, password_changed_at) VALUES (7, 'kept@example.org', 'hash', 'Kept Learner', 'RN', 'Nurse',"
             " 'L-1', 'learner', '2026-01-02T03:04:05+00:00', '2026-01-02T03:04:05+00:00')",
    "module_versions": "INSERT INTO module_versions (id, slug, version, content_hash, title, payload, published_at)"
                       " VALUES (3, 'alpha-module', 1, 'abc', 'Alpha', '{\"lessons\": [{\"id\": \"l1\"}]}',"
                       " '2026-01-01T00:00:00+00:00')",
    "enrolments": "INSERT INTO enrolments (id, user_id, module_slug, module_version_id, bundle_slug, last_lesson_id,"
                  " enrolled_at) VALUES (11, 7, 'alpha-module', 3, NULL, 'l1', '2026-01-03T00:00:00+00:00')",
    "lesson_completions": "INSERT INTO lesson_completions (id, user_id, module_version_id, lesson_id, completed_at)"
                          " VALUES (5, 7, 3, 'l1', '2026-01-04T00:00:00+00:00')",
}
CHECKS = {
    "users": "SELECT id, email, full_name, credentials, role::text FROM users",
    "module_versions": "SELECT id, slug, version, payload::text FROM module_versions",
    "enrolments": "SELECT id, user_id, module_version_id, last_lesson_id, enrolled_at FROM enrolments",
    "lesson_completions": "SELECT id, user_id, lesson_id FROM lesson_completions",
}


def test_upgrade_from_foundation_to_heads_preserves_data(pg_cluster, tmp_path):
    url = pg_cluster.create_database("kapcourse_upgrade_data")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "i")})
    with app.app_context():
        upgrade(revision="0001_foundation")
        with db.engine.begin() as conn:
            for statement in ROWS.values():
                conn.execute(text(statement))
            before = {name: conn.execute(text(sql)).all() for name, sql in CHECKS.items()}
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            after = {name: conn.execute(text(sql)).all() for name, sql in CHECKS.items()}
            heads = conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        from kapcourse.models import Enrolment, User

        user = db.session.get(User, 7)
        enrolment = db.session.get(Enrolment, 11)
        assert user.email == "kept@example.org" and enrolment.last_lesson_id == "l1"
        assert enrolment.enrolled_at.tzinfo is not None
        db.session.remove()
        db.engine.dispose()
    assert all(before[name] for name in CHECKS)
    assert after == before
    assert heads >= 1
