"""Catalogue store: versioned aspects, entity index, ingestion runs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metadata_aspect_v2",
        sa.Column("urn", sa.String(), primary_key=True),
        sa.Column("aspect", sa.String(200), primary_key=True),
        sa.Column("version", sa.BigInteger, primary_key=True),
        sa.Column("metadata", sa.Text, nullable=False),
        sa.Column("systemmetadata", sa.Text),
        sa.Column("createdon", sa.DateTime(timezone=True), nullable=False),
        sa.Column("createdby", sa.String(255), nullable=False),
    )
    op.create_table(
        "entity_index",
        sa.Column("urn", sa.String(), primary_key=True),
        sa.Column("entity_type", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(100)),
        sa.Column("qualified_name", sa.String()),
        sa.Column("name", sa.String()),
        sa.Column("subtype", sa.String(100)),
        sa.Column("organization", sa.String(100)),
        sa.Column("container_urn", sa.String()),
        sa.Column("domain_urn", sa.String()),
        sa.Column("removed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_id", sa.String(200)),
    )
    op.create_index("ix_entity_type_removed", "entity_index", ["entity_type", "removed"])
    op.create_index("ix_entity_organization", "entity_index", ["organization"])
    op.create_index("ix_entity_domain", "entity_index", ["domain_urn"])
    op.create_table(
        "ingestion_run",
        sa.Column("run_id", sa.String(200), primary_key=True),
        sa.Column("pipeline_name", sa.String(200)),
        sa.Column("source_type", sa.String(100), nullable=False),
        sa.Column("recipe", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("duration_s", sa.Float),
        sa.Column("events_produced", sa.Integer, nullable=False, server_default="0"),
        sa.Column("aspects_written", sa.Integer, nullable=False, server_default="0"),
        sa.Column("aspects_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("entities_seen", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warnings", sa.Text, nullable=False, server_default="[]"),
        sa.Column("failures", sa.Text, nullable=False, server_default="[]"),
        sa.Column("host", sa.String(255)),
        sa.Column("pid", sa.Integer),
    )
    op.create_index("ix_run_started", "ingestion_run", ["started_at"])


def downgrade() -> None:
    op.drop_table("ingestion_run")
    op.drop_table("entity_index")
    op.drop_table("metadata_aspect_v2")
