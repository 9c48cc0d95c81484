"""Lineage through temporary tables: what a script or session reads, seen from what it keeps.

A temporary table lives only during its script or session, so the catalogue must not show
it; the lineage through it must still be kept. Each statement that reads a temporary table
gets, in place of the table, the columns that fed it, with the edge kinds composed
(``AVG`` into a temporary table, then ``ROUND`` out of it, is an aggregation). Filters that
shaped the temporary table shape whatever is made from it.
"""

from __future__ import annotations

from collections import defaultdict

from lineage.models import ColumnEdge, EdgeKind, StatementLineage, unique_edges


def compose(first: EdgeKind, then: EdgeKind) -> EdgeKind:
    """The kind of an edge that goes through two steps.

    >>> compose("aggregation", "transformation")
    'aggregation'
    >>> compose("copy", "copy")
    'copy'
    >>> compose("copy", "transformation")
    'transformation'
    """
    if "filter_join" in (first, then):
        return "filter_join"
    if "aggregation" in (first, then):
        return "aggregation"
    return "copy" if first == then == "copy" else "transformation"


def resolve_temporary_tables(statements: list[StatementLineage]) -> list[StatementLineage]:
    """The statements of one script or session, rewritten over permanent tables only.

    Statements that only fill temporary tables are left out of the result."""
    temporary = {urn for s in statements for urn in s.temporary_outputs}
    feeds: dict[str, list[ColumnEdge]] = defaultdict(list)  # temp table -> edges into it
    inputs_of: dict[str, set[str]] = defaultdict(set)
    resolved = []
    for statement in statements:
        edges = _through(statement.columns, temporary, feeds)
        inputs = set()
        for urn in statement.inputs:
            inputs |= inputs_of[urn] if urn in temporary else {urn}
        kept_outputs = [urn for urn in statement.outputs if urn not in temporary]
        for urn in statement.outputs:
            if urn in temporary:
                feeds[urn] += [e for e in edges if e.downstream_table == urn]
                inputs_of[urn] |= inputs
        if kept_outputs:
            resolved.append(
                statement.model_copy(
                    update={
                        "inputs": sorted(inputs),
                        "outputs": kept_outputs,
                        "columns": [e for e in edges if e.downstream_table in kept_outputs],
                        "temporary_outputs": [],
                    }
                )
            )
    return resolved


def _through(
    edges: list[ColumnEdge], temporary: set[str], feeds: dict[str, list[ColumnEdge]]
) -> list[ColumnEdge]:
    """Replace every edge out of a temporary table by the edges that fed that column, and
    add the temporary table's own filters as filters of the statement's outputs."""
    result = []
    targets = {e.downstream_table for e in edges}
    for edge in edges:
        if edge.upstream_table not in temporary:
            result.append(edge)
            continue
        for source in feeds[edge.upstream_table]:
            if source.downstream_column == edge.upstream_column:
                result.append(
                    edge.model_copy(
                        update={
                            "upstream_table": source.upstream_table,
                            "upstream_column": source.upstream_column,
                            "kind": compose(source.kind, edge.kind),
                        }
                    )
                )
    read = {e.upstream_table for e in edges} & temporary
    for urn in read:
        for source in feeds[urn]:
            if source.kind == "filter_join":
                result += [
                    source.model_copy(update={"downstream_table": target}) for target in targets
                ]
    return unique_edges(result)
