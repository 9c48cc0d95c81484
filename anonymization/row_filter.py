"""``--where`` conditions of an extract: ``column OP value``, all of them must hold.

Kept as data and turned into a parameterised SQLAlchemy condition for databases and a
boolean mask for files, so that both readers select the same rows and no text is ever
pasted into SQL. The value decides how to compare, on both sides: one that reads as a number
compares as a number (a text column is cast), a quoted one or any other as text (a number
column is cast); an empty value meets no condition, as in SQL.

>>> RowFilter.parse("niveau >= 7")
RowFilter(column='niveau', op='>=', value=7)
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Float, String, Table, cast
from sqlalchemy import types as sqltypes

from anonymization.operators.base import as_text
from catalog.errors import CartableError

Op = Literal["=", "!=", "<", "<=", ">", ">="]
_PATTERN = re.compile(r"^\s*([^=!<>]+?)\s*(<=|>=|!=|=|<|>)\s*(.*?)\s*$")
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _typed(text: str) -> str | int | float:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


class RowFilter(BaseModel):
    """One condition on a column."""

    column: str
    op: Op
    value: str | int | float

    def __repr__(self) -> str:
        return f"RowFilter(column={self.column!r}, op={self.op!r}, value={self.value!r})"

    @classmethod
    def parse(cls, text: str) -> RowFilter:
        """A condition from ``column OP value`` (quotes around the value are dropped)."""
        match = _PATTERN.match(text)
        if not match or not match.group(3):
            raise CartableError(f"--where '{text}': expected column OP value (OP: = != < <= > >=)")
        column, op, value = match.groups()
        if value[0] in "=<>!":  # « niveau == 7 », « niveau <> 7 »: not ours to guess
            raise CartableError(f"--where '{text}': expected column OP value (OP: = != < <= > >=)")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            return cls(column=column, op=op, value=value[1:-1])  # type: ignore[arg-type]
        return cls(column=column, op=op, value=_typed(value))  # type: ignore[arg-type]

    def sql(self, table: Table) -> ColumnElement[bool]:
        """The condition on a SQLAlchemy table (the value a bound parameter)."""
        if self.column not in table.c:
            raise CartableError(f"--where: no column {self.column} in the source")
        column = table.c[self.column]
        numeric = isinstance(column.type, sqltypes.Integer | sqltypes.Numeric | sqltypes.Float)
        compared: ColumnElement[Any] = column
        if isinstance(self.value, str) and numeric:
            compared = cast(column, String())
        elif not isinstance(self.value, str) and not numeric:
            compared = cast(column, Float())
        return _OPERATORS[self.op](compared, self.value)  # type: ignore[no-any-return]

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """The rows of a chunk of a file that meet the condition."""
        if self.column not in frame.columns:
            raise CartableError(f"--where: no column {self.column} in the source")
        values = frame[self.column]
        present = values.notna()
        if not isinstance(self.value, str):
            values = pd.to_numeric(values, errors="coerce")
            present &= values.notna()
        else:
            values = values.map(as_text, na_action="ignore").astype("string")
        met = _OPERATORS[self.op](values, self.value).fillna(False).astype(bool)
        return met & present  # an empty value meets no condition, as in SQL

    def describe(self) -> str:
        """The condition as written."""
        return f"{self.column} {self.op} {self.value}"
