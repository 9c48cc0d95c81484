"""The audit journal: a chain that verifies, one transaction with the change it records,
tampering found with its kind and seq (pure, then with plain SQL on SQLite and PostgreSQL),
concurrent appends, and no personal data in what verification says."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from catalog.json_text import canonical_json
from catalog.service import Catalog
from ethics_review.audit import (
    GENESIS,
    AuditEntry,
    AuditError,
    AuditJournal,
    check_chain,
    entry_hash,
)
from ethics_review.tables import review_requests

SECRET = "Zoé-Ÿ-SECRET-4242"  # a distinctive value no problem detail may ever show
START = datetime(2025, 3, 1, 8, 30, 0, 123456, tzinfo=UTC)
N = 10


def _payload(seq: int) -> dict[str, Any]:
    return {
        "actor": f"agent{seq % 3}",
        "role": "steward" if seq % 2 else "privacy_officer",
        "action": "approve" if seq % 4 == 0 else "edit",
        "subject": f"request/R-{seq % 3}",
        "before": {"nom": f"{SECRET} avant {seq}", "état": "brouillon"},
        "after": {"nom": f"{SECRET} après {seq}", "état": "soumis", "n": [seq, 1.5]},
    }


def _forged(seq: int, prev: str, at: datetime = START, **changes: Any) -> AuditEntry:
    """An entry with a self-consistent hash, as anyone knowing the algorithm could make."""
    fields = {**_payload(seq), **changes}
    digest = entry_hash(prev, seq, at, **fields)
    return AuditEntry(seq=seq, recorded_on=at, prev_hash=prev, hash=digest, **fields)


def _chain(n: int = N) -> tuple[list[AuditEntry], tuple[int, str]]:
    entries: list[AuditEntry] = []
    for seq in range(1, n + 1):
        prev = entries[-1].hash if entries else GENESIS
        entries.append(_forged(seq, prev, START + timedelta(minutes=seq)))
    return entries, (n, entries[-1].hash)


def _found(problems: list[Any]) -> set[tuple[str, int | None]]:
    return {(p.kind, p.seq) for p in problems}


# --- the chain, pure ------------------------------------------------------------------------

Entries = list[AuditEntry]
Head = tuple[int, str] | None


def _at(entries: Entries, seq: int) -> int:
    return next(i for i, e in enumerate(entries) if e.seq == seq)


def _set(entries: Entries, seq: int, **changes: Any) -> Entries:
    i = _at(entries, seq)
    return [*entries[:i], entries[i].model_copy(update=changes), *entries[i + 1 :]]


def _swap_rows(entries: Entries, a: int, b: int) -> Entries:
    swap = {a: b, b: a}
    return [e.model_copy(update={"seq": swap.get(e.seq, e.seq)}) for e in entries]


def _swap_fields(entries: Entries, a: int, b: int) -> Entries:
    keys = ("recorded_on", "actor", "role", "action", "subject", "before", "after")
    first, second = entries[_at(entries, a)], entries[_at(entries, b)]
    moved = _set(entries, a, **{k: getattr(second, k) for k in keys})
    return _set(moved, b, **{k: getattr(first, k) for k in keys})


def _close_gap(entries: Entries, seq: int) -> Entries:
    return [e.model_copy(update={"seq": e.seq - 1}) if e.seq > seq else e for e in entries]


def _h(entries: Entries, seq: int) -> str:
    return entries[_at(entries, seq)].hash


def _replace(entries: Entries, seq: int, prev: str, **changes: Any) -> Entries:
    """Entry ``seq`` replaced by a forged one, self-consistent, after ``prev``."""
    return _set(entries, seq, **_forged(seq, prev, **changes).model_dump(exclude={"seq"}))


TAMPERS: dict[str, tuple[Callable[[Entries, Head], tuple[Entries, Head]], set[Any]]] = {
    "intact": (lambda e, h: (e, h), set()),
    "field changed": (lambda e, h: (_set(e, 4, actor="mallory"), h), {("altered", 4)}),
    "after changed": (lambda e, h: (_set(e, 4, after={"état": "x"}), h), {("altered", 4)}),
    "time changed": (
        lambda e, h: (_set(e, 4, recorded_on=START), h),
        {("altered", 4)},
    ),
    "hash changed": (lambda e, h: (_set(e, 4, hash="a" * 64), h), {("altered", 4)}),
    "prev_hash changed": (lambda e, h: (_set(e, 4, prev_hash="b" * 64), h), {("altered", 4)}),
    "middle deleted": (lambda e, h: ([x for x in e if x.seq != 5], h), {("deleted", 5)}),
    "two deleted": (lambda e, h: ([x for x in e if x.seq not in (5, 6)], h), {("deleted", 5)}),
    "first deleted": (lambda e, h: (e[1:], h), {("deleted", 1)}),
    "last deleted": (lambda e, h: (e[:-3], h), {("truncated", 8)}),
    "all deleted": (lambda e, h: ([], h), {("truncated", 1)}),
    "rows swapped": (lambda e, h: (_swap_rows(e, 3, 6), h), {("reordered", 3), ("reordered", 6)}),
    "last rows swapped": (
        lambda e, h: (_swap_rows(e, 9, 10), h),
        {("reordered", 9), ("reordered", 10)},
    ),
    "fields swapped": (
        lambda e, h: (_swap_fields(e, 3, 6), h),
        {("reordered", 3), ("reordered", 6)},
    ),
    "renumbered": (lambda e, h: (_swap_rows(e, 5, 40), h), {("reordered", 40)}),
    "all renumbered": (
        lambda e, h: ([x.model_copy(update={"seq": x.seq + 100}) for x in e], h),
        {("reordered", s) for s in range(101, 111)},
    ),
    "deleted, gap closed": (
        lambda e, h: (_close_gap([x for x in e if x.seq != 5], 5), h),
        {("deleted", 5)} | {("reordered", s) for s in range(5, 10)},
    ),
    "forged after the head": (
        lambda e, h: ([*e, _forged(11, e[-1].hash)], h),
        {("inserted", 11)},
    ),
    "forged after, wrong prev": (
        lambda e, h: ([*e, _forged(11, GENESIS)], h),
        {("inserted", 11)},
    ),
    "forged far after": (lambda e, h: ([*e, _forged(50, e[-1].hash)], h), {("inserted", 50)}),
    "forged with the head moved": (
        lambda e, h: ([*e, f := _forged(11, "c" * 64)], (11, f.hash)),
        {("inserted", 10)},  # entry 11 does not point to 10: either may be the forgery
    ),
    "forged in place": (
        lambda e, h: (_replace(e, 4, _h(e, 3), actor="mallory"), h),
        {("inserted", 4)},
    ),
    "forged in place, wrong prev": (
        lambda e, h: (_replace(e, 4, "d" * 64), h),
        {("inserted", 4)},
    ),
    "two forged in place, wrong prevs": (
        lambda e, h: (_replace(_replace(e, 4, "d" * 64), 5, "d" * 64), h),
        {("inserted", 4), ("inserted", 5)},
    ),
    "forged before 1": (lambda e, h: ([_forged(0, GENESIS), *e], h), {("inserted", 0)}),
    "copy": (
        lambda e, h: ([*e, e[2].model_copy(update={"seq": 11})], h),
        {("inserted", 11)},
    ),
    "last rewritten": (lambda e, h: (_replace(e, 10, _h(e, 9), actor="x"), h), {("head", 10)}),
    "head hash changed": (lambda e, h: (e, (N, "e" * 64)), {("head", 10)}),
    "head seq changed": (lambda e, h: (e, (12, e[-1].hash)), {("head", 12)}),
    "head missing": (lambda e, h: (e, None), {("head", None)}),
    "head set back": (
        lambda e, h: (e, (7, _h(e, 7))),
        {("inserted", 8), ("inserted", 9), ("inserted", 10)},
    ),
    "head behind, unknown hash": (lambda e, h: (e, (7, "f" * 64)), {("head", 7)}),
    "several": (
        lambda e, h: (
            _swap_rows([x for x in _set(e, 2, actor="m") if x.seq not in (5, 10)], 7, 8),
            h,
        ),
        {("altered", 2), ("deleted", 5), ("reordered", 7), ("reordered", 8), ("truncated", 10)},
    ),
}


@pytest.mark.parametrize("name", TAMPERS)
def test_check_chain_names_each_tamper(name: str) -> None:
    tamper, expected = TAMPERS[name]
    entries, head = tamper(*_chain())
    problems = check_chain(entries, head)
    assert _found(problems) == expected
    for problem in problems:
        assert SECRET not in problem.detail and "avant" not in problem.detail


def test_details_say_what_each_problem_means() -> None:
    entries, head = _chain()
    entries = _replace([x for x in entries if x.seq != 7], 4, _h(entries, 3), actor="m")
    details = {p.seq: p.detail for p in check_chain(entries, head)}
    assert details == {
        4: "entry 4 is self-consistent but entry 5 points elsewhere: entry 4 was rewritten, "
        "or forged in its place",
        7: "entry 7 is missing: entry 8 points to a hash no entry has",
    }
    moved = [*entries, f := _forged(11, "c" * 64)]
    last = check_chain(moved, (11, f.hash))[-1]
    assert last.detail.endswith("entry 10 was rewritten, or entry 11 forged")


def test_a_rewritten_chain_verifies_but_breaks_its_published_anchor() -> None:
    entries, head = _chain()
    anchor = (7, _h(entries, 7))  # published, e.g. in a decision record, when the head was 7
    rewritten = entries[:2]
    for seq in range(3, N + 1):
        rewritten.append(_forged(seq, rewritten[-1].hash, actor="mallory"))
    assert check_chain(rewritten, (N, rewritten[-1].hash)) == []  # the chain alone: consistent
    assert _h(rewritten, anchor[0]) != anchor[1]  # the anchor: rewritten from entry 7 or before


def test_the_order_given_does_not_matter() -> None:
    entries, head = _chain()
    assert check_chain(list(reversed(entries)), head) == []


def test_an_empty_journal_without_head_verifies() -> None:
    assert check_chain([], None) == []


def test_entry_hash_covers_every_field_and_reads_times_in_utc() -> None:
    base = _forged(3, "1" * 64)
    fields = dict(prev_hash=base.prev_hash, seq=3, recorded_on=START, **_payload(3))
    assert entry_hash(**fields) == base.hash
    quebec = START.astimezone(timezone(timedelta(hours=-5)))
    assert entry_hash(**{**fields, "recorded_on": quebec}) == base.hash
    assert entry_hash(**{**fields, "recorded_on": START.replace(tzinfo=None)}) == base.hash
    for name, value in [
        ("prev_hash", "2" * 64),
        ("seq", 4),
        ("recorded_on", START + timedelta(microseconds=1)),
        ("actor", "other"),
        ("role", "other"),
        ("action", "other"),
        ("subject", "other"),
        ("before", None),
        ("after", {"état": "soumis"}),
    ]:
        assert entry_hash(**{**fields, name: value}) != base.hash, name


# --- the journal in the database ------------------------------------------------------------


@pytest.fixture
def journal(any_catalog_url: str) -> Iterator[AuditJournal]:
    """A catalogue with N entries recorded through the journal."""
    catalog = Catalog.open(any_catalog_url)
    journal = AuditJournal(catalog.database)
    for seq in range(1, N + 1):
        journal.record(**_payload(seq), at=START + timedelta(minutes=seq))
    yield journal
    catalog.close()


def _sql(journal: AuditJournal, statement: str, **params: Any) -> None:
    """Tamper the way someone with a database client would: plain SQL, committed."""
    with journal.database.engine.begin() as conn:
        conn.execute(text(statement), params)


def _row(journal: AuditJournal, seq: int) -> dict[str, Any]:
    with journal.database.engine.connect() as conn:
        query = text("SELECT * FROM audit_journal WHERE seq = :seq")
        return dict(conn.execute(query, {"seq": seq}).one()._mapping)


def _insert(journal: AuditJournal, entry: AuditEntry) -> None:
    """INSERT a row as the journal would store it (times as each backend keeps them)."""
    row = entry.model_dump()
    row["before"], row["after"] = (
        canonical_json(v) if v else None for v in (entry.before, entry.after)
    )
    if journal.database.backend == "sqlite":
        row["recorded_on"] = entry.recorded_on.replace(tzinfo=None).isoformat(sep=" ")
    _sql(
        journal,
        'INSERT INTO audit_journal (seq, recorded_on, actor, role, action, subject, "before", '
        '"after", prev_hash, hash) VALUES (:seq, :recorded_on, :actor, :role, :action, '
        ":subject, :before, :after, :prev_hash, :hash)",
        **row,
    )


def test_appended_entries_verify_and_read_back(journal: AuditJournal) -> None:
    result = journal.verify()
    assert result.ok and result.problems == [] and result.entries == N
    entries = journal.entries()
    assert [e.seq for e in entries] == list(range(1, N + 1))
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert (result.head_seq, result.head_hash) == (N, entries[-1].hash)
    fifth = entries[4]
    assert fifth.before == _payload(5)["before"] and fifth.after == _payload(5)["after"]
    assert fifth.recorded_on == START + timedelta(minutes=5)
    assert fifth.recorded_on.utcoffset() == timedelta(0)


def test_entries_filter_by_subject_and_keep_the_latest(journal: AuditJournal) -> None:
    on_one = journal.entries(subject="request/R-1")
    assert [e.seq for e in on_one] == [1, 4, 7, 10]
    assert [e.seq for e in journal.entries(subject="request/R-1", limit=2)] == [7, 10]
    assert [e.seq for e in journal.entries(limit=3)] == [8, 9, 10]
    assert journal.entries(subject="nothing") == []


def test_append_returns_what_is_stored(journal: AuditJournal) -> None:
    quebec = timezone(timedelta(hours=-4))
    at = datetime(2025, 6, 1, 9, 0, 0, 654321, tzinfo=quebec)
    made = journal.record(
        actor="rprp",
        role="privacy_officer",
        action="décider",
        subject="request/R-9",
        before=None,
        after={"décision": "approuvée", "conditions": ["dépersonnaliser", 3]},
        at=at,
    )
    assert made.seq == N + 1 and made.recorded_on == at and made.recorded_on.tzinfo == UTC
    assert journal.entries(subject="request/R-9") == [made]
    assert journal.verify().ok


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"actor": "x" * 101}, "actor is longer than 100"),
        ({"subject": ""}, "needs a subject"),
        ({"before": {"when": datetime(2025, 1, 1)}}, "before is not JSON"),
        ({"after": "a bare string"}, "after is neither an object nor a list"),
    ],
)
def test_bad_entries_are_refused_alike_on_both_backends(
    journal: AuditJournal, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(AuditError, match=message):
        journal.record(**{**_payload(1), **changes})
    assert journal.verify().entries == N


def test_a_change_and_its_entry_commit_or_roll_back_together(any_catalog_url: str) -> None:
    catalog = Catalog.open(any_catalog_url)
    journal = AuditJournal(catalog.database)
    now = datetime.now(UTC)
    request = {"kind": "dataset_access", "title": "t", "requester": "u", "state": "draft"}
    request |= {"document": "{}", "version": 1, "created_on": now, "updated_on": now}

    def change(conn: Any, id_: str) -> None:
        conn.execute(insert(review_requests).values(id=id_, **request))
        journal.append(conn, **{**_payload(1), "subject": f"request/{id_}"})

    with catalog.database.write() as conn:
        change(conn, "R-1")
    with pytest.raises(RuntimeError), catalog.database.write() as conn:
        change(conn, "R-2")
        raise RuntimeError("after the entry, before the commit")
    with catalog.database.read() as conn:
        ids = conn.execute(select(review_requests.c.id)).scalars().all()
    assert ids == ["R-1"]
    assert [e.subject for e in journal.entries()] == ["request/R-1"]
    result = journal.verify()
    assert result.ok and result.head_seq == 1
    catalog.close()


def _swap_contents(journal: AuditJournal, a: int, b: int) -> None:
    """Swap what two rows say (their hashes and links stay where they were)."""
    first, second = _row(journal, a), _row(journal, b)
    columns = ("recorded_on", "actor", "role", "action", "subject", "before", "after")
    for seq, source in ((a, second), (b, first)):
        assignments = ", ".join(f'"{c}" = :{c}' for c in columns)
        values = {c: source[c] for c in columns}
        _sql(journal, f"UPDATE audit_journal SET {assignments} WHERE seq = :seq", seq=seq, **values)


def _swap_rows_sql(journal: AuditJournal, a: int, b: int) -> None:
    _sql(journal, "UPDATE audit_journal SET seq = -1 WHERE seq = :a", a=a)
    _sql(journal, "UPDATE audit_journal SET seq = :a WHERE seq = :b", a=a, b=b)
    _sql(journal, "UPDATE audit_journal SET seq = :b WHERE seq = -1", b=b)


def _forge_in_place(journal: AuditJournal, seq: int) -> None:
    prev = _row(journal, seq - 1)["hash"]
    _sql(journal, "DELETE FROM audit_journal WHERE seq = :seq", seq=seq)
    _insert(journal, _forged(seq, prev, actor="mallory"))


def _rewrite_last(journal: AuditJournal) -> None:
    last = journal.entries()[-1]
    forged = _forged(N, last.prev_hash, last.recorded_on, actor="mallory")
    statement = "UPDATE audit_journal SET actor = 'mallory', hash = :h WHERE seq = :s"
    _sql(journal, statement, h=forged.hash, s=N)


def _delete_and_renumber(journal: AuditJournal) -> None:
    """Delete entry 5 and close the gap (in two steps: seq is a primary key)."""
    _sql(journal, "DELETE FROM audit_journal WHERE seq = 5")
    _sql(journal, "UPDATE audit_journal SET seq = -seq WHERE seq > 5")
    _sql(journal, "UPDATE audit_journal SET seq = -seq - 1 WHERE seq < 0")


SQL_TAMPERS: dict[str, tuple[Callable[[AuditJournal], None], set[Any]]] = {
    "field updated": (
        lambda j: _sql(j, "UPDATE audit_journal SET actor = 'mallory' WHERE seq = 4"),
        {("altered", 4)},
    ),
    "after updated": (
        lambda j: _sql(j, 'UPDATE audit_journal SET "after" = :v WHERE seq = 6', v='{"a":1}'),
        {("altered", 6)},
    ),
    "time updated": (
        lambda j: _sql(j, "UPDATE audit_journal SET recorded_on = :t WHERE seq = 3", t=START),
        {("altered", 3)},
    ),
    "middle row deleted": (
        lambda j: _sql(j, "DELETE FROM audit_journal WHERE seq = 5"),
        {("deleted", 5)},
    ),
    "last rows deleted": (
        lambda j: _sql(j, "DELETE FROM audit_journal WHERE seq > 7"),
        {("truncated", 8)},
    ),
    "rows swapped": (lambda j: _swap_rows_sql(j, 3, 6), {("reordered", 3), ("reordered", 6)}),
    "contents swapped": (
        lambda j: _swap_contents(j, 3, 6),
        {("reordered", 3), ("reordered", 6)},
    ),
    "renumbered": (
        lambda j: _sql(j, "UPDATE audit_journal SET seq = 40 WHERE seq = 5"),
        {("reordered", 40)},
    ),
    "deleted then renumbered": (
        _delete_and_renumber,
        {("deleted", 5)} | {("reordered", s) for s in range(5, 10)},
    ),
    "forged row inserted": (
        lambda j: _insert(j, _forged(N + 1, _row(j, N)["hash"])),
        {("inserted", N + 1)},
    ),
    "forged row in place": (lambda j: _forge_in_place(j, 4), {("inserted", 4)}),
    "copy inserted": (
        lambda j: _insert(j, j.entries()[2].model_copy(update={"seq": N + 1})),
        {("inserted", N + 1)},
    ),
    "last entry rewritten": (_rewrite_last, {("head", N)}),
    "head hash changed": (
        lambda j: _sql(j, "UPDATE audit_head SET hash = :h", h="e" * 64),
        {("head", N)},
    ),
    "head seq changed": (lambda j: _sql(j, "UPDATE audit_head SET seq = 12"), {("head", 12)}),
    "head deleted": (lambda j: _sql(j, "DELETE FROM audit_head"), {("head", None)}),
}


@pytest.mark.parametrize("name", SQL_TAMPERS)
def test_tampering_with_sql_is_found(journal: AuditJournal, name: str) -> None:
    tamper, expected = SQL_TAMPERS[name]
    tamper(journal)
    result = journal.verify()
    assert not result.ok
    assert _found(result.problems) == expected, result.problems


def test_several_tampers_are_all_reported(journal: AuditJournal) -> None:
    _sql(journal, "UPDATE audit_journal SET subject = 'request/R-0' WHERE seq = 2")
    _sql(journal, "DELETE FROM audit_journal WHERE seq = 4")
    _swap_rows_sql(journal, 6, 7)
    _sql(journal, "DELETE FROM audit_journal WHERE seq = 10")
    result = journal.verify()
    assert _found(result.problems) == {
        ("altered", 2),
        ("deleted", 4),
        ("reordered", 6),
        ("reordered", 7),
        ("truncated", 10),
    }
    assert [p.seq for p in result.problems] == [2, 4, 6, 7, 10]


def test_unreadable_stored_values_are_reported_as_altered(journal: AuditJournal) -> None:
    _sql(journal, """UPDATE audit_journal SET "before" = 'pas du JSON' WHERE seq = 2""")
    _sql(journal, """UPDATE audit_journal SET "after" = '"texte"' WHERE seq = 3""")
    result = journal.verify()
    assert _found(result.problems) == {("altered", 2), ("altered", 3)}
    assert "before no longer parses" in result.problems[0].detail
    assert "after no longer parses" in result.problems[1].detail


def test_problem_details_never_show_before_or_after(journal: AuditJournal) -> None:
    for name in ("after updated", "contents swapped", "forged row in place", "copy inserted"):
        SQL_TAMPERS[name][0](journal)
    _sql(journal, """UPDATE audit_journal SET "before" = :v WHERE seq = 9""", v=f"{{{SECRET}")
    result = journal.verify()
    assert len(result.problems) >= 5
    shown = result.model_dump_json()
    assert SECRET not in shown and "avant" not in shown and "après" not in shown


def test_sqlite_values_of_the_wrong_type_are_reported(sqlite_url: str) -> None:
    catalog = Catalog.open(sqlite_url)
    journal = AuditJournal(catalog.database)
    for seq in range(1, 6):
        journal.record(**_payload(seq), at=START + timedelta(minutes=seq))
    _sql(journal, "UPDATE audit_journal SET recorded_on = 'hier' WHERE seq = 2")
    _sql(journal, "UPDATE audit_journal SET seq = 'trois' WHERE seq = 3")
    _sql(journal, "UPDATE audit_head SET seq = 'cinq'")
    result = journal.verify()
    assert _found(result.problems) == {
        ("altered", None),
        ("head", None),
        ("altered", 2),
        ("deleted", 3),
    }
    assert "recorded_on no longer parses" in result.problems[-2].detail
    catalog.close()


def test_appending_after_a_forged_row_is_refused(journal: AuditJournal) -> None:
    _insert(journal, _forged(N + 1, _row(journal, N)["hash"]))
    with pytest.raises(AuditError, match="an entry after its head"):
        journal.record(**_payload(1))
    _sql(journal, "DELETE FROM audit_head")
    with pytest.raises(AuditError, match="entries but no head"):
        journal.record(**_payload(1))


@pytest.mark.parametrize("engines", ["shared", "one each"])
def test_concurrent_appends_lose_and_double_nothing(any_catalog_url: str, engines: str) -> None:
    threads, each = 6, 15
    count = threads if engines == "one each" else 1
    catalogs = [Catalog.open(any_catalog_url) for _ in range(count)]
    journals = [AuditJournal(catalogs[n % count].database) for n in range(threads)]
    start = threading.Barrier(threads)

    def work(n: int) -> list[int]:
        start.wait()
        return [journals[n].record(**{**_payload(k), "actor": f"t{n}"}).seq for k in range(each)]

    checks = 0
    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(work, n) for n in range(threads)]
        while not all(f.done() for f in futures) or checks == 0:
            verified = journals[0].verify()  # a snapshot: never a head ahead of its rows
            assert verified.ok, verified.problems
            checks += 1
        seqs = sorted(s for f in futures for s in f.result())
    assert seqs == list(range(1, threads * each + 1))
    result = journals[0].verify()
    assert result.ok and result.entries == threads * each and result.head_seq == threads * each
    with catalogs[0].database.read() as conn:
        query = text("SELECT actor, count(*) FROM audit_journal GROUP BY actor")
        per_actor = dict(conn.execute(query).all())
    assert per_actor == {f"t{n}": each for n in range(threads)}
    for catalog in catalogs:
        catalog.close()


def test_nothing_in_the_package_updates_or_deletes_journal_rows() -> None:
    package = Path(__file__).parents[2] / "ethics_review"
    pattern = re.compile(
        r"(update|delete)\(\s*audit_journal|(UPDATE|DELETE\s+FROM)\s+\"?audit_journal", re.I
    )
    offenders = [p.name for p in package.rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []
