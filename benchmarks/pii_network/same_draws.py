"""The same sample rows for every engine of the benchmark.

The scan samples a SQL table with ``ORDER BY random() LIMIT n``. Within the benchmark's
processes, SQLite's ``random()`` is replaced on every new connection by a generator seeded
with a constant, so that each draw from a table picks the same rows: Cartable's scan and
vanilla Presidio analyse exactly the same cells.
"""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SEED = 2026
_installed = False


def _seed_random(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        rng = random.Random(SEED)
        dbapi_connection.create_function("random", 0, lambda: rng.randint(-(2**63), 2**63 - 1))


def install() -> None:
    """Make SQLite's random() repeatable on every engine of this process (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _seed_random)
        _installed = True
