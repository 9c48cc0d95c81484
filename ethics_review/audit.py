"""The audit journal: every action (who, in what role, when, on what, before and after) in an
append-only, hash-chained log, and the check that finds where it was tampered with.

Entry n carries ``prev_hash``, the hash of entry n-1 (``GENESIS`` for entry 1), and ``hash``,
the SHA-256 of the canonical JSON of its own fields and ``prev_hash``. Sequence numbers run
from 1 without gaps, and the head row (``audit_head``) keeps the last seq and hash, so an
entry cannot be changed, removed, moved or slipped in, nor the last ones cut off, without
``check_chain`` saying which and how.

Append-only: nothing in Cartable updates or deletes a journal row. ``append`` inserts one
inside the caller's write transaction, so a change and its entry commit or roll back
together, and moves the head; the catalogue's single-writer lock serialises appends on both
backends. A deployment should also deny UPDATE and DELETE on ``audit_journal`` to the
application's database role.

The chain proves consistency, not who wrote it: someone able to write to the database who
rewrites every entry from some point on, recomputes each hash and moves the head leaves a
journal that verifies. An external anchor defeats that. Publish the head (seq and hash)
where the database's writers cannot change it — in each committee decision record, a signed
report, another system's log — and compare later: an honest journal still has, at that seq,
the hash published for it, since no later append changes an earlier entry.

How a tampered chain is read — altered, deleted, reordered, inserted, truncated, head — is
``audit_chain.check_chain``'s job (pure); this module reads and appends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Row,
    String,
    bindparam,
    insert,
    select,
    type_coerce,
    update,
)

from catalog.database import Database, as_utc
from catalog.errors import CartableError
from catalog.json_text import canonical_json
from ethics_review.audit_chain import (
    GENESIS,
    UNREADABLE,
    AuditEntry,
    Json,
    Problem,
    Verification,
    check_chain,
    entry_hash,
)
from ethics_review.tables import audit_head, audit_journal

__all__ = [
    "GENESIS", "AuditEntry", "AuditError", "AuditJournal", "Problem", "Verification",
    "check_chain", "entry_hash",
]  # fmt: skip

HEAD_ID = 1
_TEXT = ("actor", "role", "action", "subject")


class AuditError(CartableError):
    """An entry the journal refuses, or a journal too damaged to append to."""


# The journal in the database ---------------------------------------------------------------


def _stored_json(value: Any, name: str) -> Json:
    """``value`` as it will read back from the database (canonical JSON), or AuditError."""
    if value is None:
        return None
    try:
        parsed = json.loads(canonical_json(value))
    except (TypeError, ValueError):
        raise AuditError(f"the entry's {name} is not JSON") from None
    if not isinstance(parsed, dict | list):
        raise AuditError(f"the entry's {name} is neither an object nor a list")
    return parsed


def _text_limits() -> dict[str, int]:
    columns = {name: audit_journal.c[name].type for name in _TEXT}
    return {n: t.length for n, t in columns.items() if isinstance(t, String) and t.length}


_LIMITS = _text_limits()


def _check_text(**values: str) -> None:
    for name, value in values.items():
        if not value:
            raise AuditError(f"an audit entry needs a {name}")
        if name in _LIMITS and len(value) > _LIMITS[name]:
            raise AuditError(f"the entry's {name} is longer than {_LIMITS[name]} characters")


def _read_json(text: Any, name: str, unreadable: list[str]) -> Json:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        value = None
    if isinstance(value, dict | list):
        return value
    unreadable.append(name)
    return {UNREADABLE: name}


def _read_time(value: Any, unreadable: list[str]) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value).astimezone(UTC)
    try:
        return as_utc(datetime.fromisoformat(str(value))).astimezone(UTC)
    except ValueError:
        unreadable.append("recorded_on")
        return datetime.min.replace(tzinfo=UTC)


def _read(row: Row[Any]) -> tuple[AuditEntry | None, list[str]]:
    """A stored row as an entry, and the columns that no longer parse (SQLite keeps anything)."""
    unreadable: list[str] = []
    m = row._mapping
    try:
        seq = int(m["seq"])
    except (TypeError, ValueError):
        return None, ["seq"]
    entry = AuditEntry(
        seq=seq,
        recorded_on=_read_time(m["recorded_on"], unreadable),
        **{name: str(m[name]) for name in (*_TEXT, "prev_hash", "hash")},
        before=_read_json(m["before"], "before", unreadable),
        after=_read_json(m["after"], "after", unreadable),
    )
    return entry, unreadable


_COLUMNS = [
    type_coerce(c, String).label(c.name) if c.name == "recorded_on" else c for c in audit_journal.c
]


_HEAD = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)
_ANY = select(audit_journal.c.seq).limit(1)
_FROM = _ANY.where(audit_journal.c.seq >= bindparam("seq", type_=BigInteger))
_APPEND = insert(audit_journal)  # the only statement that writes the journal
_MOVE_HEAD = update(audit_head).where(audit_head.c.id == HEAD_ID)


class AuditJournal:
    """The journal over one catalogue database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def append(
        self,
        conn: Connection,
        *,
        actor: str,
        role: str,
        action: str,
        subject: str,
        before: Any = None,
        after: Any = None,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Add an entry inside the caller's write transaction (``Database.write()``), so it
        commits or rolls back with the change it records; AuditError on a bad entry."""
        _check_text(actor=actor, role=role, action=action, subject=subject)
        values: dict[str, Any] = {
            "actor": actor,
            "role": role,
            "action": action,
            "subject": subject,
            "before": _stored_json(before, "before"),
            "after": _stored_json(after, "after"),
            "recorded_on": as_utc(at or datetime.now(UTC)).astimezone(UTC),
        }
        head = conn.execute(_HEAD.with_for_update()).first()
        seq, prev = (1, GENESIS) if head is None else (int(head.seq) + 1, str(head.hash))
        if conn.execute(_FROM if head else _ANY, {"seq": seq}).first():
            found = "an entry after its head" if head else "entries but no head"
            raise AuditError(f"the audit journal has {found}: run `cartable audit verify`")
        entry = AuditEntry(seq=seq, prev_hash=prev, hash=entry_hash(prev, seq, **values), **values)
        stored = {**values, "before": _dumped(entry.before), "after": _dumped(entry.after)}
        conn.execute(_APPEND, {"seq": seq, "prev_hash": prev, "hash": entry.hash, **stored})
        if head is None:
            conn.execute(insert(audit_head), {"id": HEAD_ID, "seq": seq, "hash": entry.hash})
        else:
            conn.execute(_MOVE_HEAD, {"seq": seq, "hash": entry.hash})
        return entry

    def record(
        self,
        *,
        actor: str,
        role: str,
        action: str,
        subject: str,
        before: Any = None,
        after: Any = None,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Add an entry in a write transaction of its own."""
        with self.database.write() as conn:
            return self.append(
                conn,
                actor=actor,
                role=role,
                action=action,
                subject=subject,
                before=before,
                after=after,
                at=at,
            )

    def entries(self, subject: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Entries (on one subject, or all), oldest first; with ``limit``, the latest ones."""
        query = select(*_COLUMNS).order_by(audit_journal.c.seq.desc())
        if subject is not None:
            query = query.where(audit_journal.c.subject == subject)
        if limit is not None:
            query = query.limit(limit)
        with self.database.read() as conn:
            read = [_read(row)[0] for row in conn.execute(query)]
        return [entry for entry in reversed(read) if entry is not None]

    def verify(self) -> Verification:
        """Check the whole journal and its head, in one consistent snapshot."""
        with _snapshot(self.database) as conn:
            head = conn.execute(_HEAD).first()
            rows = conn.execute(select(*_COLUMNS).order_by(audit_journal.c.seq)).all()
        read = [_read(row) for row in rows]
        anchor, problems = _read_head(head)
        for problem in check_chain([entry for entry, _ in read if entry is not None], anchor):
            if head is None or anchor or problem.kind != "head" or problem.seq is not None:
                problems.append(problem)  # (an unreadable head is not a missing one)
        unreadable = {entry.seq: columns for entry, columns in read if entry and columns}
        for problem in problems:
            if problem.kind == "altered" and problem.seq in unreadable:
                named = " and ".join(unreadable[problem.seq])
                problem.detail = f"entry {problem.seq}'s {named} no longer parses: altered"
        if bad := sum(1 for entry, _ in read if entry is None):
            detail = f"{bad} rows have a seq that is not a whole number"
            problems.insert(0, Problem(seq=None, kind="altered", detail=detail))
        return Verification(
            entries=len(rows),
            ok=not problems,
            problems=problems,
            head_seq=anchor[0] if anchor else None,
            head_hash=anchor[1] if anchor else None,
        )


def _read_head(head: Row[Any] | None) -> tuple[tuple[int, str] | None, list[Problem]]:
    """The head row as (seq, hash); a head whose seq no longer parses is reported here."""
    if head is None:
        return None, []
    try:
        return (int(head.seq), str(head.hash)), []
    except (TypeError, ValueError):
        return None, [Problem(seq=None, kind="head", detail="the head's seq is not a number")]


def _dumped(value: Json) -> str | None:
    return None if value is None else canonical_json(value)


@contextmanager
def _snapshot(database: Database) -> Iterator[Connection]:
    """A read transaction that sees one state of the database on both backends (PostgreSQL's
    default, read committed, would let an append land between reading the head and rows)."""
    if database.backend != "postgresql":
        with database.read() as conn:
            yield conn
        return
    with database.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn
