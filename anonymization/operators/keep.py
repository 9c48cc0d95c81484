"""keep: the column as it is (a steward's explicit choice for a personal column)."""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd

from anonymization.operators.base import Operator, OperatorContext, ValueKind


class Keep(Operator):
    """Values unchanged."""

    operator: Literal["keep"] = "keep"
    output_kind: ClassVar[ValueKind | None] = None

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The values themselves."""
        return values
