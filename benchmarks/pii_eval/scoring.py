"""Precision, recall and F2 of column verdicts and of text spans (pure functions).

Columns: a verdict is a term or ``None``. Per term, a true positive is a column labelled
with the term and found with it; a column found with another term counts as a false
positive of that term and a false negative of its own. "Personal" scores only whether a
column is found personal at all.

Spans: a found span matches an expected one of the same term when their characters overlap
by at least half of their union (IoU ≥ 0.5); each expected span is matched once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MIN_IOU = 0.5
OVERALL = "(all)"


@dataclass
class Tally:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f2(self) -> float:
        p, r = self.precision, self.recall
        return 5 * p * r / (4 * p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f2": round(self.f2, 4),
        }


@dataclass
class Scores:
    """Tallies per term, with the overall (micro) tally under ``OVERALL``."""

    by_term: dict[str, Tally] = field(default_factory=dict)

    def tally(self, term: str) -> Tally:
        return self.by_term.setdefault(term, Tally())

    @property
    def overall(self) -> Tally:
        total = Tally()
        for term, tally in self.by_term.items():
            if term != OVERALL:
                total.add(tally)
        return total


def score_columns(pairs: Iterable[tuple[str | None, str | None]]) -> tuple[Scores, Tally]:
    """(scores per term, personal-or-not tally) of (expected, found) column verdicts."""
    scores, personal = Scores(), Tally()
    for expected, found in pairs:
        if expected is not None and found == expected:
            scores.tally(expected).tp += 1
        else:
            if found is not None:
                scores.tally(found).fp += 1
            if expected is not None:
                scores.tally(expected).fn += 1
        if expected is not None and found is not None:
            personal.tp += 1
        elif found is not None:
            personal.fp += 1
        elif expected is not None:
            personal.fn += 1
    return scores, personal


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Characters in common over characters covered by either span."""
    common = min(a[1], b[1]) - max(a[0], b[0])
    if common <= 0:
        return 0.0
    return common / (max(a[1], b[1]) - min(a[0], b[0]))


Found = tuple[str, int, int]  # term, start, end


def match_spans(expected: Sequence[Found], found: Sequence[Found]) -> Scores:
    """Per-term tallies of one text's found spans against its expected ones."""
    scores = Scores()
    free = list(expected)
    for term, start, end in sorted(found, key=lambda f: f[1]):
        best = max(
            (e for e in free if e[0] == term),
            key=lambda e: iou((start, end), (e[1], e[2])),
            default=None,
        )
        if best is not None and iou((start, end), (best[1], best[2])) >= MIN_IOU:
            free.remove(best)
            scores.tally(term).tp += 1
        else:
            scores.tally(term).fp += 1
    for term, _start, _end in free:
        scores.tally(term).fn += 1
    return scores


def merge(all_scores: Iterable[Scores]) -> Scores:
    """The sum of several texts' tallies."""
    total = Scores()
    for scores in all_scores:
        for term, tally in scores.by_term.items():
            total.tally(term).add(tally)
    return total


def counts(labels: Iterable[str | None]) -> Counter[str]:
    """How many of each label (``None`` as ``not personal``)."""
    return Counter(label or "not personal" for label in labels)
