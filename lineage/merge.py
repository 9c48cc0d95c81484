"""Column lineage of ``MERGE``, which DataHub's parser reports at table level only.

Each ``UPDATE SET col = value`` and ``INSERT (cols) VALUES (values)`` branch is rewritten as
one select over the source joined to the target, and traced like any other select: the
``ON`` and ``WHEN … AND`` conditions are its filter.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlglot import exp

from lineage.trace import Leaf, TracedItem, table_key, trace_statement


class MergeAssignment(NamedTuple):
    """One target column of a MERGE, what feeds it and the SQL that computes it."""

    column: str
    traced: TracedItem
    logic: str


class MergeLineage(NamedTuple):
    """The target table (as written) of a MERGE, its assignments and its filter columns."""

    target: str
    assignments: list[MergeAssignment]
    filters: frozenset[Leaf]


def merge_lineage(tree: exp.Expr | None, dialect: str) -> MergeLineage | None:
    """Lineage of a ``MERGE`` statement (None for any other statement)."""
    if not isinstance(tree, exp.Merge) or not isinstance(tree.this, exp.Table):
        return None
    target = tree.this
    assignments = _assignments(tree)
    conditions = [tree.args["on"]] + [
        when.args["condition"] for when in _whens(tree) if when.args.get("condition")
    ]
    select = (
        exp.select(*(exp.alias_(value.copy(), f"c{i}") for i, (_, value) in enumerate(assignments)))
        .from_(tree.args["using"].copy())
        .join(target.copy(), join_type="cross")
        .where(*(condition.copy() for condition in conditions))
    )
    trace = trace_statement(select, dialect)
    if trace is None:
        return None
    own = table_key(target)
    return MergeLineage(
        target=own,
        assignments=[
            MergeAssignment(
                column=column,
                traced=TracedItem(
                    frozenset(leaf for leaf in item.leaves if leaf[0] != own), item.kind
                ),
                logic=value.sql(dialect),
            )
            for (column, value), item in zip(assignments, trace.items, strict=True)
        ],
        filters=trace.filters,
    )


def _whens(tree: exp.Merge) -> list[exp.When]:
    whens = tree.args.get("whens")
    return list(whens.expressions) if whens else []


def _assignments(tree: exp.Merge) -> list[tuple[str, exp.Expr]]:
    found = []
    for when in _whens(tree):
        then = when.args.get("then")
        if isinstance(then, exp.Update):
            found += [(eq.this.name, eq.expression) for eq in then.expressions]
        elif isinstance(then, exp.Insert) and isinstance(then.this, exp.Tuple):
            values = then.expression.expressions if then.expression else []
            found += [
                (column.name, value)
                for column, value in zip(then.this.expressions, values, strict=False)
            ]
    return found
