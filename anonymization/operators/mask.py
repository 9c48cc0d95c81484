"""mask: characters hidden behind a masking character, some kept at either end.

>>> import pandas as pd
>>> Mask(keep_last=4).apply(pd.Series(["514 555-1234", None]), OperatorContext()).tolist()
['********1234', None]
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field

from anonymization.operators.base import Operator, OperatorContext, as_text, map_distinct


class Mask(Operator):
    """Every character but the first ``keep_first`` and last ``keep_last`` masked (all of a
    value too short to hide anything)."""

    operator: Literal["mask"] = "mask"
    char: str = Field(default="*", min_length=1, max_length=1)
    keep_first: int = Field(default=0, ge=0)
    keep_last: int = Field(default=0, ge=0)

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The masked values (nulls stay null)."""
        return map_distinct(values, self._mask)

    def _mask(self, value: object) -> str:
        text = as_text(value)
        hidden = len(text) - self.keep_first - self.keep_last
        if hidden <= 0:  # nothing would be hidden: hide it all
            return self.char * len(text)
        tail = text[len(text) - self.keep_last :]
        return text[: self.keep_first] + self.char * hidden + tail

    def label(self) -> str:
        """e.g. ``mask(first 0, last 4)``."""
        return f"mask(first {self.keep_first}, last {self.keep_last})"
