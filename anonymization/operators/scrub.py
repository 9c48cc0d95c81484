"""scrub free text: the spans Cartable's analyzer finds are replaced by Presidio's anonymizer.

The analysis is the one detection uses (French and English, UPPERCASE names, Quebec
identifiers); each span becomes its entity's label (``<PERSON>``), disappears (``redact``)
or is masked with ``*``. Each distinct text is analysed once.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from anonymization.operators.base import Operator, OperatorContext, as_text, empty
from anonymization.text_scan import scan_texts
from catalog.errors import CartableError

REPLACEMENTS = {
    "label": OperatorConfig("replace"),  # Presidio's default: <ENTITY_TYPE>
    "redact": OperatorConfig("redact"),
    "mask": OperatorConfig(
        "mask", {"masking_char": "*", "chars_to_mask": 10_000, "from_end": False}
    ),
}


class Scrub(Operator):
    """Personal information taken out of free text."""

    operator: Literal["scrub"] = "scrub"
    entities: list[str] | None = None  # None: every entity the analyzer knows
    replace_with: Literal["label", "redact", "mask"] = "label"
    language: Literal["auto", "fr", "en"] = "auto"

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The scrubbed texts (nulls stay null)."""
        if context.analyzer is None:
            raise CartableError(f"column {context.column}: scrubbing needs the analyzer")
        present = values.notna()
        result = empty(values.index)
        if not present.any():
            return result
        texts = values[present].map(as_text)
        distinct = list(pd.unique(texts))
        spans = scan_texts(context.analyzer(), distinct, self.language, entities=self.entities)
        engine = AnonymizerEngine()
        operators = {"DEFAULT": REPLACEMENTS[self.replace_with]}
        scrubbed = {
            text: engine.anonymize(
                text=text,
                analyzer_results=[
                    RecognizerResult(s.entity, s.start, s.end, s.score) for s in found
                ],
                operators=operators,
            ).text
            for text, found in zip(distinct, spans, strict=True)
        }
        result[present] = texts.map(scrubbed)
        return result

    def label(self) -> str:
        """e.g. ``scrub(label)``."""
        return f"scrub({self.replace_with})"
