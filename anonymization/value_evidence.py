"""What a sample of a column's values shows, without keeping any of them.

Identifiers are matched by the pattern recognizers alone (regular expressions and checks,
no NLP); only free text, and short values that look like names when the column's name does
not settle it, go through the NLP model, in batches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from presidio_analyzer import AnalyzerEngine, EntityRecognizer
from presidio_analyzer.predefined_recognizers import EmailRecognizer
from pydantic import BaseModel, Field

from anonymization.recognizers import RECOGNIZERS
from anonymization.text_scan import recase_uppercase_runs, scan_texts

FREE_TEXT_MIN_LENGTH = 40
NAME_LIKE = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?:[ ,]+[A-ZÀ-Ý][\w'’-]+){1,3}$")
CELL_COVERAGE = 0.8  # a match must cover most of the cell to count for the column
DIRECTORY_ORDER = re.compile(r"^\s*([^,]+?)\s*,\s*([^,]+?)\s*$")


class ValueEvidence(BaseModel):
    """Counts over the sampled values (never the values)."""

    sampled: int = 0
    matched: dict[str, int] = Field(default_factory=dict)
    free_text: bool = False
    texts_with_pi: int = 0
    text_entities: dict[str, int] = Field(default_factory=dict)


@cache
def _pattern_recognizers() -> tuple[EntityRecognizer, ...]:
    found: list[EntityRecognizer] = [cls(supported_language="fr") for cls in RECOGNIZERS.values()]
    found.append(EmailRecognizer(supported_language="fr"))
    return tuple(found)


def _cell_entities(value: str) -> set[str]:
    """The entities whose match covers (nearly) the whole cell."""
    text = value.strip()
    entities = set()
    for recognizer in _pattern_recognizers():
        for result in recognizer.analyze(text, recognizer.supported_entities, None):  # type: ignore[arg-type]
            if (result.end - result.start) >= CELL_COVERAGE * len(text):
                entities.add(result.entity_type)
    return entities


def is_free_text(values: Sequence[str]) -> bool:
    """Long values with spaces: notes, comments, descriptions."""
    if not values:
        return False
    long_ones = sum(1 for v in values if len(v) >= FREE_TEXT_MIN_LENGTH and " " in v.strip())
    return long_ones >= 0.5 * len(values)


def looks_like_names(values: Sequence[str]) -> bool:
    """Mostly two to four capitalised words (« Hélène Côté », « CÔTÉ, HÉLÈNE »)."""
    if not values:
        return False
    named = sum(1 for v in values if NAME_LIKE.match(recase_uppercase_runs(v.strip())))
    return named >= 0.6 * len(values)


def reading_order(cell: str) -> str:
    """A name in directory order read as written in a sentence, capitals re-cased (the NER
    model reads « Hélène Côté », not « CÔTÉ, HÉLÈNE »).

    >>> reading_order("CÔTÉ, HÉLÈNE"), reading_order("Hélène Côté")
    ('Hélène Côté', 'Hélène Côté')
    """
    found = DIRECTORY_ORDER.match(cell)
    text = f"{found.group(2)} {found.group(1)}" if found else cell.strip()
    return recase_uppercase_runs(text)


def needs_nlp(values: Sequence[str], check_names: bool) -> bool:
    """Whether ``value_evidence`` reads these values with the NLP model: free text, and
    names when the column's name does not settle it."""
    cells = [v for v in values if v and v.strip()]
    return is_free_text(cells) or (check_names and looks_like_names(cells))


def value_evidence(
    values: Sequence[str], analyzer: AnalyzerEngine | None, *, check_names: bool = False
) -> ValueEvidence:
    """Counts of what the values hold; ``analyzer`` (NLP) is used only where it is needed."""
    cells = [v for v in values if v and v.strip()]
    evidence = ValueEvidence(sampled=len(cells))
    if not cells:
        return evidence
    evidence.free_text = is_free_text(cells)
    if evidence.free_text:
        if analyzer is not None:
            found = scan_texts(analyzer, cells)
            evidence.texts_with_pi = sum(1 for spans in found if spans)
            evidence.text_entities = dict(Counter(s.entity for spans in found for s in spans))
        return evidence
    counts: Counter[str] = Counter()
    for cell in cells:
        counts.update(_cell_entities(cell))
    if check_names and analyzer is not None and looks_like_names(cells):
        names = [reading_order(cell) for cell in cells]
        for cell, spans in zip(names, scan_texts(analyzer, names), strict=True):
            if any(s.entity == "PERSON" and (s.end - s.start) >= 0.6 * len(cell) for s in spans):
                counts["PERSON"] += 1
    evidence.matched = dict(counts)
    return evidence
