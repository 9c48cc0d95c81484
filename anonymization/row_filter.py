"""``--where`` conditions of an extract: ``column OP value``, all of them must hold.

Kept as data and turned into a parameterised SQLAlchemy condition for databases and a
boolean mask for files, so that both readers select the same rows and no text is ever
pasted into SQL. A value that reads as a number compares as a number.

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
from sqlalchemy import ColumnElement, Table

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
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            return cls(column=column, op=op, value=value[1:-1])  # type: ignore[arg-type]
        return cls(column=column, op=op, value=_typed(value))  # type: ignore[arg-type]

    def sql(self, table: Table) -> ColumnElement[bool]:
        """The condition on a SQLAlchemy table (the value a bound parameter)."""
        if self.column not in table.c:
            raise CartableError(f"--where: no column {self.column} in the source")
        return _OPERATORS[self.op](table.c[self.column], self.value)  # type: ignore[no-any-return]

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """The rows of a chunk of a file that meet the condition."""
        if self.column not in frame.columns:
            raise CartableError(f"--where: no column {self.column} in the source")
        values = frame[self.column]
        if not isinstance(self.value, str):
            values = pd.to_numeric(values, errors="coerce")
        else:
            values = values.astype("string")
        return _OPERATORS[self.op](values, self.value).fillna(False).astype(bool)

    def describe(self) -> str:
        """The condition as written."""
        return f"{self.column} {self.op} {self.value}"
