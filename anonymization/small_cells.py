"""Small-cell suppression of tables of counts, with complementary suppression (pure, no I/O).

A published table of counts must not let anyone learn a small count (fewer than ``threshold``
people) exactly, neither from the cell itself nor by subtraction from the published totals.

Primary suppression
    A cell with ``0 < count < threshold`` is withheld; zeros too when ``suppress_zeros``.

What is published
    Every cell that is not suppressed, and the totals: the row totals, the column totals and
    the grand total of a two-way table. A one-column table (counts by category) publishes
    only the grand total (a row's total would be the cell itself); a one-row table likewise.

When a suppressed cell can be recomputed
    The unknowns are the suppressed cells; each published line total is one linear equation
    over the suppressed cells of that line. Build the bipartite graph whose nodes are the
    rows and the columns and whose edges are the suppressed cells: the equations are that
    graph's incidence matrix, whose null space is its cycle space. A suppressed cell is
    therefore determined by the totals exactly when its edge lies on no cycle, that is when
    it is a *bridge* (``networkx.bridges``). A line with a single suppressed cell is the
    simplest case (a pendant edge); two blocks of suppressed cells joined by one cell is the
    case that counting suppressed cells per line misses. Where a line's totals are not
    published (one-column and one-row tables) its nodes merge into one, so the only
    constraint left is the grand total: one suppressed cell is disclosed, two or more are not.

Complementary suppression
    While some suppressed cell (r, c) is disclosed (the first one in row, column order),
    remove its edge: the rest of the graph splits into the side holding r and the side
    holding c. One more cell is suppressed, chosen in this order of preference:

    1. a cell joining the two sides (it puts (r, c) on a cycle), smallest non-zero count;
    2. a non-zero cell of row r or column c leading outside both sides (it grows a side so a
       later step can close the cycle, e.g. the third corner of a rectangle), smallest count;
       when a side is the lone line r (or c), only that line's cells can help and only they
       are considered;
    3. the same two kinds of cells holding a zero, closing cells first.

    Ties go to the first cell in row, column order, so results are deterministic. Zeros come
    last because a suppressed zero protects nothing against someone who knows the cell is
    structurally empty (no boys in a girls' school): the audit below treats every suppressed
    cell as unknown, so a table that had to use a zero is protected only against someone who
    does not know where the zeros are. A line with a single non-zero cell is that case: the
    cell equals the line total unless one of the line's zeros is suppressed with it.

Termination
    Each step suppresses one more cell, so the loop ends within ``rows × columns`` steps.
    A candidate always exists while a cell is disclosed: if no cell joins the two sides, one
    side is a lone line, whose other cells are all unsuppressed and lead outside both sides.
    With every cell suppressed nothing is disclosed (the complete bipartite graph of a table
    with at least two rows and two columns has no bridge; a one-column or one-row table then
    has at least two unknowns for its one total), except for a 1 × 1 table, which cannot be
    protected: ``suppress`` raises ``CartableError`` "table too small to protect".

The audit ``disclosed_cells`` recomputes the bridges of a finished table; it is ``[]`` for
every table ``suppress`` returns. Bounds are not considered: a suppressed cell may still be
known to lie in a range (counts are non-negative); only exact recomputation is prevented.
"""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from pydantic import BaseModel, model_validator

from catalog.errors import CartableError

Cell = tuple[int, int]
Node = tuple[str, int]

ROW = "row"
COLUMN = "column"
MERGED = -1  # node index standing for every row (or column) when their totals are unpublished


class SuppressedTable(BaseModel):
    """A table of counts and the cells to withhold when it is published."""

    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    primary: list[list[bool]]
    suppressed: list[list[bool]]
    row_totals: list[int] | None
    column_totals: list[int] | None
    total: int
    threshold: int

    @model_validator(mode="after")
    def _consistent(self) -> SuppressedTable:
        shape = (len(self.rows), len(self.columns))
        for name in ("counts", "primary", "suppressed"):
            grid = getattr(self, name)
            if len(grid) != shape[0] or any(len(line) != shape[1] for line in grid):
                raise ValueError(f"{name} must have {shape[0]} rows of {shape[1]} cells")
        if any(
            p and not s
            for pl, sl in zip(self.primary, self.suppressed, strict=True)
            for p, s in zip(pl, sl, strict=True)
        ):
            raise ValueError("every primary cell must be suppressed")
        if self.row_totals is not None and self.row_totals != [sum(r) for r in self.counts]:
            raise ValueError("row_totals must be the sums of the rows")
        sums = [sum(column) for column in zip(*self.counts, strict=True)]
        if self.column_totals is not None and self.column_totals != sums:
            raise ValueError("column_totals must be the sums of the columns")
        if self.total != sum(sums):
            raise ValueError("total must be the sum of the counts")
        return self

    def complementary(self) -> list[tuple[str, str]]:
        """The cells suppressed only to protect others, as (row, column) labels."""
        return [
            (self.rows[i], self.columns[j])
            for i, (p_line, s_line) in enumerate(zip(self.primary, self.suppressed, strict=True))
            for j, (p, s) in enumerate(zip(p_line, s_line, strict=True))
            if s and not p
        ]

    def to_frame(self, mark: str = "x", total_label: str = "Total") -> pd.DataFrame:
        """The table as published: suppressed cells shown as ``mark``, with the published totals."""
        if total_label in self.rows or total_label in self.columns:
            raise CartableError(f"the total label {total_label!r} is already a row or column label")
        body: list[list[Any]] = [
            [mark if s else n for n, s in zip(c_line, s_line, strict=True)]
            for c_line, s_line in zip(self.counts, self.suppressed, strict=True)
        ]
        index, columns = list(self.rows), list(self.columns)
        if self.row_totals is not None:
            for line, line_total in zip(body, self.row_totals, strict=True):
                line.append(line_total)
            columns.append(total_label)
        if self.column_totals is not None:
            last: list[Any] = list(self.column_totals)
            if self.row_totals is not None:
                last.append(self.total)
            body.append(last)
            index.append(total_label)
        return pd.DataFrame(body, index=index, columns=columns, dtype=object)


@dataclass(frozen=True)
class _Grid:
    """The counts and which line totals constrain the suppressed cells."""

    counts: list[list[int]]
    rows_published: bool
    columns_published: bool

    def cells(self) -> Iterator[Cell]:
        """Every cell, in row, column order."""
        for i, line in enumerate(self.counts):
            for j in range(len(line)):
                yield i, j

    def edge(self, cell: Cell) -> tuple[Node, Node]:
        """The cell's row node and column node (merged when those totals are unpublished)."""
        row = cell[0] if self.rows_published else MERGED
        column = cell[1] if self.columns_published else MERGED
        return (ROW, row), (COLUMN, column)

    def count(self, cell: Cell) -> int:
        """The cell's count."""
        return self.counts[cell[0]][cell[1]]


def _disclosed(grid: _Grid, suppressed: set[Cell]) -> list[Cell]:
    """The suppressed cells whose edge is a bridge (and not doubled), in row, column order."""
    multiplicity = Counter(grid.edge(cell) for cell in suppressed)
    graph = nx.Graph(list(multiplicity))
    bridges = {frozenset(edge) for edge in nx.bridges(graph)}
    return sorted(
        cell
        for cell in suppressed
        if multiplicity[grid.edge(cell)] == 1 and frozenset(grid.edge(cell)) in bridges
    )


def _sides(grid: _Grid, suppressed: set[Cell], bridge: Cell) -> tuple[set[Node], set[Node]]:
    """The nodes on the row's side and on the column's side once the bridge is removed."""
    row_node, column_node = grid.edge(bridge)
    graph = nx.Graph([grid.edge(cell) for cell in suppressed if cell != bridge])
    graph.add_nodes_from((row_node, column_node))
    return (
        set(nx.node_connected_component(graph, row_node)),
        set(nx.node_connected_component(graph, column_node)),
    )


def _next_cell(grid: _Grid, suppressed: set[Cell], bridge: Cell) -> Cell | None:
    """The cell to suppress next so the bridge ends up on a cycle (None: no cell can help)."""
    near, far = _sides(grid, suppressed, bridge)
    row_node, column_node = grid.edge(bridge)
    lone = {node for node, side in ((row_node, near), (column_node, far)) if side == {node}}
    lines = lone or {row_node, column_node}
    both = near | far
    ranked: list[tuple[bool, int, int, Cell]] = []
    for cell in grid.cells():
        if cell in suppressed:
            continue
        r, c = grid.edge(cell)
        if (r in near and c in far) or (r in far and c in near):
            kind = 0  # closes a cycle through the bridge
        elif (r in lines and c not in both) or (c in lines and r not in both):
            kind = 1  # grows a side
        else:
            continue
        count = grid.count(cell)
        ranked.append((count == 0, kind, count, cell))
    return min(ranked)[3] if ranked else None


def _protect(grid: _Grid, suppressed: set[Cell]) -> None:
    """Add complementary cells to ``suppressed`` until no suppressed cell is disclosed."""
    while disclosed := _disclosed(grid, suppressed):
        cell = _next_cell(grid, suppressed, disclosed[0])
        if cell is None:
            raise CartableError("table too small to protect: its only cell is its total")
        suppressed.add(cell)


def _count_value(value: Any, row: str, column: str) -> int:
    """One validated count: a non-negative integer (a whole float is accepted)."""
    where = f"cell ({row!r}, {column!r})"
    if isinstance(value, bool | np.bool_):
        count = None
    elif isinstance(value, numbers.Integral):
        count = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        count = int(float(value))
    else:
        count = None
    if count is None:
        raise CartableError(f"counts must be integers; {where} holds {value!r}")
    if count < 0:
        raise CartableError(f"counts must not be negative; {where} holds {value!r}")
    return count


def _labels(values: Any, kind: str) -> list[str]:
    """Labels as text, refusing duplicates."""
    labels = [str(value) for value in values]
    repeated = sorted(label for label, n in Counter(labels).items() if n > 1)
    if repeated:
        raise CartableError(f"duplicate {kind} labels: {', '.join(repeated)}")
    return labels


def _validated(counts: Any, threshold: Any) -> tuple[list[str], list[str], list[list[int]]]:
    """Row labels, column labels and counts of a valid table, or CartableError."""
    if not isinstance(counts, pd.DataFrame):
        raise CartableError("counts must be a pandas DataFrame")
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral):
        raise CartableError(f"threshold must be an integer, not {threshold!r}")
    if threshold < 1:
        raise CartableError(f"threshold must be at least 1, not {threshold}")
    if counts.empty:
        raise CartableError("the table is empty: it needs at least one row and one column")
    rows, columns = _labels(counts.index, "row"), _labels(counts.columns, "column")
    values = counts.to_numpy(dtype=object).tolist()
    grid = [
        [_count_value(value, row, column) for value, column in zip(line, columns, strict=True)]
        for line, row in zip(values, rows, strict=True)
    ]
    return rows, columns, grid


def suppress(
    counts: pd.DataFrame, threshold: int = 5, *, suppress_zeros: bool = False
) -> SuppressedTable:
    """Suppress the small cells of a table of counts, and enough others to protect them.

    >>> import pandas as pd
    >>> frame = pd.DataFrame(
    ...     {"F": [2, 30, 40], "M": [15, 25, 35]}, index=["Secondary 1", "Secondary 2", "Other"]
    ... )
    >>> table = suppress(frame)
    >>> table.complementary()
    [('Secondary 1', 'M'), ('Secondary 2', 'F'), ('Secondary 2', 'M')]
    >>> print(table.to_frame().to_string())
                  F   M Total
    Secondary 1   x   x    17
    Secondary 2   x   x    55
    Other        40  35    75
    Total        72  75   147
    """
    rows, columns, grid = _validated(counts, threshold)
    primary = [[0 < n < threshold or (suppress_zeros and n == 0) for n in line] for line in grid]
    layout = _Grid(grid, rows_published=len(columns) > 1, columns_published=len(rows) > 1)
    suppressed = {cell for cell in layout.cells() if primary[cell[0]][cell[1]]}
    _protect(layout, suppressed)
    return SuppressedTable(
        rows=rows,
        columns=columns,
        counts=grid,
        primary=primary,
        suppressed=[[(i, j) in suppressed for j in range(len(columns))] for i in range(len(rows))],
        row_totals=[sum(line) for line in grid] if layout.rows_published else None,
        column_totals=[sum(c) for c in zip(*grid, strict=True)]
        if layout.columns_published
        else None,
        total=sum(map(sum, grid)),
        threshold=threshold,
    )


def disclosed_cells(table: SuppressedTable) -> list[tuple[str, str]]:
    """The suppressed cells that the published totals determine exactly (``[]`` when safe)."""
    layout = _Grid(
        table.counts,
        rows_published=table.row_totals is not None,
        columns_published=table.column_totals is not None,
    )
    suppressed = {cell for cell in layout.cells() if table.suppressed[cell[0]][cell[1]]}
    return [(table.rows[i], table.columns[j]) for i, j in _disclosed(layout, suppressed)]
