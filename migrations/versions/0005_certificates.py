"""certificates: issued certificate snapshots and course evaluations

Revision ID: 0005_certificates
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_certificates"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_slug", sa.String(length=64), nullable=False),
        sa.Column("module_version_id", sa.Integer(), nullable=True),
        sa.Column("bundle_version_id", sa.Integer(), nullable=True),
        sa.Column("subject_title", sa.String(length=200), nullable=False),
        sa.Column("subject_version", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=100), nullable=False),
        sa.Column("learner_name", sa.String(length=200), nullable=False),
        sa.Column("credentials", sa.String(length=100), nullable=False),
        sa.Column("profession", sa.String(length=100), nullable=False),
        sa.Column("licence_number", sa.String(length=100), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("credit_hours", sa.Float(), nullable=True),
        sa.Column("credit_designation", sa.String(length=300), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("accreditation_statement", sa.Text(), nullable=False),
        sa.Column("verify_url", sa.String(length=300), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["bundle_version_id"], ["bundle_versions.id"]),
        sa.ForeignKeyConstraint(["module_version_id"], ["module_versions.id"]),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["superseded_by_id"], ["certificates.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_user_id"), ["user_id"], unique=False)

    op.create_table(
        "course_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sa.String(length=64), nullable=False),
        sa.Column("module_version_id", sa.Integer(), nullable=False),
        sa.Column("objectives_met", sa.Integer(), nullable=False),
        sa.Column("relevance", sa.Integer(), nullable=False),
        sa.Column("free_of_bias", sa.Boolean(), nullable=False),
        sa.Column("bias_comment", sa.Text(), nullable=False),
        sa.Column("practice_change", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["module_version_id"], ["module_versions.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "module_version_id"),
    )
    with op.batch_alter_table("course_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_evaluations_module_slug"), ["module_slug"], unique=False)
        batch_op.create_index(batch_op.f("ix_course_evaluations_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("course_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_evaluations_user_id"))
        batch_op.drop_index(batch_op.f("ix_course_evaluations_module_slug"))
    op.drop_table("course_evaluations")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_user_id"))
    op.drop_table("certificates")
