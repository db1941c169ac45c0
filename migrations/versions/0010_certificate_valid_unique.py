"""One valid certificate per learner and module or bundle version (racing requests cannot both issue)."""
import sqlalchemy as sa
from alembic import op

revision = "0010_certificate_valid_unique"
down_revision = "0009_vignette_step_position"
branch_labels = None
depends_on = None

VALID_WHERE = "kind = '{kind}' AND revoked_at IS NULL AND superseded_by_id IS NULL"


def upgrade():
    for kind in ("module", "bundle"):
        where = sa.text(VALID_WHERE.format(kind=kind))
        op.create_index(f"uq_certificates_valid_{kind}", "certificates", ["user_id", f"{kind}_version_id"],
                        unique=True, sqlite_where=where, postgresql_where=where)


def downgrade():
    for kind in ("module", "bundle"):
        op.drop_index(f"uq_certificates_valid_{kind}", table_name="certificates")
