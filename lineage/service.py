"""Lineage in the catalogue: record parsed SQL, load the graph, propagate sensitivity.

The one place where lineage meets storage. Parsed statements become DataHub
``upstreamLineage`` and query aspects; the graph is read back from those aspects (DataHub's
own view lineage included); propagation marks are DataHub glossary terms on the fields of
``editableSchemaMetadata``, attributed to Cartable's propagation so that a rerun replaces
them and never touches a steward's own terms.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh
from datahub.sql_parsing.schema_resolver import SchemaResolver
from pydantic import BaseModel, Field
from sqlalchemy import delete, select

from catalog import pi_terms
from catalog.errors import CartableError, NotFoundError
from catalog.field_terms import column_name, field_term_associations, with_field_terms
from catalog.network import Network
from catalog.records import aspect_writes
from catalog.roles import Account, require
from catalog.runs import FAILURE, SUCCESS
from catalog.service import Catalog
from catalog.tables import propagation_blocks
from catalog.upstream_index import upstream_datasets
from lineage.aspects import edges_from_aspect, lineage_proposals
from lineage.graph import LineageGraph, field_urn, split_node
from lineage.inputs import SqlSource, read_units
from lineage.models import EdgeKind, StatementLineage
from lineage.parse import DIALECT_PLATFORMS
from lineage.propagate import BlockedStep, Mark, Propagation, SourceMark, propagate
from lineage.schemas import catalog_schemas
from lineage.temp_tables import resolve_temporary_tables

ACTOR = "urn:li:corpuser:cartable-lineage"


class StatementFailure(BaseModel):
    """A statement that could not be parsed, where it was and why."""

    origin: str | None
    error: str


class LineageIngestReport(BaseModel):
    """What ``lineage ingest`` read and recorded."""

    run_id: str
    statements: int = 0
    failed: int = 0
    failures: list[StatementFailure] = Field(default_factory=list)
    datasets: list[str] = Field(default_factory=list)
    column_edges: int = 0
    aspects_written: int = 0
    aspects_unchanged: int = 0


class ImpactColumn(BaseModel):
    """A column derived from the analysed one: how, and what propagation concluded there."""

    kinds: list[EdgeKind]
    mark: Mark | None = None


class ImpactEntry(BaseModel):
    """A downstream dataset of the analysed column."""

    dataset: str
    name: str
    category: str
    depth: int
    filtered_by: bool = False
    columns: dict[str, ImpactColumn] = Field(default_factory=dict)


class ImpactReport(BaseModel):
    """Everything downstream of one column, and the blocked edges that held marks back."""

    column: str
    datasets: list[ImpactEntry] = Field(default_factory=list)
    blocked: list[BlockedStep] = Field(default_factory=list)


class PropagationBlock(BaseModel):
    """A steward's block on one column edge."""

    upstream_field: str
    downstream_field: str
    reason: str
    actor: str
    created_on: datetime


class LineageService:
    """Lineage recorded in, and read from, one catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._graph: LineageGraph | None = None

    # Recording ---------------------------------------------------------------------------

    def ingest(
        self,
        source: SqlSource,
        *,
        on_unit: Callable[[list[StatementLineage]], None] | None = None,
    ) -> LineageIngestReport:
        """Parse every script or query-log session of ``source`` and record its lineage."""
        platform = DIALECT_PLATFORMS.get(source.dialect)
        if platform is None:
            raise CartableError(
                f"unknown dialect '{source.dialect}' (known: {', '.join(DIALECT_PLATFORMS)})"
            )
        run_id = f"lineage-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        resolver = catalog_schemas(self.catalog, platform, source.platform_instance)
        report = LineageIngestReport(run_id=run_id)
        recipe = source.model_dump(mode="json")
        name = ":".join(filter(None, ("lineage", source.platform_instance, source.path.name)))
        self.catalog.runs.start(run_id, name, "sql-lineage", recipe)
        try:
            kept = self._parse_units(source, resolver, report, on_unit)
            proposals = lineage_proposals(kept, platform, source.platform_instance)
            writes = [w for proposal in proposals for w in aspect_writes(proposal)]
            result = self.catalog.write(writes, actor=ACTOR, run_id=run_id)
        except Exception as exc:  # recorded as a failed run; nothing was written
            self.catalog.runs.finish(
                run_id, FAILURE, {}, warnings=[], failures=[{"error": str(exc)}]
            )
            raise
        self._graph = None
        report.datasets = sorted({urn for s in kept for urn in s.outputs})
        report.column_edges = sum(len(s.columns) for s in kept)
        report.aspects_written, report.aspects_unchanged = result.written, result.unchanged
        self.catalog.runs.finish(
            run_id,
            SUCCESS,
            {
                "events_produced": len(writes),
                "aspects_written": result.written,
                "aspects_unchanged": result.unchanged,
                "entities_seen": result.entities,
            },
            warnings=[f.model_dump() for f in report.failures],
            failures=[],
        )
        return report

    @staticmethod
    def _parse_units(
        source: SqlSource,
        resolver: SchemaResolver,
        report: LineageIngestReport,
        on_unit: Callable[[list[StatementLineage]], None] | None,
    ) -> list[StatementLineage]:
        """Every unit parsed, failures counted in the report, temporary tables resolved."""
        kept: list[StatementLineage] = []
        for unit in read_units(source, resolver):
            report.statements += len(unit)
            for statement in unit:
                if statement.error:
                    report.failed += 1
                    report.failures.append(
                        StatementFailure(origin=statement.origin, error=statement.error)
                    )
            kept += resolve_temporary_tables(unit)
            if on_unit:
                on_unit(unit)
        return kept

    def ingest_network(
        self, network: Network, *, on_done: Callable[[LineageIngestReport], None] | None = None
    ) -> list[LineageIngestReport]:
        """Record the lineage of every organization's SQL listed in a network file."""
        reports = []
        for org in network.organizations:
            for spec in org.lineage:
                source = SqlSource(platform_instance=org.code, **spec.model_dump())
                reports.append(self.ingest(source))
                if on_done:
                    on_done(reports[-1])
        return reports

    # Reading -----------------------------------------------------------------------------

    def graph(self) -> LineageGraph:
        """The lineage graph of the whole catalogue (read once per service)."""
        if self._graph is None:
            self._graph = self._load_graph()
        return self._graph

    def _load_graph(self) -> LineageGraph:
        graph = LineageGraph()
        for urn, value in self.catalog.store.latest_of("upstreamLineage"):
            aspect = json.loads(value)
            for upstream in upstream_datasets(aspect):
                graph.add_dataset_edge(upstream, urn)
            graph.add_edges(edges_from_aspect(urn, aspect))
        return graph

    def node(self, reference: str) -> str:
        """A graph node from ``URN`` or ``URN#column``; NotFoundError for an unknown one."""
        dataset, _, column = reference.partition("#")
        node = field_urn(dataset, column) if column else dataset
        if not self.graph().has_node(node):
            self.catalog.entity(dataset)  # raises NotFoundError for an unknown dataset
        return node

    def impact(self, column: str) -> ImpactReport:
        """The marts, views, extracts and models fed by a column, with propagation marks."""
        graph = self.graph()
        propagation = propagate(graph, self.pi_sources(), self.block_map())
        report = ImpactReport(column=column, blocked=propagation.blocked)
        for entry in graph.impact(column):
            report.datasets.append(
                ImpactEntry(
                    dataset=entry.dataset,
                    name=entry.name,
                    category=self._category(entry.dataset),
                    depth=entry.depth,
                    filtered_by=entry.filtered_by,
                    columns={
                        name: ImpactColumn(
                            kinds=kinds,
                            mark=propagation.marks.get(field_urn(entry.dataset, name)),
                        )
                        for name, kinds in entry.columns.items()
                    },
                )
            )
        return report

    def _category(self, urn: str) -> str:
        try:
            summary = self.catalog.entity(urn).summary
        except NotFoundError:
            return "table"
        return dataset_category(summary.entity_type, summary.subtype, summary.qualified_name)

    # Propagation -------------------------------------------------------------------------

    def pi_sources(self) -> dict[str, SourceMark]:
        """Columns classified as personal information (not by propagation), by field URN."""
        sources: dict[str, SourceMark] = {}
        for aspect_name in ("schemaMetadata", "editableSchemaMetadata"):
            for urn, value in self.catalog.store.latest_of(aspect_name):
                for field, association in _field_terms(urn, json.loads(value)):
                    term = association["urn"]
                    if term in (pi_terms.DERIVED, pi_terms.AGGREGATE) or pi_terms.is_propagated(
                        association
                    ):
                        continue
                    if term in pi_terms.BY_URN:
                        current = sources.get(field)
                        identifier = pi_terms.is_identifier(term)
                        if current is None or (identifier and not current.identifier):
                            sources[field] = SourceMark(term, identifier)
        return sources

    def propagate(self) -> Propagation:
        """Compute the marks (without recording them)."""
        return propagate(self.graph(), self.pi_sources(), self.block_map())

    def record_propagation(self, propagation: Propagation) -> int:
        """Write the marks as glossary terms on the fields; replace the previous marks."""
        by_dataset: dict[str, dict[str, Mark]] = {}  # dataset → field URN → its mark
        for field, mark in propagation.marks.items():
            dataset, _column = split_node(field)
            by_dataset.setdefault(dataset, {})[field] = mark
        edits = dict(self.catalog.store.latest_of("editableSchemaMetadata"))
        touched = set(by_dataset)
        for urn, value in edits.items():
            if any(pi_terms.is_propagated(a) for _f, a in _field_terms(urn, json.loads(value))):
                touched.add(urn)
        schemas = self.catalog.store.latest_values(touched, "schemaMetadata")
        now = int(time.time() * 1000)
        stamp = dh.AuditStampClass(time=now, actor=ACTOR)
        proposals = []
        for urn in sorted(touched):
            paths = _field_paths(urn, schemas.get(urn))
            marks = {
                path: [_mark_term(mark, now)]
                for field, mark in by_dataset.get(urn, {}).items()
                for path in paths.get(field) or [split_node(field)[1] or ""]
            }
            aspect = with_field_terms(
                edits.get(urn),
                marks,
                keep=lambda _path, association: not pi_terms.is_propagated(association),
                stamp=stamp,
            )
            proposals.append(MetadataChangeProposalWrapper(entityUrn=urn, aspect=aspect))
        writes = [w for proposal in proposals for w in aspect_writes(proposal)]
        return self.catalog.write(writes, actor=ACTOR).written

    # Blocks ------------------------------------------------------------------------------

    def block(self, upstream: str, downstream: str, reason: str, steward: Account) -> None:
        """Stop propagation along the column edge ``upstream`` → ``downstream`` (a steward of
        the downstream dataset's organization decides)."""
        if not reason.strip():
            raise CartableError("a block needs a reason")
        if not self.graph().columns.has_edge(upstream, downstream):
            raise NotFoundError(f"no column edge from {upstream} to {downstream}")
        self._require_steward(steward, downstream)
        with self.catalog.database.write() as conn:
            conn.execute(
                delete(propagation_blocks).where(
                    propagation_blocks.c.upstream_field == upstream,
                    propagation_blocks.c.downstream_field == downstream,
                )
            )
            conn.execute(
                propagation_blocks.insert().values(
                    upstream_field=upstream,
                    downstream_field=downstream,
                    reason=reason.strip(),
                    actor=steward.urn,
                    created_on=datetime.now(UTC),
                )
            )

    def unblock(self, upstream: str, downstream: str, steward: Account) -> bool:
        """Lift a block; False when there was none."""
        self._require_steward(steward, downstream)
        with self.catalog.database.write() as conn:
            result = conn.execute(
                delete(propagation_blocks).where(
                    propagation_blocks.c.upstream_field == upstream,
                    propagation_blocks.c.downstream_field == downstream,
                )
            )
            return bool(result.rowcount)

    def _require_steward(self, steward: Account, downstream: str) -> None:
        dataset = split_node(downstream)[0]
        summary = self.catalog.entity(dataset).summary
        require(steward, "block_propagation", summary.organization)

    def blocks(self) -> list[PropagationBlock]:
        """Every block, oldest first."""
        with self.catalog.database.read() as conn:
            rows = conn.execute(
                select(propagation_blocks).order_by(propagation_blocks.c.created_on)
            )
            return [PropagationBlock.model_validate(dict(r._mapping)) for r in rows]

    def block_map(self) -> dict[tuple[str, str], str]:
        """Blocks as (upstream field, downstream field) → reason."""
        return {(b.upstream_field, b.downstream_field): b.reason for b in self.blocks()}


def dataset_category(entity_type: str, subtype: str | None, qualified_name: str | None) -> str:
    """What kind of downstream thing a dataset is, for impact analysis.

    >>> dataset_category("dataset", "Table", "css-x.entrepot.mart_reussite_ecole")
    'mart'
    >>> dataset_category("mlModel", None, None)
    'ai_model'
    """
    if entity_type == "mlModel":
        return "ai_model"
    if subtype and subtype.lower() in ("view", "extract", "report", "dashboard"):
        return subtype.lower()
    if (qualified_name or "").rsplit(".", 1)[-1].startswith("mart_"):
        return "mart"
    return "table"


def _field_terms(urn: str, aspect: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(field URN, glossary term association) of every field of a schema aspect, the field
    named by its column as lineage names it."""
    return [(field_urn(urn, column_name(path)), a) for path, a in field_term_associations(aspect)]


def _mark_term(mark: Mark, now: int) -> dh.GlossaryTermAssociationClass:
    term = pi_terms.DERIVED if mark.status == "derived" else pi_terms.AGGREGATE
    detail = {
        "origin": mark.source,
        "originTerm": mark.source_term,
        "path": json.dumps([s.model_dump() for s in mark.path], ensure_ascii=False),
    }
    detail["reason"] = mark.reason
    if mark.basis:
        detail["basis"] = mark.basis
    return dh.GlossaryTermAssociationClass(
        urn=term,
        actor=ACTOR,
        context="propagated",
        attribution=dh.MetadataAttributionClass(
            time=now, actor=ACTOR, source=pi_terms.PROPAGATION_SOURCE, sourceDetail=detail
        ),
    )


def _field_paths(urn: str, schema: str | None) -> dict[str, list[str]]:
    """The field paths ``urn``'s schema (canonical JSON) gives each of its fields as lineage
    names them (field URN): a mark goes on the fields the schema names — a v2 path
    (``[version=2.0].[type=int].age``), or each path of a union's branches."""
    paths: dict[str, list[str]] = {}
    for field in json.loads(schema).get("fields", []) if schema else []:
        path = field["fieldPath"]
        paths.setdefault(field_urn(urn, column_name(path)), []).append(path)
    return paths
