"""Schema migrations with Alembic, run when a catalogue is opened."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from catalog.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of Cartable."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    """The migration the catalogue database is at (None when empty)."""
    with database.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(database: Database) -> None:
    """Bring the catalogue to the newest schema; concurrent openers wait on the writer lock."""
    head = head_revision()
    if current_revision(database) == head:
        return
    config = _config()
    with database.write() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def downgrade(database: Database, revision: str) -> None:
    """Take the catalogue back to an earlier schema (its migrations' tests; an operator
    returning to an earlier version of Cartable)."""
    config = _config()
    with database.write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
