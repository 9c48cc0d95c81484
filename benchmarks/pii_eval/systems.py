"""The two detectors measured: Cartable's and vanilla Presidio, as verdicts and spans.

Cartable's column verdict is the path of ``anonymization/scan.py`` (``PiiScanner.scan``)
without the catalogue: the column name's term, ``value_evidence`` over the sample (the NLP
analyzer only when some value is not a number), ``classify_column`` with the table's
``about_places``, and a finding counts when ``confidence >= MIN_CONFIDENCE`` (as
``DatasetScan.personal``). Its free-text spans are ``scan_texts`` (language detected).

Vanilla Presidio: ``AnalyzerEngine`` over spaCy's ``fr_core_news_md`` with Presidio's default
recognizers for French and its default threshold, nothing of Cartable's; every text is
analysed as French. Its spans are kept as Presidio's anonymizer would keep them (of two
overlapping spans, the better scored, then the longer). Its column verdict, from the same
sampled cells:

* a column whose cells are mostly long texts (at least half of them 40 characters or more
  with a space) is ``free_text`` when any cell holds an entity;
* otherwise the entity found in the most cells, as its term (``VANILLA_TERMS``), when it is
  found in at least half of them; else not personal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerResult

from anonymization.classify import MIN_CONFIDENCE
from anonymization.column_names import about_places
from anonymization.entities import ENTITY_TERMS
from anonymization.scan import classify_sample
from anonymization.text_scan import scan_texts
from anonymization.value_evidence import is_free_text
from benchmarks.pii_eval.scoring import Found
from benchmarks.pii_eval.tables import EvalColumn, EvalTable
from benchmarks.pii_eval.texts import EvalText

OTHER = "other"  # an entity with no term of the glossary: always a false positive
# Vanilla Presidio's entity types (default French recognizers and spaCy labels) as terms.
VANILLA_TERMS = {
    "PERSON": "person_name",
    "EMAIL_ADDRESS": "email",
    "EMAIL": "email",
    "PHONE_NUMBER": "phone_number",
    "LOCATION": "home_address",
    "DATE_TIME": "birth_date",
}
VANILLA_MODEL = "fr_core_news_md"
CELL_SHARE = 0.5


def cartable_term(entity: str) -> str:
    """The glossary term of a Cartable entity type."""
    return ENTITY_TERMS.get(entity, OTHER)


def vanilla_term(entity: str) -> str:
    """The glossary term of a vanilla Presidio entity type."""
    return VANILLA_TERMS.get(entity, OTHER)


# Cartable


def cartable_column(table: EvalTable, column: EvalColumn, analyzer: AnalyzerEngine) -> str | None:
    """Cartable's verdict on one column (the scan's own rule): its term, or None."""
    finding = classify_sample(
        column.name,
        column.native_type,
        list(column.values),
        lambda: analyzer,
        place_table=about_places(table.name),
    )
    return finding.term if finding.term and finding.confidence >= MIN_CONFIDENCE else None


def cartable_spans(texts: Sequence[EvalText], analyzer: AnalyzerEngine) -> list[list[Found]]:
    """Cartable's spans in each text, as (term, start, end)."""
    found = scan_texts(analyzer, [t.text for t in texts], "auto")
    return [[(cartable_term(s.entity), s.start, s.end) for s in spans] for spans in found]


# Vanilla Presidio


def vanilla_analyzer() -> AnalyzerEngine:
    """Presidio as it comes: the French spaCy model, default recognizers and threshold."""
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    import anonymization.offline  # noqa: F401  (tldextract's bundled list: no network)

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": VANILLA_MODEL}],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["fr"])


def without_conflicts(results: Sequence[RecognizerResult]) -> list[RecognizerResult]:
    """Of overlapping spans, the better scored, then the longer (the anonymizer's rule)."""
    kept: list[RecognizerResult] = []
    for result in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


def _vanilla_results(analyzer: AnalyzerEngine, texts: list[str]) -> list[list[RecognizerResult]]:
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    found = batch.analyze_iterator(texts, language="fr", batch_size=64)
    return [without_conflicts(results) for results in found]


def vanilla_spans(texts: Sequence[EvalText], analyzer: AnalyzerEngine) -> list[list[Found]]:
    """Vanilla Presidio's spans in each text, as (term, start, end)."""
    found = _vanilla_results(analyzer, [t.text for t in texts])
    return [[(vanilla_term(r.entity_type), r.start, r.end) for r in results] for results in found]


def vanilla_columns(
    tables: Sequence[EvalTable], analyzer: AnalyzerEngine
) -> dict[tuple[str, str], str | None]:
    """Vanilla Presidio's verdict on every column, by (table, column), all cells in one batch."""
    cells: list[str] = []
    owners: list[tuple[int, int]] = []
    for t, table in enumerate(tables):
        for c, column in enumerate(table.columns):
            for value in column.values:
                if value.strip():
                    cells.append(value)
                    owners.append((t, c))
    per_cell = _vanilla_results(analyzer, cells)
    entities: dict[tuple[int, int], list[set[str]]] = {}
    for owner, results in zip(owners, per_cell, strict=True):
        entities.setdefault(owner, []).append({r.entity_type for r in results})
    verdicts: dict[tuple[str, str], str | None] = {}
    for t, table in enumerate(tables):
        for c, column in enumerate(table.columns):
            found = entities.get((t, c), [])
            verdicts[(table.qualified, column.name)] = _vanilla_verdict(column, found)
    return verdicts


def _vanilla_verdict(column: EvalColumn, found: list[set[str]]) -> str | None:
    if not found:
        return None
    if is_free_text([v for v in column.values if v.strip()]):
        return "free_text" if any(found) else None
    cells = Counter(entity for entities in found for entity in entities)
    if not cells:
        return None
    entity, count = min(cells.items(), key=lambda kv: (-kv[1], kv[0]))
    return vanilla_term(entity) if count >= CELL_SHARE * len(found) else None
