"""The catalogue database: one engine per URL, write transactions, and schema migrations.

SQLite (one file, WAL) is the default; PostgreSQL serves a shared deployment. Writers are
serialised per transaction on both (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on
PostgreSQL), so a batch of aspect writes reads and writes versions without races.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.util import asbool

from catalog.errors import CartableError
from catalog.settings import resolve_db_url

logger = logging.getLogger(__name__)

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
WRITE_LOCK_KEY = 727_274_001  # PostgreSQL advisory lock shared by every catalogue writer
_IMMEDIATE = "cartable_immediate"
WAL_PAGES = 2048  # pages of write-ahead log between checkpoints: 64 MiB with 32 KiB pages


class Database:
    """An engine on the catalogue, with read and serialised write transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.backend = engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (a consistent snapshot on both backends)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction that holds the catalogue's single writer lock until it ends."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{_IMMEDIATE: True})
            with conn.begin():
                if self.backend == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY}
                    )
                yield conn

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _prepare_sqlite(engine: Engine, wal_pages: int) -> None:
    """WAL, a generous busy timeout, and explicit BEGIN so write transactions lock up front."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below start transactions
        cursor = dbapi_connection.cursor()
        # 32 KiB pages for a new catalogue (an existing one keeps its own): an aspect row
        # of a 20-column schema is ~4 KB; ingestion ran 25 % faster and search 10 % faster
        # than with 4 KiB pages, for a file of about the same size (docs/performance.md)
        cursor.execute("PRAGMA page_size=32768")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: key lookups stay in memory
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute(f"PRAGMA wal_autocheckpoint={wal_pages}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def as_utc(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite keeps none, and Cartable stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_database(
    url: str | None = None, *, migrate: bool = True, wal_pages: int = WAL_PAGES
) -> Database:
    """Open (and by default migrate) the catalogue at ``url``; bad URLs raise CartableError.

    ``wal_pages``: on SQLite, the pages of write-ahead log after which a commit checkpoints
    (larger where another thread checkpoints, ``catalog.wal_checkpoints``)."""
    resolved = resolve_db_url(url)
    try:
        parsed = make_url(resolved)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise CartableError(f"bad database URL: {_safe_url(resolved)}") from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise CartableError(
            f"bad database URL: {_safe_url(resolved)} (Cartable stores its catalogue in "
            "SQLite or PostgreSQL)"
        )
    folder = _file_folder(parsed)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise CartableError(f"bad database URL: {_safe_url(resolved)} ({exc})") from None
    if engine.dialect.name == "sqlite":
        _prepare_sqlite(engine, wal_pages)
    database = Database(engine)
    if migrate:
        try:
            from catalog.migrate import upgrade

            upgrade(database)
        except OperationalError as exc:
            database.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise CartableError(
                f"cannot reach the catalogue database {_safe_url(resolved)}: {reason}"
            ) from None
    return database


def require_existing_folder(url: str) -> None:
    """Refuse a SQLite URL whose folder does not exist: ``open_database`` creates the folder
    (a new catalogue's first use), so a mistyped path given by a user would leave folders
    and an empty catalogue behind. The command line checks the URL it is given first."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return  # open_database names the problem
    folder = _file_folder(parsed)
    if folder is not None and not folder.is_dir():
        raise CartableError(
            f"bad database URL: {_safe_url(url)} (the folder {folder} does not exist: "
            "create it first)"
        )


def _file_folder(url: URL) -> Path | None:
    """The folder of a SQLite catalogue file (None for another backend, an in-memory
    database, or a ``file:`` URI, whose path SQLite reads itself)."""
    file = sqlite_file(url)
    if file is None or asbool(url.query.get("uri", False)):
        return None
    return Path(file).parent


def sqlite_file(url: URL) -> str | None:
    """The file of a SQLite URL (None for another backend or an in-memory database)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return str(Path(url.database).expanduser())


def _safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url
