"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from kapcourse import create_app
from kapcourse.extensions import db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    return request.getfixturevalue("pg_cluster").create_database("kapcourse_migrations")


def _significant(diff) -> bool:
    # SQLite cannot tell timezone-aware from naive DateTime; that is not a schema difference.
    return not (isinstance(diff, list) and diff and diff[0][0] == "modify_type"
                and "DateTime" in repr(diff[0][5]) and "DateTime" in repr(diff[0][6]))


def test_upgrade_to_head_matches_models(empty_db_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_db_url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "i")})
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, db.metadata) if _significant(d)]
        db.engine.dispose()
    assert diffs == []
