"""What an extract will do to each column of its source, checked before anything is read.

The plan joins a policy to the source's columns and their personal-information terms: the
steps of each column kept, the columns removed, the quasi-identifiers and sensitive
attributes of the risk analysis, and whether a key or the analyzer is needed. Every
mistake a policy can hold about a source is found here, before the first row is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from pydantic import BaseModel

from anonymization.operators import (
    Keep,
    OperatorContext,
    Remove,
    Scrub,
    Step,
    SuppressRare,
    ValueKind,
)
from anonymization.policy import ExtractPolicy
from catalog.errors import CartableError


class SourceColumn(BaseModel):
    """A column of the source: its name, the kind of its values, its personal-info terms."""

    name: str
    kind: ValueKind = "string"
    terms: list[str] = []  # personal-information term ids (code_permanent, birth_date…)


class ColumnPlan(BaseModel):
    """One column of the extract and the steps that make it."""

    name: str
    steps: tuple[Step, ...]
    kind: ValueKind
    terms: list[str]

    @property
    def label(self) -> str:
        """The steps as one short text (``generalize(year)``, ``keep``…)."""
        return " → ".join(step.label() for step in self.steps)

    @property
    def transformed(self) -> bool:
        """Whether the values change on their way into the extract."""
        return any(not isinstance(step, Keep) for step in self.steps)


class ExtractPlan(BaseModel):
    """The columns of an extract, in source order, and what the run needs."""

    columns: list[ColumnPlan]
    removed: list[str]
    quasi_identifiers: list[str]
    sensitive: list[str]
    needs_key: bool
    needs_analyzer: bool

    def counted_steps(self) -> dict[str, tuple[Step, ...]]:
        """Columns whose values must be counted over the whole extract first (they suppress
        rare values), with the steps that come before the counting."""
        counted = {}
        for column in self.columns:
            for index, step in enumerate(column.steps):
                if isinstance(step, SuppressRare):
                    counted[column.name] = column.steps[:index]
                    break
        return counted

    def transform(self, chunk: pd.DataFrame, context: OperatorContext) -> pd.DataFrame:
        """One chunk of the source as the extract's rows."""
        out = {}
        for column in self.columns:
            out[column.name] = run_steps(column.name, column.steps, chunk[column.name], context)
        return pd.DataFrame(out, index=chunk.index)

    def coarseners(self) -> dict[str, Callable[[Any], Any]]:
        """One more step of generalization for each quasi-identifier that has one."""
        found = {}
        for column in self.columns:
            if column.name in self.quasi_identifiers:
                # rare-value suppression keeps the previous step's values: coarsen those
                shaping = [s for s in column.steps if not isinstance(s, SuppressRare)]
                coarsen = shaping[-1].coarsen() if shaping else None
                if coarsen is not None:
                    found[column.name] = coarsen
        return found


def run_steps(
    name: str, steps: tuple[Step, ...], values: pd.Series, context: OperatorContext
) -> pd.Series:
    """A column's values through its steps."""
    context.column = name
    for step in steps:
        values = step.apply(values, context)
    return values


def _kind(steps: tuple[Step, ...], source: ValueKind) -> ValueKind:
    kind = source
    for step in steps:
        kind = step.output_kind or kind
    return kind


def plan_extract(policy: ExtractPolicy, columns: list[SourceColumn]) -> ExtractPlan:
    """The plan of ``policy`` on a source with ``columns``; CartableError on any mismatch."""
    names = [c.name for c in columns]
    unknown = sorted(set(policy.columns) - set(names))
    if unknown:
        raise CartableError(f"policy {policy.name}: no column {', '.join(unknown)} in the source")
    kept, removed, unruled = [], [], []
    for column in columns:
        steps = policy.steps(column.name, column.terms)
        if steps is None:
            if column.terms:
                unruled.append(f"{column.name} ({', '.join(column.terms)})")
                continue
            steps = (Remove(),) if policy.unlisted == "remove" else (Keep(),)
        if isinstance(steps[0], Remove):
            removed.append(column.name)
            continue
        kept.append(
            ColumnPlan(
                name=column.name, steps=steps, kind=_kind(steps, column.kind), terms=column.terms
            )
        )
    if unruled:
        raise CartableError(
            f"policy {policy.name}: no rule for personal information in {'; '.join(unruled)} "
            "(name an operator; keep to keep it as it is)"
        )
    return _with_risk(policy, kept, removed)


def _with_risk(policy: ExtractPolicy, kept: list[ColumnPlan], removed: list[str]) -> ExtractPlan:
    names = {c.name for c in kept}
    # by default the generalized columns, but a sensitive attribute (the value whose
    # diversity is measured within each class) never doubles as a quasi-identifier
    quasi = policy.risk.quasi_identifiers or [
        c.name
        for c in kept
        if any(step.generalizes for step in c.steps) and c.name not in policy.risk.sensitive
    ]
    for role, listed in (
        ("quasi-identifier", quasi),
        ("sensitive attribute", policy.risk.sensitive),
    ):
        missing = [name for name in listed if name not in names]
        if missing:
            raise CartableError(
                f"policy {policy.name}: {role} {', '.join(missing)} is not a column of the extract"
            )
    steps = [step for column in kept for step in column.steps]
    needs_key = any(step.needs_key for step in steps)
    if needs_key and policy.key is None:
        raise CartableError(f"policy {policy.name}: pseudonyms and encryption need a key")
    return ExtractPlan(
        columns=kept,
        removed=removed,
        quasi_identifiers=quasi,
        sensitive=list(policy.risk.sensitive),
        needs_key=needs_key,
        needs_analyzer=any(isinstance(step, Scrub) for step in steps),
    )
