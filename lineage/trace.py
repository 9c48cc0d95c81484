"""What DataHub's column lineage leaves out, traced through SQLGlot's scopes.

DataHub reports, for each output column, the physical columns it reads and the outermost
expression. Two things matter for sensitivity and are missing: a column computed inside a
CTE or subquery keeps only the outer expression (``ROUND(n.francais, 1)`` hides the ``AVG``
of the CTE), and an aggregate over rows (``COUNT(*) … GROUP BY no_fiche``) reads no column at
all. Tracing each select item down through the scopes gives both: the physical columns and
whether the value was copied, transformed or aggregated on the way. The columns that only
decide which rows come out (``WHERE``, ``HAVING``, subqueries in them) are found here too;
DataHub reports join keys only.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, build_scope

from lineage.models import EdgeKind

Leaf = tuple[str, str]  # (table name as written, lower case and dotted; column)


class TracedItem(NamedTuple):
    """The physical columns behind one output column and how the value got there."""

    leaves: frozenset[Leaf]
    kind: EdgeKind


class StatementTrace(NamedTuple):
    """Per output column (in select order) its trace; and the columns used only to filter."""

    items: list[TracedItem]
    filters: frozenset[Leaf]


def table_key(table: exp.Table) -> str:
    """``sis.eleves`` for ``SIS.Eleves AS e`` (``#t`` for T-SQL's ``#t``): the name as
    written, for matching to a URN."""
    return ".".join(
        ("#" if part.args.get("temporary") else "") + part.name for part in table.parts
    ).lower()


def trace_statement(tree: exp.Expr | None, dialect: str) -> StatementTrace | None:
    """Trace the select that feeds a statement's output (None when there is none or SQLGlot
    cannot qualify it)."""
    if not isinstance(tree, exp.Create | exp.Insert | exp.Select):
        return None
    try:
        qualified = qualify(
            tree.copy(), dialect=dialect, validate_qualify_columns=False, identify=False
        )
        root = build_scope(qualified)
    except SqlglotError:
        return None
    if root is None or not isinstance(root.expression, exp.Select):
        return None
    items = [_trace_item(item.unalias(), root) for item in root.expression.selects]
    filters: set[Leaf] = set()
    for scope in root.traverse():
        filters |= _filter_columns(scope)
    return StatementTrace(items=items, filters=frozenset(filters))


def _trace_item(expression: exp.Expr, scope: Scope) -> TracedItem:
    leaves: set[Leaf] = set()
    aggregated = expression.find(exp.AggFunc) is not None
    direct = isinstance(expression, exp.Column)
    columns = list(expression.find_all(exp.Column))
    if not columns and aggregated:  # COUNT(*): the rows counted per group key
        columns = _group_columns(scope)
    for column in columns:
        below = _trace_column(column, scope)
        leaves |= below.leaves
        aggregated = aggregated or below.kind == "aggregation"
        direct = direct and below.kind == "copy"
    kind: EdgeKind = "aggregation" if aggregated else "copy" if direct else "transformation"
    return TracedItem(leaves=frozenset(leaves), kind=kind)


def _trace_column(column: exp.Column, scope: Scope) -> TracedItem:
    source = scope.sources.get(column.table)
    if isinstance(source, exp.Table):
        return TracedItem(leaves=frozenset({(table_key(source), column.name)}), kind="copy")
    if isinstance(source, Scope) and isinstance(source.expression, exp.Select):
        for item in source.expression.selects:
            if item.alias_or_name == column.name:
                return _trace_item(item.unalias(), source)
    return TracedItem(leaves=frozenset(), kind="copy")


def _group_columns(scope: Scope) -> list[exp.Column]:
    group = scope.expression.args.get("group")
    return list(group.find_all(exp.Column)) if group else []


def _filter_columns(scope: Scope) -> set[Leaf]:
    """Columns in the scope's WHERE and HAVING, and everything a subquery of theirs reads."""
    found: set[Leaf] = set()
    select = scope.expression
    if not isinstance(select, exp.Select):
        return found
    if scope.is_subquery and not scope.is_correlated_subquery:
        for item in select.selects:
            found |= _trace_item(item.unalias(), scope).leaves
    for clause in ("where", "having"):
        condition = select.args.get(clause)
        if condition is None:
            continue
        for column in condition.find_all(exp.Column):
            if column.find_ancestor(exp.Subquery, exp.Select) is not select:
                continue  # a subquery's own scope reports it
            found |= _trace_column(column, scope).leaves
    return found
