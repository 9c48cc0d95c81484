"""SQLite's full-text index reads its text from ``search_document`` instead of keeping a copy
(an FTS5 external-content table): the text is stored once.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    from catalog.search_index import create_full_text

    op.execute("DROP TABLE IF EXISTS search_fts")
    create_full_text(conn)
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    from catalog.search_document import FIELDS

    op.execute("DROP TABLE IF EXISTS search_fts")
    columns = ", ".join(FIELDS)
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    texts = ", ".join(f"{field}_text" for field in FIELDS)
    op.execute(
        f"INSERT INTO search_fts(rowid, {columns}) SELECT id, {texts} FROM search_document"  # noqa: S608
    )
