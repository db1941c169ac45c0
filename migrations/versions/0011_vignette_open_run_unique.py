"""One unfinished vignette run per learner and case (racing "start" requests cannot both create one).

Revision ID: 0011_vignette_open_run_unique
Revises: 0010_certificate_valid_unique
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_vignette_open_run_unique"
down_revision = "0010_certificate_valid_unique"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'in_progress'")


def upgrade():
    op.create_index("uq_vignette_runs_open", "vignette_runs", ["user_id", "module_version_id", "vignette_id"],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    op.drop_index("uq_vignette_runs_open", table_name="vignette_runs")
