"""What every operator of an extract policy shares: its configuration model and its inputs.

An operator is a pydantic model (its YAML configuration) with an ``apply`` that turns one
chunk of a column into the extract's values, vectorised over the chunk. Operators that
transform value by value do so once per distinct value of the chunk (identifiers repeat:
a student has many results).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from presidio_analyzer import AnalyzerEngine
from pydantic import BaseModel, ConfigDict

from anonymization.keys import Keyring
from catalog.errors import CartableError

# The kinds of value an extract column holds (they decide the Parquet types).
ValueKind = str  # "string" | "integer" | "float" | "boolean" | "date" | "datetime"


@dataclass
class OperatorContext:
    """What operators may need beyond the values: a key, the holder, counts, the analyzer."""

    keyring: Keyring | None = None
    organization: str | None = None
    as_of: date = field(default_factory=date.today)
    # value counts over the whole extract, per column, for operators that need them
    frequencies: Mapping[str, Mapping[Hashable, int]] = field(default_factory=dict)
    # the Presidio analyzer, built on first use (loading spaCy takes seconds)
    analyzer: Callable[[], AnalyzerEngine] | None = None
    column: str = ""

    def key(self, purpose: str, length: int = 32) -> bytes:
        """The active key's subkey for ``purpose``."""
        if self.keyring is None:
            raise CartableError(f"column {self.column}: this operator needs a key")
        return self.keyring.subkey(purpose, length=length)


class Operator(BaseModel):
    """One step of a column's rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    operator: str
    needs_key: ClassVar[bool] = False
    needs_frequencies: ClassVar[bool] = False
    generalizes: ClassVar[bool] = False  # its output is a quasi-identifier by default
    output_kind: ClassVar[ValueKind | None] = "string"  # None: the input's kind

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The extract's values for one chunk of the column."""
        raise NotImplementedError

    def coarsen(self) -> Callable[[Any], Any] | None:
        """One more step of generalization of this operator's output, if it has one."""
        return None

    def label(self) -> str:
        """A short description for lineage and reports (no secret, no value)."""
        return self.operator


def map_distinct(values: pd.Series, transform: Callable[[Any], Any]) -> pd.Series:
    """``transform`` applied once per distinct non-null value; nulls stay null (None)."""
    return map_distinct_all(values, lambda distinct: [transform(value) for value in distinct])


def map_distinct_all(
    values: pd.Series, transform_all: Callable[[Sequence[Any]], list[Any]]
) -> pd.Series:
    """``transform_all`` given the distinct non-null values at once (one call: a tight loop
    for operators where the per-value cost is the work itself); nulls stay null (None)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    table = np.empty(len(distinct) + 1, dtype=object)  # the last entry: None, for nulls
    table[: len(distinct)] = transform_all(distinct)
    return pd.Series(table[codes], index=values.index, dtype=object)


def empty(index: pd.Index) -> pd.Series:
    """A column of nulls (None, not NaN) to fill in."""
    return pd.Series([None] * len(index), index=index, dtype=object)


def as_text(value: Any) -> str:
    """A value as the text a person would read (``12`` not ``12.0`` for whole numbers)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
