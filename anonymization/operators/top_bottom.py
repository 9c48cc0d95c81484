"""top/bottom-coding: numbers above ``top`` become ``top``, below ``bottom`` become ``bottom``.

The outliers that single people out (the one 21-year-old in secondary 1, the one salary far
above the others) are pulled back to the threshold; the rest keeps its precision.

>>> import pandas as pd
>>> values = pd.Series([11, 14, 21, None], dtype=object)  # as a reader gives them
>>> TopBottom(top=18, bottom=12).apply(values, OperatorContext()).tolist()
[12, 14, 18, <NA>]
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd
from pydantic import model_validator

from anonymization.operators.base import (
    Operator,
    OperatorContext,
    ValueKind,
    as_text,
    map_distinct,
)


class TopBottom(Operator):
    """Numbers clipped to ``[bottom, top]``, in the column's own kind (integers, decimals or
    text); what is not a number is left empty."""

    operator: Literal["top_bottom"] = "top_bottom"
    top: float | None = None
    bottom: float | None = None
    generalizes: ClassVar[bool] = True
    output_kind: ClassVar[ValueKind | None] = None  # whole numbers stay whole

    @property
    def _bounds_(self) -> tuple[float | None, float | None]:
        return self.bottom, self.top

    @model_validator(mode="after")
    def _bounds(self) -> TopBottom:
        if self.top is None and self.bottom is None:
            raise ValueError("give top, bottom or both")
        if self.top is not None and self.bottom is not None and self.bottom > self.top:
            raise ValueError("bottom is above top")
        return self

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The clipped numbers."""
        kind = pd.api.types.infer_dtype(values, skipna=True)
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        clipped = numbers.clip(lower=self.bottom, upper=self.top)
        if kind == "integer" and all(b is None or float(b).is_integer() for b in self._bounds_):
            return clipped.round().astype("Int64")  # integers stay integers
        if kind in ("string", "mixed", "mixed-integer"):
            return map_distinct(clipped, as_text)  # text stays text (« 12 », not « 12.0 »)
        return clipped

    def label(self) -> str:
        """e.g. ``top/bottom-coding(12, 18)``."""
        bounds = ("-" if b is None else f"{b:g}" for b in (self.bottom, self.top))
        return f"top/bottom-coding({', '.join(bounds)})"
