"""generalize a school to its organization (the school service centre or board).

Without a ``mapping`` every school becomes the holder organization of the dataset (the
common case: a centre's own system lists its own schools). With one, each school code maps
to its organization; a school not in it is left empty rather than copied through.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pandas as pd

from anonymization.operators.base import Operator, OperatorContext, as_text, map_distinct
from catalog.errors import CartableError


class GeneralizeSchool(Operator):
    """The organization of each school."""

    operator: Literal["generalize"] = "generalize"
    to: Literal["organization"]
    mapping: dict[str, str] | None = None
    generalizes: ClassVar[bool] = True

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The organization codes (nulls stay null)."""
        if self.mapping is not None:
            mapping = self.mapping
            return map_distinct(values, lambda v: mapping.get(as_text(v)))
        if context.organization is None:
            raise CartableError(
                f"column {context.column}: the dataset has no organization; give a mapping"
            )
        organization = context.organization
        return map_distinct(values, lambda _v: organization)

    def label(self) -> str:
        """``generalize(school → organization)``."""
        return "generalize(school → organization)"
