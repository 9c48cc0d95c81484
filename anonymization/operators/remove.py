"""remove: the column does not appear in the extract at all."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from anonymization.operators.base import Operator, OperatorContext


class Remove(Operator):
    """No column in the extract."""

    operator: Literal["remove"] = "remove"

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """Never called: the plan drops the column before reading it."""
        raise AssertionError("a removed column is never read")
