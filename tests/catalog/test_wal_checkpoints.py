"""Background checkpoints: what a writer commits reaches the database file while it goes on."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from catalog.wal_checkpoints import BackgroundCheckpoints

ROW = "x" * 4000
ROWS = 500  # about 2 MB


def _writer(path: Path) -> sqlite3.Connection:
    """A writing connection that never checkpoints by itself."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT)")
    return connection


def _commit_rows(connection: sqlite3.Connection, start: int) -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO t VALUES (?, ?)", [(i, ROW) for i in range(start, start + ROWS)]
    )
    connection.execute("COMMIT")


def test_a_commit_is_copied_into_the_database_file_in_the_background(tmp_path):
    path = tmp_path / "catalogue.db"
    writer = _writer(path)
    _commit_rows(writer, 0)
    assert os.path.getsize(path) < 100_000  # the rows are in the log only

    checkpoints = BackgroundCheckpoints(str(path))
    checkpoints.committed()
    _commit_rows(writer, ROWS)  # the writer goes on meanwhile
    checkpoints.committed()
    checkpoints.close()  # waits for the checkpoint under way

    assert os.path.getsize(path) > ROWS * len(ROW)  # the first commit at least is in the file
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (2 * ROWS,)


def test_closing_without_a_commit_copies_nothing_and_returns(tmp_path):
    path = tmp_path / "catalogue.db"
    writer = _writer(path)
    _commit_rows(writer, 0)
    checkpoints = BackgroundCheckpoints(str(path))
    checkpoints.close()
    assert os.path.getsize(path) < 100_000


def test_an_unreadable_catalogue_leaves_the_writer_alone(tmp_path):
    checkpoints = BackgroundCheckpoints(str(tmp_path / "missing" / "catalogue.db"))
    checkpoints.committed()
    checkpoints.close()  # the thread logged and left; nothing raised here
