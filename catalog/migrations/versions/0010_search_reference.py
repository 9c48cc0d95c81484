"""``search_reference``: which URNs each search document shows the names of (domain,
organization, terms, tags, owners), so that renaming one indexes again the datasets that
show it; and the search index built again to fill it (with ``dataset_upstream``, which
0009 created).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from catalog.search_index import rebuild

    op.create_table(
        "search_reference",
        sa.Column("doc_id", sa.Integer, primary_key=True),
        sa.Column("urn", sa.String(), primary_key=True),
    )
    op.create_index("ix_search_reference_urn", "search_reference", ["urn"])
    rebuild(op.get_bind())  # fills dataset_upstream, search_reference and the index


def downgrade() -> None:
    """The table goes; the search index stays as it is (derived, rebuilt by ``cartable
    reindex`` under the earlier version)."""
    op.drop_index("ix_search_reference_urn", table_name="search_reference")
    op.drop_table("search_reference")
