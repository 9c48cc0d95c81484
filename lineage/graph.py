"""The lineage graph: upstream, downstream, impact, paths and cycles (networkx).

Two directed graphs: datasets (an edge when a dataset feeds another) and columns (an edge per
column edge, with its kind). A column used only to filter or join feeds the downstream
*dataset*: it appears in an impact analysis but no column is derived from it. Nodes are
DataHub URNs: dataset URNs and ``urn:li:schemaField:(<dataset>,<column>)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import networkx as nx
from datahub.emitter.mce_builder import make_schema_field_urn
from pydantic import BaseModel, Field

from lineage.aspects import field_parts
from lineage.models import ColumnEdge, EdgeKind, dataset_name

Direction = Literal["up", "down"]
MAX_CYCLES = 100


class GraphEdge(BaseModel):
    """One edge reached by a traversal, with its distance from the start."""

    upstream: str
    downstream: str
    kind: EdgeKind | None = None
    depth: int


class Traversal(BaseModel):
    """What a traversal reached: nodes by distance, and the edges followed."""

    start: str
    direction: Direction
    depth: int | None
    nodes: dict[str, int] = Field(default_factory=dict)
    edges: list[GraphEdge] = Field(default_factory=list)


class ImpactedDataset(BaseModel):
    """A dataset downstream of a column: the columns derived there and how."""

    dataset: str
    name: str
    columns: dict[str, list[EdgeKind]] = Field(default_factory=dict)
    filtered_by: bool = False
    depth: int


def field_urn(dataset: str, column: str) -> str:
    """The schemaField URN of a dataset's column."""
    return make_schema_field_urn(dataset, column)


def split_node(node: str) -> tuple[str, str | None]:
    """(dataset URN, column or None) of a graph node."""
    if node.startswith("urn:li:schemaField:("):
        return field_parts(node)
    return node, None


def node_label(node: str) -> str:
    """``css-x.sis.eleves`` for a dataset node, ``css-x.sis.eleves#nom`` for a column."""
    dataset, column = split_node(node)
    return dataset_name(dataset) + (f"#{column}" if column else "")


class LineageGraph:
    """Datasets and columns of the catalogue joined by lineage."""

    def __init__(self) -> None:
        self.datasets: nx.DiGraph = nx.DiGraph()
        self.columns: nx.DiGraph = nx.DiGraph()

    def add_dataset_edge(self, upstream: str, downstream: str) -> None:
        """Record that ``upstream`` feeds ``downstream``."""
        if upstream != downstream:
            self.datasets.add_edge(upstream, downstream)

    def add_column_edge(self, edge: ColumnEdge) -> None:
        """Record a column edge (and the dataset edge it implies)."""
        self.add_dataset_edge(edge.upstream_table, edge.downstream_table)
        source = field_urn(edge.upstream_table, edge.upstream_column)
        target = (
            field_urn(edge.downstream_table, edge.downstream_column)
            if edge.downstream_column is not None
            else edge.downstream_table
        )
        if source == target:
            return
        kinds = self.columns.get_edge_data(source, target, default={}).get("kinds", ())
        if edge.kind not in kinds:
            self.columns.add_edge(source, target, kinds=(*kinds, edge.kind))

    def add_edges(self, edges: Iterable[ColumnEdge]) -> None:
        """Record many column edges."""
        for edge in edges:
            self.add_column_edge(edge)

    def _graph_of(self, node: str) -> nx.DiGraph:
        return self.columns if node.startswith("urn:li:schemaField:(") else self.datasets

    def has_node(self, node: str) -> bool:
        """Whether the graph knows this dataset or column."""
        return node in self._graph_of(node)

    def kinds(self, upstream: str, downstream: str) -> tuple[EdgeKind, ...]:
        """The kinds of the column edge between two nodes (empty for a dataset edge)."""
        return tuple(self.columns.get_edge_data(upstream, downstream, default={}).get("kinds", ()))

    def traverse(self, start: str, direction: Direction, depth: int | None = None) -> Traversal:
        """Every node upstream or downstream of ``start`` up to ``depth`` hops (all if None),
        and every edge between them that a path of at most ``depth`` hops takes (a longer
        path into a node reached sooner included: a copy through a staging table)."""
        graph = self._graph_of(start)
        result = Traversal(start=start, direction=direction, depth=depth, nodes={start: 0})
        if start not in graph:
            return result
        for parent, child in nx.bfs_edges(
            graph, start, reverse=direction == "up", depth_limit=depth
        ):
            result.nodes[child] = result.nodes[parent] + 1
        wanted = set(result.nodes)
        for node, distance in result.nodes.items():
            neighbours = graph.predecessors(node) if direction == "up" else graph.successors(node)
            for other in neighbours:
                if other not in wanted or (depth is not None and distance + 1 > depth):
                    continue
                up, down = (other, node) if direction == "up" else (node, other)
                kinds = self.kinds(up, down) or (None,)
                result.edges += [
                    GraphEdge(upstream=up, downstream=down, kind=kind, depth=distance + 1)
                    for kind in kinds
                ]
        return result

    def impact(self, column: str) -> list[ImpactedDataset]:
        """Every downstream dataset of a column, with the columns derived from it there."""
        reached = self.traverse(column, "down")
        impacted: dict[str, ImpactedDataset] = {}
        for node, distance in reached.nodes.items():
            if node == column:
                continue
            dataset, name = split_node(node)
            entry = impacted.setdefault(
                dataset,
                ImpactedDataset(dataset=dataset, name=dataset_name(dataset), depth=distance),
            )
            entry.depth = min(entry.depth, distance)
            if name is None:
                entry.filtered_by = True
        for edge in reached.edges:
            dataset, name = split_node(edge.downstream)
            if name is not None and edge.kind is not None:
                kinds = impacted[dataset].columns.setdefault(name, [])
                if edge.kind not in kinds:
                    kinds.append(edge.kind)
        return sorted(impacted.values(), key=lambda d: (d.depth, d.name))

    def path(self, source: str, target: str) -> list[str] | None:
        """The shortest chain of nodes from ``source`` down to ``target``, or None."""
        graph = self._graph_of(source)
        if source not in graph or target not in graph:
            return None
        try:
            return list(nx.shortest_path(graph, source, target))
        except nx.NetworkXNoPath:
            return None

    def cycles(self, limit: int = MAX_CYCLES) -> list[list[str]]:
        """Cycles among datasets (a table feeding itself through others), at most ``limit``."""
        found = []
        for cycle in nx.simple_cycles(self.datasets):
            found.append(cycle)
            if len(found) >= limit:
                break
        return found
