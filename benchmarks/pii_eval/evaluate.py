"""Run a detector over the evaluation set and score it against the targets.

Targets (the personal-information issue): column-level F2 ≥ 0.95 (exact term), free-text
span-level F2 ≥ 0.90, and no column labelled not personal found personal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import AnalyzerEngine

from benchmarks.pii_eval import systems
from benchmarks.pii_eval.scoring import Found, Scores, Tally, match_spans, merge, score_columns
from benchmarks.pii_eval.tables import EvalTable
from benchmarks.pii_eval.texts import EvalText

TARGETS = {"column_f2": 0.95, "span_f2": 0.90, "false_personal_columns": 0}


@dataclass(frozen=True)
class ColumnVerdict:
    """What a detector concluded about one labelled column."""

    table: str
    column: str
    expected: str | None
    found: str | None
    cases: tuple[str, ...]

    @property
    def qualified(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass
class SystemRun:
    """One detector's verdicts and spans over the set, with the time each part took."""

    name: str
    columns: list[ColumnVerdict] = field(default_factory=list)
    texts: list[tuple[EvalText, Scores]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def column_scores(self) -> tuple[Scores, Tally]:
        return score_columns((v.expected, v.found) for v in self.columns)

    @property
    def span_scores(self) -> Scores:
        return merge(scores for _text, scores in self.texts)

    @property
    def false_personal(self) -> list[str]:
        """Columns labelled not personal that were found personal."""
        return [v.qualified for v in self.columns if v.expected is None and v.found is not None]

    def cases(self) -> dict[str, dict[str, Any]]:
        """Per hard case: columns right out of columns, span tallies of the texts."""
        found: dict[str, dict[str, Any]] = {}
        for verdict in self.columns:
            for case in verdict.cases:
                entry = found.setdefault(case, {"columns": 0, "columns_right": 0})
                entry["columns"] += 1
                entry["columns_right"] += verdict.found == verdict.expected
        for text, scores in self.texts:
            for case in text.cases:
                entry = found.setdefault(case, {"columns": 0, "columns_right": 0})
                tally = entry.setdefault("spans", Tally())
                tally.add(scores.overall)
                entry["texts"] = entry.get("texts", 0) + 1
        return found


def run(
    name: str,
    tables: Sequence[EvalTable],
    texts: Sequence[EvalText],
    columns: Callable[[Sequence[EvalTable]], dict[tuple[str, str], str | None]],
    spans: Callable[[Sequence[EvalText]], list[list[Found]]],
) -> SystemRun:
    """Verdicts on every column and spans in every text of one detector."""
    result = SystemRun(name)
    start = time.perf_counter()
    verdicts = columns(tables)
    result.seconds["columns"] = time.perf_counter() - start
    for table in tables:
        for column in table.columns:
            found = verdicts[(table.qualified, column.name)]
            result.columns.append(
                ColumnVerdict(table.qualified, column.name, column.expected, found, column.cases)
            )
    start = time.perf_counter()
    found_spans = spans(texts)
    result.seconds["texts"] = time.perf_counter() - start
    for text, found in zip(texts, found_spans, strict=True):
        expected = [(s.term, s.start, s.end) for s in text.spans]
        result.texts.append((text, match_spans(expected, found)))
    return result


def run_cartable(
    tables: Sequence[EvalTable], texts: Sequence[EvalText], analyzer: AnalyzerEngine
) -> SystemRun:
    """Cartable's column classification and free-text scan over the set."""

    def columns(tables: Sequence[EvalTable]) -> dict[tuple[str, str], str | None]:
        return {
            (t.qualified, c.name): systems.cartable_column(t, c, analyzer)
            for t in tables
            for c in t.columns
        }

    return run("Cartable", tables, texts, columns, lambda ts: systems.cartable_spans(ts, analyzer))


def run_vanilla(
    tables: Sequence[EvalTable], texts: Sequence[EvalText], analyzer: AnalyzerEngine
) -> SystemRun:
    """Vanilla Presidio over the set."""
    return run(
        "vanilla Presidio",
        tables,
        texts,
        lambda ts: systems.vanilla_columns(ts, analyzer),
        lambda ts: systems.vanilla_spans(ts, analyzer),
    )


def targets_met(result: SystemRun) -> dict[str, bool]:
    """Each target, met or not."""
    column_scores, _personal = result.column_scores
    return {
        "column_f2": column_scores.overall.f2 >= TARGETS["column_f2"],
        "span_f2": result.span_scores.overall.f2 >= TARGETS["span_f2"],
        "false_personal_columns": len(result.false_personal) <= TARGETS["false_personal_columns"],
    }


def summary(result: SystemRun) -> dict[str, Any]:
    """Everything measured of one detector, as JSON-ready data (names and counts only)."""
    column_scores, personal = result.column_scores
    spans = result.span_scores
    return {
        "system": result.name,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
        "columns": {
            "overall": column_scores.overall.as_dict(),
            "personal_or_not": personal.as_dict(),
            "by_term": {t: s.as_dict() for t, s in sorted(column_scores.by_term.items())},
            "false_personal": result.false_personal,
            "wrong": [
                {"column": v.qualified, "expected": v.expected, "found": v.found}
                for v in result.columns
                if v.found != v.expected
            ],
        },
        "spans": {
            "overall": spans.overall.as_dict(),
            "by_term": {t: s.as_dict() for t, s in sorted(spans.by_term.items())},
        },
        "hard_cases": {
            case: {k: (v.as_dict() if isinstance(v, Tally) else v) for k, v in entry.items()}
            for case, entry in sorted(result.cases().items())
        },
        "targets": targets_met(result),
    }
