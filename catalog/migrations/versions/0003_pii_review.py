"""Steward decisions on personal-information findings.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pii_review",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(), nullable=False),
        sa.Column("field_path", sa.String(), nullable=False),
        sa.Column("term", sa.String(100), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("decided_on", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pii_review_field", "pii_review", ["dataset", "field_path"])


def downgrade() -> None:
    op.drop_index("ix_pii_review_field", "pii_review")
    op.drop_table("pii_review")
