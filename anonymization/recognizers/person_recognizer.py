"""Person names from spaCy's NER, without what school data makes it mistake for names.

Two rules over the model's PERSON entities, on the tokens the NLP engine already tagged:

* a name holds a proper noun: an entity made only of common nouns and adjectives
  (« Technicienne », « Physique », « Code » at the start of a sentence) is not a person;
* a person's name in a school's or a building's name is the place's (« École secondaire
  Marie-Victorin », "John Rennie High School"): an entity right after a word such as
  « école », « polyvalente », « pavillon », or followed by "School", is dropped;
* two people joined by « et » or "and" in one entity (« Olivia Vincent and Philippe
  Charest ») are two names.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

PLACE_KINDS = frozenset(
    {
        "ecole", "polyvalente", "college", "academie", "centre", "pavillon", "batiment",
        "edifice", "immeuble", "primaire", "secondaire", "school", "academy", "building",
        "elementary", "high", "secondary", "campus",
    }
)  # fmt: skip
PERSON_ENTITY = "PERSON"
CONJUNCTIONS = frozenset({"et", "and", "&"})


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def names_a_place(entity: Any) -> bool:
    """Whether a spaCy span is part of a place's name (a place word inside, just before or
    just after it)."""
    doc = entity.doc
    around = [t for t in entity]
    if entity.start > 0:
        around.append(doc[entity.start - 1])
    if entity.end < len(doc):
        around.append(doc[entity.end])
    return any(_fold(t.text) in PLACE_KINDS for t in around)


def holds_proper_noun(entity: Any) -> bool:
    """Whether a spaCy span has at least one proper noun (or untagged token)."""
    return any(t.pos_ in ("PROPN", "") for t in entity)


def split_at_conjunctions(result: RecognizerResult, entity: Any) -> list[RecognizerResult]:
    """One result per name of an entity that joins several with « et » or "and"."""
    text = entity.doc.text
    bounds: list[tuple[int, int]] = []
    start = entity.start_char
    for token in entity:
        if token.lower_ in CONJUNCTIONS:
            bounds.append((start, token.idx))
            start = token.idx + len(token.text)
    if not bounds:
        return [result]
    bounds.append((start, entity.end_char))
    parts = []
    for begin, end in bounds:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1] in " ,;":
            end -= 1
        if end > begin:
            parts.append(
                RecognizerResult(
                    result.entity_type,
                    begin,
                    end,
                    result.score,
                    result.analysis_explanation,
                    result.recognition_metadata,
                )
            )
    return parts


class PersonRecognizer(SpacyRecognizer):
    """spaCy's PERSON entities that name people (reported as ``SpacyRecognizer``)."""

    def __init__(self, supported_language: str = "fr", **kwargs: Any) -> None:
        kwargs.setdefault("name", "SpacyRecognizer")
        super().__init__(supported_language=supported_language, **kwargs)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        """The model's entities, less the names that are not people's."""
        results: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts)
        if not results or nlp_artifacts is None:
            return results
        spans = {(e.start_char, e.end_char): e for e in nlp_artifacts.entities}
        kept = []
        for result in results:
            entity = spans.get((result.start, result.end))
            if result.entity_type != PERSON_ENTITY or entity is None:
                kept.append(result)
            elif not names_a_place(entity) and holds_proper_noun(entity):
                kept += split_at_conjunctions(result, entity)
        return kept
