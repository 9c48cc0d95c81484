"""Ethics and privacy review: requests, votes, decisions, the audit journal and its head.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_request",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("requester", sa.String(100), nullable=False),
        sa.Column("organization", sa.String(100)),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("level", sa.Integer),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_request_state", "review_request", ["state"])
    op.create_table(
        "review_vote",
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("member", sa.String(100), nullable=False),
        sa.Column("vote", sa.String(20), nullable=False),
        sa.Column("conflict", sa.Boolean, nullable=False),
        sa.Column("declaration", sa.Text, nullable=False),
        sa.Column("cast_on", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id", "round", "member"),
    )
    op.create_table(
        "review_decision",
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("decided_on", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id", "round"),
    )
    op.create_table(
        "audit_journal",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("recorded_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_head", "audit_journal", "review_decision", "review_vote", "review_request"):
        op.drop_table(table)
