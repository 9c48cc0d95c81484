"""suppress rare values: a value held by fewer than ``min_count`` rows of the whole extract
is replaced (by ``replacement``, or left empty).

The counts come from a first pass over the source (after the column's earlier steps), so a
value rare in the extract is suppressed in every chunk, whichever chunk it falls in.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd
from pydantic import Field

from anonymization.operators.base import Operator, OperatorContext


class SuppressRare(Operator):
    """Values seen fewer than ``min_count`` times replaced."""

    operator: Literal["suppress_rare"] = "suppress_rare"
    min_count: int = Field(default=5, ge=2)
    replacement: str | None = None
    needs_frequencies: ClassVar[bool] = True
    generalizes: ClassVar[bool] = True

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The values, rare ones replaced."""
        counts = context.frequencies.get(context.column, {})
        seen = values.map(dict(counts)).fillna(0)
        rare = values.notna() & (seen < self.min_count)
        result = values.astype(object).copy()
        result[rare] = self.replacement
        return result

    def label(self) -> str:
        """e.g. ``suppress rare values (< 5)``."""
        return f"suppress rare values (< {self.min_count})"
