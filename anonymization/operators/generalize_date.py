"""generalize a date: to its year, its month, or the person's age band on a reference day.

Dates are read as ISO (``2011-03-14``) unless ``format`` says otherwise (legacy systems write
``14/03/2011``: ``format: "%d/%m/%Y"``). A value that is not a date, or a birth after the
reference day, is left empty, never copied through.

>>> import pandas as pd
>>> from datetime import date
>>> rule = GeneralizeDate(to="age_band", width=5)
>>> rule.apply(pd.Series(["2011-03-14", "2001-06-01", None]),
...            OperatorContext(as_of=date(2026, 6, 30))).tolist()
['15-19', '25-29', None]
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import Field

from anonymization.operators.base import Operator, OperatorContext, ValueKind, empty


def band(age: int, width: int) -> str:
    """The band of ``width`` years holding ``age``: ``band(12, 5)`` is ``10-14``."""
    low = age // width * width
    return f"{low}-{low + width - 1}"


class GeneralizeDate(Operator):
    """A date made coarser: year, month (``YYYY-MM``) or age band."""

    operator: Literal["generalize"] = "generalize"
    to: Literal["year", "month", "age_band"]
    width: int = Field(default=5, ge=1, le=50)  # years per age band
    as_of: date | None = None  # the day ages are counted on (default: the extract's day)
    format: str | None = None  # strptime format of text dates (default: ISO 8601)
    generalizes: ClassVar[bool] = True
    output_kind: ClassVar[ValueKind | None] = "string"

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The coarser values (nulls and non-dates empty)."""
        dates = pd.to_datetime(values, errors="coerce", format=self.format or "ISO8601")
        result = empty(values.index)
        known = dates.notna()
        if not known.any():
            return result
        read = dates[known]
        if self.to == "year":
            result[known] = read.dt.year.astype(str)
        elif self.to == "month":
            result[known] = read.dt.strftime("%Y-%m")
        else:
            day = self.as_of or context.as_of
            before_birthday = (read.dt.month > day.month) | (
                (read.dt.month == day.month) & (read.dt.day > day.day)
            )
            ages = day.year - read.dt.year - before_birthday.astype(int)
            bands = {age: None if age < 0 else band(int(age), self.width) for age in ages.unique()}
            result[known] = ages.map(bands)
        return result

    def coarsen(self) -> Callable[[Any], Any] | None:
        """Year → decade, month → year, age band → a band twice as wide."""
        if self.to == "year":
            return lambda value: f"{str(value)[:3]}0s"
        if self.to == "month":
            return lambda value: str(value)[:4]
        return lambda value: band(int(str(value).split("-")[0]), self.width * 2)

    def label(self) -> str:
        """e.g. ``generalize(age band of 5 years)``."""
        if self.to == "age_band":
            return f"generalize(age band of {self.width} years)"
        return f"generalize({self.to})"
