"""Typed lineage that other packages and the CLI use."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EdgeKind = Literal["copy", "transformation", "aggregation", "filter_join"]


class ColumnEdge(BaseModel):
    """A column of an upstream table feeding a downstream column (or, for filter/join
    edges, only deciding which rows the downstream table gets: no downstream column)."""

    upstream_table: str
    upstream_column: str
    downstream_table: str
    downstream_column: str | None
    kind: EdgeKind
    logic: str | None = None


class StatementLineage(BaseModel):
    """What one SQL statement reads and writes."""

    index: int
    statement: str
    query_type: str
    inputs: list[str] = Field(default_factory=list)
    outputs: list[str] = Field(default_factory=list)
    columns: list[ColumnEdge] = Field(default_factory=list)
    confidence: float = 0.0
    error: str | None = None
