"""The kind of a column edge, from the SQL expression that computes the downstream column."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from lineage.models import EdgeKind


def edge_kind(is_direct_copy: bool, column_logic: str | None, dialect: str | None) -> EdgeKind:
    """``copy`` when the value passes unchanged, ``aggregation`` when an aggregate function
    computes it (counts, averages: small-cell risk rather than personal information),
    ``transformation`` otherwise.

    >>> edge_kind(False, 'AVG("r"."note") AS "moyenne"', "sqlite")
    'aggregation'
    >>> edge_kind(False, 'UPPER("e"."nom") AS "nom"', "sqlite")
    'transformation'
    """
    if is_direct_copy:
        return "copy"
    if column_logic:
        try:
            parsed = sqlglot.parse_one(column_logic, read=dialect)
        except sqlglot.errors.ParseError:
            return "transformation"
        if parsed.find(exp.AggFunc) is not None:
            return "aggregation"
    return "transformation"
