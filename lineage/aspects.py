"""Lineage as DataHub stores it, both ways: statements to aspects, aspects to edges.

Each downstream dataset gets one ``upstreamLineage`` aspect: its upstream datasets, and one
fine-grained lineage per (statement, downstream column, edge kind) whose ``query`` points to
a DataHub query entity holding the SQL text. The edge kind is written in
``transformOperation`` the way DataHub writes its own (``COPY: <sql>``), with Cartable's
kinds beside DataHub's ``COPY`` and ``SQL``: ``TRANSFORMATION``, ``AGGREGATION`` and
``FILTER_JOIN`` (a filter or join column feeds the downstream table, no one column).
Lineage DataHub's own sources write (views) reads back the same way.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from datahub.emitter.mce_builder import make_schema_field_urn
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh
from datahub.sql_parsing.sqlglot_utils import get_query_fingerprint
from datahub.utilities.urn_encoder import RESERVED_CHARS, UrnEncoder

from lineage.edge_kind import edge_kind
from lineage.models import ColumnEdge, EdgeKind, StatementLineage

ACTOR = "urn:li:corpuser:cartable-lineage"
_URN_ESCAPES = {UrnEncoder.encode_char(char): char for char in sorted(RESERVED_CHARS)}
OPERATIONS: dict[EdgeKind, str] = {
    "copy": "COPY",
    "transformation": "TRANSFORMATION",
    "aggregation": "AGGREGATION",
    "filter_join": "FILTER_JOIN",
}
KINDS = {operation: kind for kind, operation in OPERATIONS.items()}


def query_urn(statement: StatementLineage, platform: str, platform_instance: str | None) -> str:
    """The DataHub query URN of a statement: its fingerprint as DataHub computes it, told
    apart by organization (the same ETL script runs in many service centres)."""
    fingerprint = get_query_fingerprint(
        statement.statement, platform, fast=True, secondary_id=platform_instance
    )
    return f"urn:li:query:{fingerprint}"


def lineage_proposals(
    statements: Iterable[StatementLineage], platform: str, platform_instance: str | None = None
) -> list[MetadataChangeProposalWrapper]:
    """``upstreamLineage`` of every dataset the statements write, and their query entities."""
    now = int(time.time() * 1000)
    stamp = dh.AuditStampClass(time=now, actor=ACTOR)
    upstreams: dict[str, dict[str, dh.UpstreamClass]] = defaultdict(dict)
    fine: dict[str, list[dh.FineGrainedLineageClass]] = defaultdict(list)
    proposals = []
    for statement in statements:
        if not statement.outputs:
            continue
        query = query_urn(statement, platform, platform_instance)
        proposals += _query_entity(statement, query, stamp)
        for output in statement.outputs:
            tables = set(statement.inputs) | {
                e.upstream_table for e in statement.columns if e.downstream_table == output
            }
            for table in sorted(tables - {output}):
                upstreams[output].setdefault(
                    table,
                    dh.UpstreamClass(
                        dataset=table, type=dh.DatasetLineageTypeClass.TRANSFORMED, query=query
                    ),
                )
            fine[output] += _fine_grained(statement, output, query)
    for output in sorted(upstreams.keys() | fine.keys()):
        aspect = dh.UpstreamLineageClass(
            upstreams=list(upstreams[output].values()), fineGrainedLineages=fine[output]
        )
        proposals.append(MetadataChangeProposalWrapper(entityUrn=output, aspect=aspect))
    return proposals


def _query_entity(
    statement: StatementLineage, urn: str, stamp: dh.AuditStampClass
) -> list[MetadataChangeProposalWrapper]:
    custom = {"origin": statement.origin or "", "procedure": statement.procedure or ""}
    properties = dh.QueryPropertiesClass(
        statement=dh.QueryStatementClass(value=statement.statement, language="SQL"),
        source=dh.QuerySourceClass.SYSTEM,
        created=stamp,
        lastModified=stamp,
        customProperties={k: v for k, v in custom.items() if v},
    )
    subjects = dh.QuerySubjectsClass(
        subjects=[
            dh.QuerySubjectClass(entity=urn)
            for urn in sorted(set(statement.inputs) | set(statement.outputs))
        ]
    )
    return [
        MetadataChangeProposalWrapper(entityUrn=urn, aspect=properties),
        MetadataChangeProposalWrapper(entityUrn=urn, aspect=subjects),
    ]


def _fine_grained(
    statement: StatementLineage, output: str, query: str
) -> list[dh.FineGrainedLineageClass]:
    grouped: dict[tuple[str | None, EdgeKind], list[ColumnEdge]] = defaultdict(list)
    for edge in statement.columns:
        if edge.downstream_table == output:
            grouped[(edge.downstream_column, edge.kind)].append(edge)
    result = []
    for (column, kind), edges in grouped.items():
        logic = next((e.logic for e in edges if e.logic), None)
        result.append(
            dh.FineGrainedLineageClass(
                upstreamType=dh.FineGrainedLineageUpstreamTypeClass.FIELD_SET,
                upstreams=[
                    make_schema_field_urn(e.upstream_table, e.upstream_column) for e in edges
                ],
                downstreamType=(
                    dh.FineGrainedLineageDownstreamTypeClass.FIELD
                    if column is not None
                    else dh.FineGrainedLineageDownstreamTypeClass.FIELD_SET
                ),
                downstreams=[make_schema_field_urn(output, column)] if column is not None else [],
                transformOperation=f"{OPERATIONS[kind]}: {logic}" if logic else OPERATIONS[kind],
                confidenceScore=statement.confidence,
                query=query,
            )
        )
    return result


def field_parts(field_urn: str) -> tuple[str, str]:
    """``urn:li:schemaField:(<dataset urn>,col)`` → (dataset urn, column), the column as
    its dataset names it: DataHub writes ``,``, ``(`` and ``)`` in a field path as ``%2C``,
    ``%28`` and ``%29`` (``make_schema_field_urn``)."""
    inner = field_urn[len("urn:li:schemaField:(") : -1]
    dataset, column = inner.rsplit(",", 1)
    if "%" in column:
        for encoded, char in _URN_ESCAPES.items():
            column = column.replace(encoded, char)
    return dataset, column


def edges_from_aspect(downstream: str, aspect: dict[str, Any]) -> list[ColumnEdge]:
    """The column edges a stored ``upstreamLineage`` holds (Cartable's or DataHub's own)."""
    edges = []
    for lineage in aspect.get("fineGrainedLineages") or []:
        operation = lineage.get("transformOperation") or ""
        name, _, logic = operation.partition(": ")
        kind = KINDS.get(name) or edge_kind(name == "COPY", logic or None, None)
        targets: list[tuple[str, str | None]] = [
            field_parts(urn) for urn in lineage.get("downstreams") or []
        ]
        for upstream in lineage.get("upstreams") or []:
            table, column = field_parts(upstream)
            for target_table, target_column in targets or [(downstream, None)]:
                edges.append(
                    ColumnEdge(
                        upstream_table=table,
                        upstream_column=column,
                        downstream_table=target_table,
                        downstream_column=target_column,
                        kind=kind,
                        logic=logic or None,
                    )
                )
    return edges
