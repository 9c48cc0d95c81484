"""Which datasets each dataset reads from: the upstreams its latest ``upstreamLineage``
names, kept beside the aspects so that "is this dataset read by another?" is one indexed
lookup (the search index's "lineage known" for an upstream; see ``search_index``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, select

from catalog.bulk import chunks, insert_rows, select_in
from catalog.json_text import parse_json
from catalog.tables import aspects, dataset_upstreams


def upstream_datasets(lineage: Mapping[str, Any]) -> list[str]:
    """The upstream dataset URNs of an ``upstreamLineage`` value (parsed JSON)."""
    return [u["dataset"] for u in lineage.get("upstreams") or [] if u.get("dataset")]


def record(conn: Connection, lineage: Mapping[str, Sequence[str]]) -> set[str]:
    """Record the upstreams of each dataset in ``lineage`` (an empty list: it names none any
    more); return every upstream named before or now, whose "read by another" may change."""
    before: set[str] = set()
    for chunk in chunks(sorted(lineage)):
        where = dataset_upstreams.c.downstream.in_(chunk)
        before.update(conn.scalars(select(dataset_upstreams.c.upstream).where(where)))
        conn.execute(delete(dataset_upstreams).where(where))
    rows = sorted({(down, up) for down, ups in lineage.items() for up in ups})
    insert_rows(conn, dataset_upstreams, ("downstream", "upstream"), rows)
    return before | {up for _down, up in rows}


def read_by_others(conn: Connection, urns: Iterable[str]) -> set[str]:
    """Those of ``urns`` that some dataset names as an upstream."""
    urns = sorted(set(urns))
    rows = select_in(conn, dataset_upstreams, ("upstream",), "upstream", urns, distinct=True)
    return {upstream for (upstream,) in rows}


def rebuild(conn: Connection) -> int:
    """Derive the table again from every dataset's latest lineage; how many rows."""
    conn.execute(delete(dataset_upstreams))
    query = select(aspects.c.urn, aspects.c.metadata).where(
        aspects.c.version == 0, aspects.c.aspect == "upstreamLineage"
    )
    lineage = {urn: upstream_datasets(parse_json(value)) for urn, value in conn.execute(query)}
    record(conn, lineage)
    return sum(len(set(upstreams)) for upstreams in lineage.values())
