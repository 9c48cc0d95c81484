"""Personal information in free text: language routing, UPPERCASE names, batched NLP.

Legacy systems write names in capitals (« HÉLÈNE CÔTÉ »), which spaCy's models do not read
as names. Runs of two or more capitalised words are re-cased (same length, same offsets)
before the analysis, so the spans found point into the original text.

Two rules of reading follow the analysis: where a code permanent and a NAM share a span
(same shape, both dates valid), the label written nearest before it decides; and an
address, postal code or phone number whose sentence is about a school or a building
(« L'école … est située au … ») is the place's, not a person's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerResult

from anonymization.analyzer import fold
from anonymization.language import detect_languages
from anonymization.models import PiiSpan

_WORD = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+"
UPPERCASE_RUN = re.compile(rf"\b{_WORD}(?:[ \t]+{_WORD})+\b")
BATCH_SIZE = 64
SAME_SHAPE = ("CODE_PERMANENT", "RAMQ_NUMBER")
LABEL_WINDOW = 80  # characters before a value where its label is looked for
# Words that make a sentence about a place, and words that make it about a person's home.
PLACE_WORDS = frozenset(
    {
        "ecole", "polyvalente", "college", "academie", "pavillon", "batiment", "immeuble",
        "edifice", "gymnase", "secretariat", "school", "academy", "building", "office",
        "campus", "etablissement", "centre",
    }
)  # fmt: skip
HOME_WORDS = frozenset(
    {
        "domicile", "habite", "habitent", "reside", "residence", "demeure", "famille", "mere",
        "pere", "parent", "parents", "tuteur", "tutrice", "eleve", "home", "lives", "live",
        "resides", "family", "mother", "father", "guardian", "student",
    }
)  # fmt: skip
PLACE_ENTITIES = frozenset({"HOME_ADDRESS", "POSTAL_CODE", "PHONE_NUMBER"})
# Between a street address and the municipality that follows it: a comma, an apartment.
AFTER_ADDRESS = re.compile(r"\s*,\s*(?:(?:app|apt|appartement|suite|unit)\.?\s*\d+\s*,\s*)?", re.I)
_WORDS = re.compile(r"\w+(?:-\w+)*")  # « Sainte-Famille » is one word, not « famille »
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÀ-Ý])|\n")  # not « app. 6 »


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


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORDS.findall(text)]


def _distance(words: list[str], wanted: frozenset[str] | set[str]) -> int | None:
    """How many words back the nearest wanted word is (0: the last one), None if absent."""
    for back, word in enumerate(reversed(words)):
        if word in wanted:
            return back
    return None


def nearest_label(
    text: str, results: list[RecognizerResult], labels: dict[str, set[str]]
) -> list[RecognizerResult]:
    """Where a code permanent and a NAM cover the same characters, keep the one whose
    context word (``labels``: entity → folded words) comes nearest before it.

    >>> from presidio_analyzer import RecognizerResult as R
    >>> text = "Code permanent TREM12550301 dans Charlemagne; NAM TREM03551205."
    >>> found = [R("CODE_PERMANENT", 50, 62, 0.85), R("RAMQ_NUMBER", 50, 62, 0.7)]
    >>> words = {"CODE_PERMANENT": {"permanent", "charlemagne"}, "RAMQ_NUMBER": {"nam"}}
    >>> [r.entity_type for r in nearest_label(text, found, words)]
    ['RAMQ_NUMBER']
    """
    spans: dict[tuple[int, int], list[RecognizerResult]] = defaultdict(list)
    for result in results:
        if result.entity_type in SAME_SHAPE:
            spans[(result.start, result.end)].append(result)
    dropped: set[int] = set()
    for (start, _end), rivals in spans.items():
        if len({r.entity_type for r in rivals}) < 2:
            continue
        before = _words(text[max(0, start - LABEL_WINDOW) : start])
        distances = {
            r.entity_type: _distance(before, labels.get(r.entity_type, set())) for r in rivals
        }
        known = {e: d for e, d in distances.items() if d is not None}
        if known:
            nearest = min(known, key=lambda e: known[e])
            dropped.update(id(r) for r in rivals if r.entity_type != nearest)
    return [r for r in results if id(r) not in dropped]


def places_not_people(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Without the addresses, postal codes and phones of schools and buildings: those whose
    sentence names a place (« école », "building"…) nearer before them than anything of a
    person (a name found, « domicile », « mère », "lives"…).

    >>> from presidio_analyzer import RecognizerResult as R
    >>> text = "L'école est située au 12, rue Roy. La famille habite au 40, rue Roy."
    >>> [text[r.start : r.end] for r in places_not_people(text, [R("HOME_ADDRESS", 22, 33, 1), R("HOME_ADDRESS", 56, 67, 1)])]
    ['40, rue Roy']
    """  # noqa: E501
    results = municipalities_not_people(text, results)
    people = [r for r in results if r.entity_type == "PERSON"]
    kept = []
    for result in results:
        if result.entity_type in PLACE_ENTITIES:
            starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, result.start)]
            sentence = starts[-1] if starts else 0
            before = text[sentence : result.start]
            place = _distance(_words(before), PLACE_WORDS)
            if place is not None:
                home = _distance(_words(before), HOME_WORDS)
                named = [
                    len(_words(text[p.end : result.start]))
                    for p in people
                    if sentence <= p.start and p.end <= result.start
                ]
                person = min([d for d in (home, *named) if d is not None], default=None)
                if person is None or place < person:
                    continue
        kept.append(result)
    return kept


def municipalities_not_people(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Without the "names" that follow a street address: « 12, rue Roy, Lévis » ends with
    its municipality, which the NER model may take for a person.

    >>> from presidio_analyzer import RecognizerResult as R
    >>> text = "Located at 12 Hill Street, Lévis."
    >>> found = [R("HOME_ADDRESS", 11, 25, 0.4), R("PERSON", 27, 32, 0.85)]
    >>> [r.entity_type for r in municipalities_not_people(text, found)]
    ['HOME_ADDRESS']
    """
    ends = [r.end for r in results if r.entity_type == "HOME_ADDRESS"]
    return [
        r
        for r in results
        if r.entity_type != "PERSON"
        or not any(AFTER_ADDRESS.fullmatch(text, end, r.start) for end in ends if end <= r.start)
    ]


def _labels(analyzer: AnalyzerEngine, language: str) -> dict[str, set[str]]:
    """The context words of the same-shape identifiers' recognizers, folded."""
    labels: dict[str, set[str]] = defaultdict(set)
    for recognizer in analyzer.registry.get_recognizers(language, entities=list(SAME_SHAPE)):
        for entity in recognizer.supported_entities:
            labels[entity].update(fold(w) for w in recognizer.context or [])
    return labels


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
        labels = _labels(analyzer, lang)
        for index, spans in zip(indexes, results, strict=True):
            text = texts[index]
            spans = resolve_overlaps(nearest_label(text, list(spans), labels))
            found[index] = [
                PiiSpan(
                    entity=r.entity_type,
                    start=r.start,
                    end=r.end,
                    score=round(r.score, 3),
                    language=lang,
                    recognizer=(r.recognition_metadata or {}).get("recognizer_name"),
                )
                for r in map(_trim_possessive(text), places_not_people(text, spans))
            ]
    return found
