"""Typed lineage that other packages and the CLI use."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EdgeKind = Literal["copy", "transformation", "aggregation", "filter_join"]


def dataset_name(urn: str) -> str:
    """The qualified name inside a dataset URN (``css-x.sis.eleves``), or the URN itself."""
    if urn.startswith("urn:li:dataset:(") and urn.count(",") >= 2:
        return urn[urn.index(",") + 1 : urn.rindex(",")]
    return urn


class ColumnEdge(BaseModel):
    """A column of an upstream table feeding a downstream column (or, for filter/join
    edges, only deciding which rows the downstream table gets: no downstream column)."""

    upstream_table: str
    upstream_column: str
    downstream_table: str
    downstream_column: str | None
    kind: EdgeKind
    logic: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str | None, EdgeKind]:
        """What makes two edges the same edge (the SQL text aside)."""
        return (
            self.upstream_table,
            self.upstream_column,
            self.downstream_table,
            self.downstream_column,
            self.kind,
        )


def unique_edges(edges: list[ColumnEdge]) -> list[ColumnEdge]:
    """The edges without repeats, in order, the first of each kept."""
    seen: dict[tuple[str, str, str, str | None, EdgeKind], ColumnEdge] = {}
    for edge in edges:
        seen.setdefault(edge.key, edge)
    return list(seen.values())


class StatementLineage(BaseModel):
    """What one SQL statement reads and writes.

    ``temporary_outputs`` are the outputs that live only during the script or session
    (``CREATE TEMP TABLE``, ``#t``, or created then dropped by the same script); ``dropped``
    names the tables a ``DROP`` removes, as written; ``origin`` says where the statement was
    read (file and line, or query log and line).
    """

    index: int
    statement: str
    query_type: str
    inputs: list[str] = Field(default_factory=list)
    outputs: list[str] = Field(default_factory=list)
    columns: list[ColumnEdge] = Field(default_factory=list)
    confidence: float = 0.0
    error: str | None = None
    procedure: str | None = None
    temporary_outputs: list[str] = Field(default_factory=list)
    dropped: list[str] = Field(default_factory=list)
    origin: str | None = None
