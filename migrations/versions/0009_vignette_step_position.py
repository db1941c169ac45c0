"""One vignette step per (run, position), so racing submits of one page cannot both record a move."""
from alembic import op

revision = "0009_vignette_step_position"
down_revision = "0008_merge_features"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("uq_vignette_steps_run_position", "vignette_steps", ["run_id", "position"], unique=True)


def downgrade():
    op.drop_index("uq_vignette_steps_run_position", table_name="vignette_steps")
