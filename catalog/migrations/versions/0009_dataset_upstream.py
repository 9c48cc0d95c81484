"""``dataset_upstream``: which datasets each dataset's latest lineage names, so that whether
another dataset reads one ("lineage known" in its trust) is an indexed lookup rather than
whatever the search index remembered. The search index is then built again from it (by
0010, which adds the last table the index fills), its text folded with apostrophes and
dashes kept as word breaks (« l’élève » was indexed « leleve »).

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
    op.create_table(
        "dataset_upstream",
        sa.Column("downstream", sa.String(), primary_key=True),
        sa.Column("upstream", sa.String(), primary_key=True),
    )
    op.create_index("ix_dataset_upstream_upstream", "dataset_upstream", ["upstream"])


def downgrade() -> None:
    """The table goes; the search index stays as it is (derived, rebuilt by ``cartable
    reindex`` under the earlier version)."""
    op.drop_index("ix_dataset_upstream_upstream", table_name="dataset_upstream")
    op.drop_table("dataset_upstream")
