"""``dataset_upstream``: which datasets each dataset's latest lineage names, so that whether
another dataset reads one ("lineage known" in its trust) is an indexed lookup rather than
whatever the search index remembered; and the search index built again from it, its text
folded with apostrophes and dashes kept as word breaks (« l’élève » was indexed « leleve »).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from catalog.search_index import rebuild

    op.create_table(
        "dataset_upstream",
        sa.Column("downstream", sa.String(), primary_key=True),
        sa.Column("upstream", sa.String(), primary_key=True),
    )
    op.create_index("ix_dataset_upstream_upstream", "dataset_upstream", ["upstream"])
    rebuild(op.get_bind())  # fills dataset_upstream, then the index


def downgrade() -> None:
    """The table goes; the search index stays as it is (derived, rebuilt by ``cartable
    reindex`` under the earlier version)."""
    op.drop_index("ix_dataset_upstream_upstream", table_name="dataset_upstream")
    op.drop_table("dataset_upstream")
