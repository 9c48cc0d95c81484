"""The audit journal's chain, pure: its entries, their hash, and where a tampered chain
breaks (``check_chain``) — without the database (``audit.py`` reads and appends).

Verification recomputes each row's hash at its seq. A row that fits only at another seq was
*reordered* (moved, renumbered, swapped with another row), one whose fields fit another row's
hash and links holds that row's contents (*reordered*, contents swapped), and one that fits
nowhere was *altered*. The rows are then put in the order their hashes bind them to: a seq no
row holds is *deleted* (the next entry points to a hash no entry has), a head beyond the last
entry means the journal was *truncated*, a self-consistent row that does not fit the chain is
*inserted* (forged, a copy, after the head, or rewritten with a fresh hash), and a head that
matches no entry, or another entry, is a *head* problem. Every tamper is reported, once, by
its most specific kind, with the entry's seq and a one-line detail that never shows
``before`` or ``after`` (they may hold personal data).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel

from catalog.database import as_utc
from catalog.json_text import canonical_json

GENESIS = "0" * 64
SEARCH = 256  # rows and free places tried when looking for where a moved entry came from
UNREADABLE = "\x00unreadable"  # stands for a stored value that no longer parses

Json = dict[str, Any] | list[Any] | None
Kind = Literal["altered", "deleted", "reordered", "inserted", "truncated", "head"]


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
        for i in sorted(unresolved)[:SEARCH]:
            after = [
                self.true[k] - 1 for k in self.by_prev.get(self.rows[i].hash, []) if k in self.true
            ]
            places = after + [self.rows[j].seq for j in sorted(unresolved)[:SEARCH]] + free
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
        """The first seqs (up to SEARCH) that no row holds."""
        free: list[int] = []
        previous = 0
        for entry in self.rows:
            free += range(previous + 1, min(entry.seq, previous + 1 + SEARCH - len(free)))
            previous = max(previous, entry.seq)
        return free

    def _swapped(self, altered: set[int]) -> None:
        """Altered rows: those holding another altered row's fields (swapped or copied)."""
        rows = sorted(altered)[:SEARCH]
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
