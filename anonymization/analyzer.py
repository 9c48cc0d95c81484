"""The network's Presidio analyzer: spaCy models from PyPI, Cartable's recognizers, offline.

Built once per process (loading the French model takes seconds). Context words are matched
without regard to accents: stewards and teachers write « ne le » as often as « né le ».
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
)

import anonymization.offline  # noqa: F401  (before Presidio: tldextract stays offline)
from anonymization.recognizers import RECOGNIZERS
from anonymization.recognizers.person_recognizer import PersonRecognizer
from anonymization.settings import AnalyzerSettings, load_settings
from catalog.errors import CartableError

# Every label of the English and French spaCy pipelines; those not mapped are ignored.
SPACY_LABELS = {
    "PER", "PERSON", "LOC", "ORG", "MISC", "GPE", "NORP", "FAC", "PRODUCT", "EVENT",
    "WORK_OF_ART", "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY",
    "ORDINAL", "CARDINAL",
}  # fmt: skip
PRESIDIO_RECOGNIZERS = {
    "EmailRecognizer": EmailRecognizer,
    "SpacyRecognizer": PersonRecognizer,  # spaCy's NER, less what names no person
    "IbanRecognizer": IbanRecognizer,
    "CreditCardRecognizer": CreditCardRecognizer,
    "IpRecognizer": IpRecognizer,
}


def fold(text: str) -> str:
    """Lower case without accents: ``Née`` → ``nee``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class AccentInsensitiveEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer, comparing words without accents or case."""

    @staticmethod
    def _find_supportive_word_in_context(
        context_list: list[str],
        recognizer_context_list: list[str],
        matching_mode: str = "whole_word",
    ) -> str:
        if not context_list or not recognizer_context_list:
            return ""
        words = {fold(word) for word in context_list}
        for wanted in recognizer_context_list:
            if fold(wanted) in words:
                return wanted
        return ""


def build_analyzer(settings: AnalyzerSettings) -> AnalyzerEngine:
    """A Presidio analyzer for the configured languages and recognizers."""
    models = [
        {"lang_code": lang, "model_name": model} for lang, model in settings.languages.items()
    ]
    mapping = dict(settings.ner_entities)
    ner = NerModelConfiguration(
        model_to_presidio_entity_mapping=mapping, labels_to_ignore=SPACY_LABELS - set(mapping)
    )
    for model in settings.languages.values():  # Presidio would download a missing model
        if not spacy.util.is_package(model):
            raise CartableError(f"the spaCy model '{model}' is not installed (pip install it)")
    nlp_engine = SpacyNlpEngine(models=models, ner_model_configuration=ner)
    nlp_engine.load()
    languages = list(settings.languages)
    registry = RecognizerRegistry(supported_languages=languages)
    for language in languages:
        for name, setting in settings.recognizers.items():
            if not setting.enabled:
                continue
            if name not in RECOGNIZERS:
                raise CartableError(f"unknown recognizer '{name}' in the analyzer configuration")
            extra = setting.context.get(language)
            recognizer_class = RECOGNIZERS[name]
            recognizer = recognizer_class(supported_language=language)
            if extra:
                recognizer.context = [*(recognizer.context or []), *extra]
            registry.add_recognizer(recognizer)
        for name in settings.presidio_recognizers:
            if name not in PRESIDIO_RECOGNIZERS:
                raise CartableError(f"unknown Presidio recognizer '{name}'")
            if name == "SpacyRecognizer":
                entities = sorted(set(mapping.values()))
                registry.add_recognizer(
                    PersonRecognizer(supported_language=language, supported_entities=entities)
                )
            else:
                registry.add_recognizer(PRESIDIO_RECOGNIZERS[name](supported_language=language))
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=languages,
        default_score_threshold=settings.score_threshold,
        context_aware_enhancer=AccentInsensitiveEnhancer(context_prefix_count=6),
    )


@cache
def network_analyzer(config: Path | None = None) -> AnalyzerEngine:
    """The analyzer of the shipped (or given) configuration, built once per process."""
    return build_analyzer(load_settings(config))
