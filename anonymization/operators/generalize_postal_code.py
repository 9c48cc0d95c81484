"""generalize a postal code to its first characters (3: the forward sortation area).

>>> import pandas as pd
>>> GeneralizePostalCode(to="postal_prefix").apply(
...     pd.Series(["h2x 1y4", "G1R4P5", None]), OperatorContext()).tolist()
['H2X', 'G1R', None]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import Field

from anonymization.operators.base import Operator, OperatorContext, as_text, map_distinct


class GeneralizePostalCode(Operator):
    """The first ``keep`` characters of the postal code, in capitals, without spaces."""

    operator: Literal["generalize"] = "generalize"
    to: Literal["postal_prefix"]
    keep: int = Field(default=3, ge=1, le=5)
    generalizes: ClassVar[bool] = True

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The prefixes (nulls stay null)."""
        return map_distinct(values, lambda v: as_text(v).replace(" ", "").upper()[: self.keep])

    def coarsen(self) -> Callable[[Any], Any] | None:
        """A prefix one character shorter (down to the first letter)."""
        shorter = max(1, self.keep - 1) if self.keep > 1 else None
        return None if shorter is None else (lambda value: str(value)[:shorter])

    def label(self) -> str:
        """e.g. ``generalize(postal code, 3 characters)``."""
        return f"generalize(postal code, {self.keep} characters)"
