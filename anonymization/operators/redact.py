"""redact: the column stays, every value replaced by one text (or left empty)."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from anonymization.operators.base import Operator, OperatorContext, empty


class Redact(Operator):
    """Every non-empty value becomes ``replacement`` (empty when not given)."""

    operator: Literal["redact"] = "redact"
    replacement: str | None = None

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The replacement where a value was."""
        result = empty(values.index)
        if self.replacement is not None:
            result[values.notna()] = self.replacement
        return result
