"""Personal information in free text: language routing, UPPERCASE names, batched NLP.

Legacy systems write names in capitals (« HÉLÈNE CÔTÉ »), which spaCy's models do not read
as names. Runs of two or more capitalised words are re-cased (same length, same offsets)
before the analysis, so the spans found point into the original text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerResult

from anonymization.language import detect_languages
from anonymization.models import PiiSpan

_WORD = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+"
UPPERCASE_RUN = re.compile(rf"\b{_WORD}(?:[ \t]+{_WORD})+\b")
BATCH_SIZE = 64


def recase_uppercase_runs(text: str) -> str:
    """The text with every run of capitalised words in title case, offsets unchanged.

    >>> recase_uppercase_runs("Rencontre avec HÉLÈNE CÔTÉ et JEAN-PAUL O'BRIEN (TDAH).")
    "Rencontre avec Hélène Côté et Jean-Paul O'Brien (TDAH)."
    """

    def title(match: re.Match[str]) -> str:
        words = match.group(0)
        recased = words.title()
        return recased if len(recased) == len(words) else words

    return UPPERCASE_RUN.sub(title, text)


def _from_model(result: RecognizerResult) -> bool:
    return (result.recognition_metadata or {}).get("recognizer_name") == "SpacyRecognizer"


def resolve_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """One entity per stretch of text: patterns before the NER model (a postal code is not
    part of a name), then the best-scored, then the longest.

    The code permanent and the health insurance number share their shape: where both
    recognizers match, context decides through the score."""
    kept: list[RecognizerResult] = []
    order = sorted(results, key=lambda r: (_from_model(r), -r.score, -(r.end - r.start), r.start))
    for result in order:
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


def _trim_possessive(text: str):  # type: ignore[no-untyped-def]
    """A name's span without an English possessive (« Kevin Smith's » → « Kevin Smith »)."""

    def trim(result: RecognizerResult) -> RecognizerResult:
        if result.entity_type == "PERSON" and text[result.start : result.end][-2:].lower() in (
            "'s",
            "’s",
        ):
            result.end -= 2
        return result

    return trim


def scan_texts(
    analyzer: AnalyzerEngine,
    texts: Sequence[str],
    language: str = "auto",
    *,
    entities: list[str] | None = None,
) -> list[list[PiiSpan]]:
    """The personal-information spans of each text (``language``: auto, fr or en)."""
    languages = detect_languages(list(texts)) if language == "auto" else [language] * len(texts)
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, lang in enumerate(languages):
        by_language[lang].append(index)
    found: list[list[PiiSpan]] = [[] for _ in texts]
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    for lang, indexes in by_language.items():
        recased = [recase_uppercase_runs(texts[i]) for i in indexes]
        results = batch.analyze_iterator(
            recased, language=lang, batch_size=BATCH_SIZE, entities=entities
        )
        for index, spans in zip(indexes, results, strict=True):
            found[index] = [
                PiiSpan(
                    entity=r.entity_type,
                    start=r.start,
                    end=r.end,
                    score=round(r.score, 3),
                    language=lang,
                    recognizer=(r.recognition_metadata or {}).get("recognizer_name"),
                )
                for r in map(_trim_possessive(texts[index]), resolve_overlaps(spans))
            ]
    return found
