"""Which language a free text is written in: French or English (lingua, offline models).

Chosen over langdetect (nondeterministic unless seeded, weak on short texts) and fastText
(a model file to fetch): lingua ships its models in the wheel and is accurate on the short
texts of notes and comments.
"""

from __future__ import annotations

from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = {Language.FRENCH: "fr", Language.ENGLISH: "en"}


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def detect_language(text: str, default: str = "fr") -> str:
    """``fr`` or ``en`` (``default`` when the text says nothing, e.g. digits only)."""
    found = _detector().detect_language_of(text)
    return LANGUAGES.get(found, default) if found else default


def detect_languages(texts: list[str], default: str = "fr") -> list[str]:
    """The language of each text, in one call."""
    found = _detector().detect_languages_in_parallel_of(texts)
    return [LANGUAGES.get(lang, default) if lang else default for lang in found]
