"""Lineage edges along which a steward blocked sensitivity propagation.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "propagation_block",
        sa.Column("upstream_field", sa.String(), primary_key=True),
        sa.Column("downstream_field", sa.String(), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("propagation_block")
