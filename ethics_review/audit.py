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

Verification (``check_chain``) recomputes each row's hash at its seq. A row that fits only at
another seq was *reordered* (moved, renumbered, swapped with another row), one whose fields
fit another row's hash and links holds that row's contents (*reordered*, contents swapped),
and one that fits nowhere was *altered*. The rows are then put in the order their hashes bind
them to: a seq no row holds is *deleted* (the next entry points to a hash no entry has), a
head beyond the last entry means the journal was *truncated*, a self-consistent row that does
not fit the chain is *inserted* (forged, a copy, after the head, or rewritten with a fresh
hash), and a head that matches no entry, or another entry, is a *head* problem. Every tamper
is reported, once, by its most specific kind, with the entry's seq and a one-line detail that
never shows ``before`` or ``after`` (they may hold personal data).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel
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
from catalog.records import canonical_json
from ethics_review.tables import audit_head, audit_journal

GENESIS = "0" * 64
HEAD_ID = 1
_SEARCH = 256  # rows and free places tried when looking for where a moved entry came from
_UNREADABLE = "\x00unreadable"  # stands for a stored value that no longer parses
_TEXT = ("actor", "role", "action", "subject")

Json = dict[str, Any] | list[Any] | None
Kind = Literal["altered", "deleted", "reordered", "inserted", "truncated", "head"]


class AuditError(CartableError):
    """An entry the journal refuses, or a journal too damaged to append to."""


class AuditEntry(BaseModel):
    """One line of the journal."""

    seq: int
    recorded_on: datetime
    actor: str
    role: str
    action: str
    subject: str
    before: Json = None
    after: Json = None
    prev_hash: str
    hash: str


class Problem(BaseModel):
    """Something wrong with the journal, at an entry (None: the journal as a whole)."""

    seq: int | None
    kind: Kind
    detail: str


class Verification(BaseModel):
    """What ``cartable audit verify`` found."""

    entries: int
    ok: bool
    problems: list[Problem]
    head_seq: int | None
    head_hash: str | None


def entry_hash(
    prev_hash: str,
    seq: int,
    recorded_on: datetime,
    actor: str,
    role: str,
    action: str,
    subject: str,
    before: Json,
    after: Json,
) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's fields; times in UTC, to the µs."""
    moment = as_utc(recorded_on).astimezone(UTC).isoformat(timespec="microseconds")
    fields = {
        "prev_hash": prev_hash,
        "seq": seq,
        "recorded_on": moment,
        "actor": actor,
        "role": role,
        "action": action,
        "subject": subject,
        "before": before,
        "after": after,
    }
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def _hash_as(entry: AuditEntry, seq: int, prev_hash: str) -> str:
    """The hash ``entry``'s fields would have at ``seq`` after ``prev_hash``."""
    e = entry
    return entry_hash(
        prev_hash, seq, e.recorded_on, e.actor, e.role, e.action, e.subject, e.before, e.after
    )


def check_chain(entries: Sequence[AuditEntry], head: tuple[int, str] | None) -> list[Problem]:
    """Every problem in a journal (its entries, any order) and its head (seq, hash)."""
    return _Check(entries, head).run()


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first}–{last} are"


class _Check:
    """One verification: the seq each row's hash binds it to, then the head, links and gaps."""

    def __init__(self, entries: Sequence[AuditEntry], head: tuple[int, str] | None) -> None:
        self.rows = sorted(entries, key=lambda e: e.seq)
        self.head = head
        self.problems: list[Problem] = []
        self.flagged: set[int] = set()  # rows a problem already explains
        self.after_head: set[int] = set()
        self.true: dict[int, int] = {}  # row -> the seq its hash binds it to
        self.by_hash: dict[str, int] = {}
        self.by_prev: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(self.rows):
            self.by_hash.setdefault(entry.hash, i)
            self.by_prev[entry.prev_hash].append(i)

    def run(self) -> list[Problem]:
        self._swapped(self._resolve())
        order = self._positions()
        self._head(order)
        self._links(order)
        self._gaps(order)
        rank = {kind: n for n, kind in enumerate(get_args(Kind))}
        return sorted(self.problems, key=lambda p: (p.seq or 0, rank[p.kind]))

    def _report(self, i: int | None, seq: int | None, kind: Kind, detail: str) -> None:
        self.problems.append(Problem(seq=seq, kind=kind, detail=detail))
        if i is not None:
            self.flagged.add(i)

    # The seq each row's hash binds ----------------------------------------------------------

    def _resolve(self) -> set[int]:
        """Rows that verify at their seq, then the others at the seq the chain or a free place
        gives them (moved, renumbered); returns the rest (altered)."""
        unresolved = {
            i for i, e in enumerate(self.rows) if _hash_as(e, e.seq, e.prev_hash) != e.hash
        }
        self.true = {i: e.seq for i, e in enumerate(self.rows) if i not in unresolved}
        queue = deque(self.true)
        queue.extend(i for i in self.by_prev.get(GENESIS, []) if self._try(i, 1, unresolved))
        self._spread(queue, unresolved)
        free = self._free_seqs()
        for i in sorted(unresolved)[:_SEARCH]:
            after = [
                self.true[k] - 1 for k in self.by_prev.get(self.rows[i].hash, []) if k in self.true
            ]
            places = after + [self.rows[j].seq for j in sorted(unresolved)[:_SEARCH]] + free
            if any(self._try(i, seq, unresolved) for seq in places):
                self._spread(deque([i]), unresolved)
        self.true.update({i: self.rows[i].seq for i in unresolved})
        return unresolved

    def _try(self, i: int, seq: int, unresolved: set[int]) -> bool:
        entry = self.rows[i]
        if i not in unresolved or seq == entry.seq:
            return False
        if _hash_as(entry, seq, entry.prev_hash) != entry.hash:
            return False
        self.true[i] = seq
        unresolved.discard(i)
        return True

    def _spread(self, queue: deque[int], unresolved: set[int]) -> None:
        """Follow the chain from rows whose seq is known to the rows that point to them."""
        while queue:
            j = queue.popleft()
            for i in self.by_prev.get(self.rows[j].hash, []):
                if self._try(i, self.true[j] + 1, unresolved):
                    queue.append(i)

    def _free_seqs(self) -> list[int]:
        """The first seqs (up to _SEARCH) that no row holds."""
        free: list[int] = []
        previous = 0
        for entry in self.rows:
            free += range(previous + 1, min(entry.seq, previous + 1 + _SEARCH - len(free)))
            previous = max(previous, entry.seq)
        return free

    def _swapped(self, altered: set[int]) -> None:
        """Altered rows: those holding another altered row's fields (swapped or copied)."""
        rows = sorted(altered)[:_SEARCH]
        for i in rows:
            seq = self.rows[i].seq
            for j in rows:
                other = self.rows[j]
                if i != j and _hash_as(self.rows[i], other.seq, other.prev_hash) == other.hash:
                    detail = (
                        f"entry {seq} holds the fields of entry {other.seq} (swapped or copied)"
                    )
                    self._report(i, seq, "reordered", detail)
                    break
        for i in sorted(altered - self.flagged):
            seq = self.rows[i].seq
            detail = f"entry {seq}'s fields do not match its hash: changed after it was recorded"
            self._report(i, seq, "altered", detail)

    def _positions(self) -> dict[int, int]:
        """Seq -> row, in chain order; moved rows, copies and rows before 1 reported."""
        order: dict[int, int] = {}
        for i in sorted(self.true, key=lambda i: self.true[i] != self.rows[i].seq):
            seq, stored = self.true[i], self.rows[i].seq
            if seq < 1:
                self._report(i, stored, "inserted", f"entry {stored} comes before entry 1")
            elif seq in order:
                self._report(i, stored, "inserted", f"entry {stored} is a copy of entry {seq}")
            else:
                order[seq] = i
                if seq != stored:
                    detail = f"the entry at seq {stored} is entry {seq}: moved or renumbered"
                    self._report(i, stored, "reordered", detail)
        return order

    # The head, the links, the gaps ----------------------------------------------------------

    def _head(self, order: dict[int, int]) -> None:
        last = max(order, default=0)
        if self.head is None:
            if self.rows:
                detail = f"the journal has {len(self.rows)} entries but no head"
                self._report(None, None, "head", detail)
            return
        seq, digest = self.head
        ref = self.true[self.by_hash[digest]] if digest in self.by_hash else None
        if ref is not None and ref != seq:
            self._report(None, seq, "head", f"the head says seq {seq} but has entry {ref}'s hash")
        elif ref == seq:
            for t in sorted(t for t in order if t > seq):
                self.after_head.add(order[t])
                detail = f"entry {t} is after the head (seq {seq}): not appended by the journal"
                self._report(order[t], t, "inserted", detail + ", or the head was set back")
        elif seq > last:
            where = f"ends at entry {last}" if last else "is empty"
            detail = f"{_span(last + 1, seq)} missing: the journal {where}, its head says {seq}"
            self._report(None, last + 1, "truncated", detail)
        elif seq == last:
            detail = f"the head's hash is not entry {seq}'s: the head or entry {seq} was rewritten"
            self._report(None, seq, "head", detail)
        else:
            detail = (
                f"the head says seq {seq}, before the last entry ({last}), with no entry's hash"
            )
            self._report(None, seq, "head", detail)

    def _links(self, order: dict[int, int]) -> None:
        """Self-consistent rows that do not chain with their neighbours: forged or rewritten.
        A break between a and b is b's when b's other link breaks too or b points to another
        entry, a's when a's other link breaks too or b points to no entry (a was rewritten)."""
        for seq in sorted(order):
            if seq + 1 not in order:
                continue
            a, b = order[seq], order[seq + 1]
            if self.rows[b].prev_hash == self.rows[a].hash or {a, b} & self.flagged:
                continue
            a_odd = self._link(order, seq - 1, seq) is False
            b_odd = self._link(order, seq + 1, seq + 2) is False
            elsewhere = self.rows[b].prev_hash in self.by_hash
            if b_odd or (elsewhere and not a_odd):
                detail = f"entry {seq + 1} is self-consistent but does not point to entry {seq}"
                self._report(b, seq + 1, "inserted", detail + ": a forged entry")
            if a_odd or not (b_odd or elsewhere):
                detail = f"entry {seq} is self-consistent but entry {seq + 1} points elsewhere"
                if seq + 2 in order:  # entry seq + 2 vouches for seq + 1: seq was rewritten
                    detail += f": entry {seq} was rewritten, or forged in its place"
                else:  # only the head vouches for the last entry, and the head can be moved
                    detail += f": entry {seq} was rewritten, or entry {seq + 1} forged"
                self._report(a, seq, "inserted", detail)

    def _link(self, order: dict[int, int], first: int, second: int) -> bool | None:
        """Whether entry ``second`` points to entry ``first`` (GENESIS for 0, the head after
        the last); None when one of them is missing."""
        if second not in order:
            if self.head is None or self.head[0] != first or first not in order:
                return None
            return self.head[1] == self.rows[order[first]].hash
        prev = self.rows[order[second]].prev_hash
        if first == 0:
            return prev == GENESIS
        if first in order:
            return prev == self.rows[order[first]].hash
        return False if prev in self.by_hash or prev == GENESIS else None

    def _gaps(self, order: dict[int, int]) -> None:
        previous = 0
        for seq in sorted(t for t in order if order[t] not in self.after_head):
            if seq > previous + 1:
                known = self.rows[order[seq]].prev_hash in self.by_hash
                why = "another entry" if known else "a hash no entry has"
                detail = f"{_span(previous + 1, seq - 1)} missing: entry {seq} points to {why}"
                self._report(None, previous + 1, "deleted", detail)
            previous = seq


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
    return {_UNREADABLE: name}


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
