"""top/bottom-coding: numbers above ``top`` become ``top``, below ``bottom`` become ``bottom``.

The outliers that single people out (the one 21-year-old in secondary 1, the one salary far
above the others) are pulled back to the threshold; the rest keeps its precision.

>>> import pandas as pd
>>> TopBottom(top=18, bottom=12).apply(pd.Series([11, 14, 21, None]), OperatorContext()).tolist()
[12, 14, 18, <NA>]
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd
from pydantic import model_validator

from anonymization.operators.base import Operator, OperatorContext, ValueKind


class TopBottom(Operator):
    """Numbers clipped to ``[bottom, top]`` (whole numbers stay whole); what is not a number
    is left empty."""

    operator: Literal["top_bottom"] = "top_bottom"
    top: float | None = None
    bottom: float | None = None
    generalizes: ClassVar[bool] = True
    output_kind: ClassVar[ValueKind | None] = None  # whole numbers stay whole

    @model_validator(mode="after")
    def _bounds(self) -> TopBottom:
        if self.top is None and self.bottom is None:
            raise ValueError("give top, bottom or both")
        if self.top is not None and self.bottom is not None and self.bottom > self.top:
            raise ValueError("bottom is above top")
        return self

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The clipped numbers."""
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        clipped = numbers.clip(lower=self.bottom, upper=self.top)
        if (clipped.dropna() % 1 == 0).all():
            return clipped.astype("Int64")
        return clipped

    def label(self) -> str:
        """e.g. ``top/bottom-coding(12, 18)``."""
        bounds = ("-" if b is None else f"{b:g}" for b in (self.bottom, self.top))
        return f"top/bottom-coding({', '.join(bounds)})"
