"""The versioned aspect store: DataHub's aspect table semantics on SQLite or PostgreSQL.

Each batch is one transaction under the writer lock. An aspect whose canonical JSON equals
the latest stored value is left alone, so re-running a recipe adds no versions. A changed
aspect moves its previous latest value to the next history version (1..N) and takes
version 0, keeping actor and time, as DataHub's own ``metadata_aspect_v2`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select, update

from catalog import search_index, stewarded, upstream_index
from catalog.aspect_values import AspectWrite, LatestValues, same_content
from catalog.bulk import chunks, insert_rows, select_in, update_rows
from catalog.database import Database
from catalog.entity_index import INDEXED_ASPECTS, entity_type, index_row
from catalog.json_patch import apply_patch
from catalog.json_text import canonical_json, parse_json
from catalog.models import BatchResult
from catalog.tables import aspects, entity_index

LINEAGE = frozenset({"upstreamLineage"})
STORED_COLUMNS = (
    aspects.c.metadata,
    aspects.c.systemmetadata,
    aspects.c.createdon,
    aspects.c.createdby,
)  # in _Stored's order
ASPECT_KEY = ("urn", "aspect", "version")
ASPECT_COLUMNS = (*ASPECT_KEY, *(c.name for c in STORED_COLUMNS))


class _Stored(NamedTuple):
    metadata: str
    systemmetadata: str | None
    createdon: datetime
    createdby: str


def _with_run(system_metadata: str | None, run_id: str | None) -> str | None:
    """System metadata that names the run which wrote the value."""
    if run_id is None:
        return system_metadata
    if system_metadata is None:
        return _run_only(run_id)
    data = parse_json(system_metadata)
    if data.get("runId") == run_id:
        return system_metadata
    return canonical_json(data | {"runId": run_id})


@cache
def _run_only(run_id: str) -> str:
    return canonical_json({"runId": run_id})


def _run_of(stored: _Stored) -> str | None:
    """The run that wrote a stored value, if one did."""
    if not stored.systemmetadata:
        return None
    run = parse_json(stored.systemmetadata).get("runId")
    return str(run) if run else None


def _patched(current: _Stored | None, write: AspectWrite) -> str:
    """The value a JSON Patch write gives, applied to the latest value (or to ``{}``)."""
    base = parse_json(current.metadata) if current is not None else {}
    return canonical_json(apply_patch(base, parse_json(write.value)))


class AspectStore:
    """Reads and writes versioned aspects and keeps the entity index in step."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def write_batch(
        self,
        writes: Sequence[AspectWrite],
        *,
        actor: str,
        run_id: str | None = None,
        also: Callable[[Connection], None] | None = None,
    ) -> BatchResult:
        """Write ``writes`` in one transaction; return how many aspects changed.

        Writes to one aspect within the batch fold into one value (patches applied in
        order). A run creates at most one version per aspect: writing an aspect the same
        run already changed amends that version, or undoes it when the value is back to
        what it was before the run (DataHub sources may upsert an aspect and patch it at
        the end of the stream). ``also`` runs in the same transaction (a derived table's
        row that must land with the aspects or not at all).
        """
        if not writes and also is None:
            return BatchResult()
        now = datetime.now(UTC)
        urns = sorted({w.urn for w in writes})
        with self.database.write() as conn:
            state = self._latest(conn, urns)
            final: dict[tuple[str, str], _Stored] = {}
            for w in writes:
                key = (w.urn, w.aspect)
                base = final.get(key) or state.get(key)
                value = _patched(base, w) if w.patch else w.value
                final[key] = _Stored(value, _with_run(w.system_metadata, run_id), now, actor)
            result, changed = self._apply(conn, final, state, run_id)
            values = LatestValues(((key, s.metadata) for key, s in state.items()), writes)
            self._refresh_index(conn, urns, values, now, run_id)
            self._refresh_search(conn, changed, values)
            if also is not None:
                also(conn)
        return result.model_copy(update={"entities": len(urns)})

    def _apply(
        self,
        conn: Connection,
        final: dict[tuple[str, str], _Stored],
        state: dict[tuple[str, str], _Stored],
        run_id: str | None,
    ) -> tuple[BatchResult, set[tuple[str, str]]]:
        """Turn each aspect's final value into an insert, a new version, an amend or an undo;
        return the counts and the (urn, aspect) keys whose latest value changed.

        An ingestion run leaves a steward's edit alone (``stewarded.is_edit``)."""
        written = unchanged = undone = 0
        inserts, pushes, updates, restores = [], [], [], []
        for key, new in sorted(final.items()):
            stored = state.get(key)
            if stored is None:
                inserts.append((key, new))
            elif same_content(key[1], stored.metadata, new.metadata) or (
                run_id is not None
                and key[1] in stewarded.EDITABLE_ASPECTS
                and stewarded.is_edit(stored.systemmetadata)
            ):
                unchanged += 1
                continue
            elif run_id is not None and _run_of(stored) == run_id:
                before = self._top_history(conn, key)
                if before is not None and same_content(key[1], before[1].metadata, new.metadata):
                    restores.append((key, before))
                    state[key] = before[1]
                    undone += 1
                    continue
                updates.append((key, new))
            else:
                pushes.append((key, stored))
                updates.append((key, new))
                written += 1
            state[key] = new
        written += len(inserts)
        self._write_history(conn, pushes)
        self._write_latest(conn, inserts, updates)
        self._restore(conn, restores)
        changed = {key for key, _ in inserts + updates} | {key for key, _ in restores}
        return BatchResult(written=written - undone, unchanged=unchanged + undone), changed

    def _latest(self, conn: Connection, urns: Sequence[str]) -> dict[tuple[str, str], _Stored]:
        columns = ("urn", "aspect", *_Stored._fields)
        rows = select_in(conn, aspects, columns, "urn", urns, version=0)
        return {(urn, aspect): _Stored(*rest) for urn, aspect, *rest in rows}

    def _write_history(
        self, conn: Connection, pushes: list[tuple[tuple[str, str], _Stored]]
    ) -> None:
        if not pushes:
            return
        versions = self._max_versions(conn, sorted({key[0] for key, _ in pushes}))
        rows = [
            (urn, aspect, versions.get((urn, aspect), 0) + 1, *stored)
            for (urn, aspect), stored in pushes
        ]
        insert_rows(conn, aspects, ASPECT_COLUMNS, rows)

    def _top_history(self, conn: Connection, key: tuple[str, str]) -> tuple[int, _Stored] | None:
        """The newest history version of an aspect (its value before the latest)."""
        query = (
            select(aspects.c.version, *STORED_COLUMNS)
            .where(aspects.c.urn == key[0], aspects.c.aspect == key[1], aspects.c.version > 0)
            .order_by(aspects.c.version.desc())
            .limit(1)
        )
        row = conn.execute(query).first()
        return (row[0], _Stored(*row[1:])) if row else None

    def _restore(
        self, conn: Connection, restores: list[tuple[tuple[str, str], tuple[int, _Stored]]]
    ) -> None:
        """Undo a run's version: the newest history value becomes the latest again."""
        for (urn, aspect), (version, stored) in restores:
            conn.execute(
                update(aspects)
                .where(aspects.c.urn == urn, aspects.c.aspect == aspect, aspects.c.version == 0)
                .values(**stored._asdict())
            )
            conn.execute(
                aspects.delete().where(
                    aspects.c.urn == urn, aspects.c.aspect == aspect, aspects.c.version == version
                )
            )

    def _max_versions(self, conn: Connection, urns: Sequence[str]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for chunk in chunks(urns):
            query = (
                select(aspects.c.urn, aspects.c.aspect, func.max(aspects.c.version))
                .where(aspects.c.urn.in_(chunk))
                .group_by(aspects.c.urn, aspects.c.aspect)
            )
            found.update({(u, a): v for u, a, v in conn.execute(query)})
        return found

    def _write_latest(
        self,
        conn: Connection,
        inserts: list[tuple[tuple[str, str], _Stored]],
        updates: list[tuple[tuple[str, str], _Stored]],
    ) -> None:
        rows = [(urn, aspect, 0, *new) for (urn, aspect), new in inserts]
        insert_rows(conn, aspects, ASPECT_COLUMNS, rows)
        changes = [(*new, urn, aspect, 0) for (urn, aspect), new in updates]
        update_rows(conn, aspects, ASPECT_KEY, _Stored._fields, changes)

    def _refresh_index(
        self,
        conn: Connection,
        urns: Sequence[str],
        values: LatestValues,
        now: datetime,
        run_id: str | None,
    ) -> None:
        known = {urn for (urn,) in select_in(conn, entity_index, ("urn",), "urn", urns)}
        inserts, updates = [], []
        for urn in urns:
            row = index_row(urn, values.of(urn, INDEXED_ASPECTS))
            row |= {"last_seen": now, "last_run_id": run_id}
            if urn in known and run_id is None:  # an edit: last_seen stays the last run's
                del row["last_seen"], row["last_run_id"]
            if urn in known:
                row["urn"] = row.pop("urn")  # the key goes last
                updates.append(row)
            else:
                inserts.append(row | {"first_seen": now})
        if inserts:
            columns = list(inserts[0])
            insert_rows(conn, entity_index, columns, [tuple(r.values()) for r in inserts])
        if updates:
            columns = [c for c in updates[0] if c != "urn"]
            rows = [tuple(r.values()) for r in updates]
            update_rows(conn, entity_index, ["urn"], columns, rows)

    def _refresh_search(
        self, conn: Connection, changed: set[tuple[str, str]], values: LatestValues
    ) -> None:
        """Re-index the datasets whose searchable aspects changed, those the batch's lineage
        names or stopped naming, and those showing a name the batch changed, in this
        transaction (the index is the last to read the values: they are not kept once a
        chunk is indexed)."""
        lineage = {
            urn: upstream_index.upstream_datasets(values.of(urn, LINEAGE)["upstreamLineage"])
            for urn, aspect in changed
            if aspect == "upstreamLineage"
        }
        touched = upstream_index.record(conn, lineage) if lineage else set()
        renamed = {urn for urn, aspect in changed if aspect in search_index.NAME_ASPECTS}
        if renamed:
            touched |= search_index.showing_names_of(conn, renamed)
        datasets = {
            urn
            for urn, aspect in changed
            if aspect in search_index.SEARCH_ASPECTS and entity_type(urn) == "dataset"
        }
        if not datasets and not touched:
            return
        # the schemas whose columns the ingesting process read are not parsed here
        known = {urn: facts for urn in datasets if (facts := values.column_facts(urn))}
        search_index.refresh_after_write(
            conn,
            list(datasets),
            lambda urn: values.of(
                urn,
                search_index.ASPECTS_BUT_SCHEMA if urn in known else search_index.SEARCH_ASPECTS,
                keep=False,
            ),
            touched,
            known,
        )

    # Reading ---------------------------------------------------------------------------

    def latest(self, urn: str) -> dict[str, str]:
        """The latest aspects of ``urn``, by name, as canonical JSON."""
        with self.database.read() as conn:
            query = select(aspects.c.aspect, aspects.c.metadata).where(
                aspects.c.urn == urn, aspects.c.version == 0
            )
            return dict(conn.execute(query).tuples().all())

    def latest_aspect(self, urn: str, aspect: str) -> str | None:
        """The latest value of one aspect as canonical JSON, or None."""
        with self.database.read() as conn:
            query = select(aspects.c.metadata).where(
                aspects.c.urn == urn, aspects.c.aspect == aspect, aspects.c.version == 0
            )
            return conn.scalar(query)

    def latest_values(self, urns: Iterable[str], aspect: str) -> dict[str, str]:
        """The latest value of one aspect (canonical JSON) of each of ``urns`` holding it."""
        with self.database.read() as conn:
            found = select_in(
                conn,
                aspects,
                ("urn", "metadata"),
                "urn",
                sorted(set(urns)),
                aspect=aspect,
                version=0,
            )
        return dict(found)

    def latest_of(self, aspect: str) -> list[tuple[str, str]]:
        """(urn, canonical JSON) of every entity's latest value of one aspect, by URN (the
        same order on every database)."""
        with self.database.read() as conn:
            query = (
                select(aspects.c.urn, aspects.c.metadata)
                .where(aspects.c.aspect == aspect, aspects.c.version == 0)
                .order_by(aspects.c.urn)
            )
            return [(urn, value) for urn, value in conn.execute(query).tuples()]

    def version_counts(self, urn: str) -> dict[str, int]:
        """How many versions (latest included) each aspect of ``urn`` has."""
        with self.database.read() as conn:
            query = (
                select(aspects.c.aspect, func.count())
                .where(aspects.c.urn == urn)
                .group_by(aspects.c.aspect)
            )
            return dict(conn.execute(query).tuples().all())

    def history(self, urn: str, aspect: str) -> list[dict[str, Any]]:
        """Every version of one aspect, newest first (version 0, then N down to 1)."""
        with self.database.read() as conn:
            query = select(
                aspects.c.version, aspects.c.metadata, aspects.c.createdon, aspects.c.createdby
            ).where(aspects.c.urn == urn, aspects.c.aspect == aspect)
            rows = [r._asdict() for r in conn.execute(query)]
        return sorted(rows, key=lambda r: (r["version"] != 0, -r["version"]))

    def iter_latest(self, batch: int = 2000) -> Iterable[tuple[str, str, str, str | None]]:
        """Every latest aspect (urn, aspect, metadata, systemmetadata), in URN order."""
        with self.database.read() as conn:
            query = (
                select(
                    aspects.c.urn, aspects.c.aspect, aspects.c.metadata, aspects.c.systemmetadata
                )
                .where(aspects.c.version == 0)
                .order_by(aspects.c.urn, aspects.c.aspect)
                .execution_options(yield_per=batch)
            )
            for row in conn.execute(query):
                yield row.tuple()
