"""merge the feature branches: quiz, vignettes, certificates, LTI

Revision ID: 0008_merge_features
Revises: 0003_quiz, 0004_vignettes, 0005_certificates, 0007_lti
"""

revision = "0008_merge_features"
down_revision = ("0003_quiz", "0004_vignettes", "0005_certificates", "0007_lti")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
