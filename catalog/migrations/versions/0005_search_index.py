"""The search index: documents, facets, and the backend's full-text structure (filled from
the catalogue's current aspects by migration 0010).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from catalog.search_index import create_full_text

    text_columns = [
        sa.Column(f"{field}_text", sa.Text, nullable=False, server_default="")
        for field in (
            "name",
            "description",
            "columns",
            "tags",
            "terms",
            "owners",
            "domain",
            "organization",
        )
    ]
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("urn", sa.String(), nullable=False, unique=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("domain", sa.String()),
        sa.Column("organization", sa.String(100)),
        sa.Column("platform", sa.String(100)),
        sa.Column("sensitivity", sa.String(30)),
        sa.Column("certified", sa.String(5), nullable=False),
        sa.Column("pii", sa.String(5), nullable=False),
        sa.Column("trust_points", sa.Integer, nullable=False),
        sa.Column("trust_applicable", sa.Integer, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        *text_columns,
        sa.Column("trust_facts", sa.Text, nullable=False),
        sa.Column("downstream", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_search_document_organization", "search_document", ["organization"])
    op.create_index("ix_search_document_domain", "search_document", ["domain"])
    op.create_table(
        "search_facet",
        sa.Column("doc_id", sa.Integer, primary_key=True),
        sa.Column("facet", sa.String(30), primary_key=True),
        sa.Column("value", sa.String(), primary_key=True),
    )
    op.create_index("ix_search_facet_value", "search_facet", ["value", "facet"])
    create_full_text(op.get_bind())
    # filled by 0010, which builds the index once every table it fills and reads exists


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_facet")
    op.drop_table("search_document")
