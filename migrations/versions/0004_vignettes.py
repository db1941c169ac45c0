"""vignettes: learner runs through branching cases and their steps

Revision ID: 0004_vignettes
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_vignettes"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "vignette_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_version_id", sa.Integer(), nullable=False),
        sa.Column("vignette_id", sa.String(length=64), nullable=False),
        sa.Column("current_node", sa.String(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("awaiting_acknowledgement", sa.Boolean(), nullable=False),
        sa.Column("revealed", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["module_version_id"], ["module_versions.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vignette_runs_learner", "vignette_runs", ["user_id", "module_version_id", "vignette_id"])
    op.create_table(
        "vignette_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("choice_id", sa.String(length=64), nullable=True),
        sa.Column("unsafe", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("exhibits_revealed", sa.JSON(), nullable=False),
        sa.Column("state_before", sa.JSON(), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["vignette_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vignette_steps_run_id", "vignette_steps", ["run_id"])


def downgrade():
    op.drop_index("ix_vignette_steps_run_id", table_name="vignette_steps")
    op.drop_table("vignette_steps")
    op.drop_index("ix_vignette_runs_learner", table_name="vignette_runs")
    op.drop_table("vignette_runs")
