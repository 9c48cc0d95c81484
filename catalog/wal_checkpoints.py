"""Copying a SQLite catalogue's write-ahead log into its file while the writer goes on.

SQLite appends each committed transaction to the write-ahead log (WAL) and copies the log
into the database file at checkpoints. Left to itself, the connection that commits runs
the checkpoint once the log reaches ``wal_autocheckpoint`` pages, and the writer waits for
the copy and its sync; the last connection to close copies whatever is left, which at the
end of an ingestion of 10,000 datasets took over half a second.

The writer process (``catalog.batch_writer``), and the sink when it writes inline, run
``BackgroundCheckpoints``: a thread with its own connection runs a passive checkpoint after
each transaction commits, while the writer writes the next one (SQLite copies without
holding Python's lock). The writer process's own
automatic checkpoint stays as a backstop, every BACKSTOP_WAL_PAGES pages (a transaction of
grouped batches on a large catalogue writes more than the usual 2,048): it then finds the
log already copied but for the last transaction, and restarts it from the beginning.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

logger = logging.getLogger(__name__)
BACKSTOP_WAL_PAGES = 16_384  # 512 MiB of log with 32 KiB pages


class BackgroundCheckpoints:
    """A thread that checkpoints the catalogue at ``path`` each time it is told a
    transaction committed (several commits during one checkpoint: one more after it)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._wake = threading.Event()
        self._committed = False  # since the last checkpoint began
        self._closing = False
        self._thread = threading.Thread(
            target=self._run, name="cartable-wal-checkpoints", daemon=True
        )
        self._thread.start()

    def committed(self) -> None:
        """A transaction committed: copy the log into the file, in the background."""
        self._committed = True
        self._wake.set()

    def close(self) -> None:
        """Stop once every commit told of is copied."""
        self._closing = True
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self._path, isolation_level=None)
        except sqlite3.Error as exc:
            logger.warning("background checkpoints unavailable: %s", exc)
            return
        try:
            while True:
                self._wake.wait()
                self._wake.clear()  # before reading the flags: no commit goes unseen
                if self._committed:
                    self._committed = False
                    # PASSIVE: never waits for the writer, copies what is committed
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                if self._closing:
                    return
        except sqlite3.Error as exc:  # the writer's own checkpoints still run
            logger.warning("background checkpoints stopped: %s", exc)
        finally:
            connection.close()
