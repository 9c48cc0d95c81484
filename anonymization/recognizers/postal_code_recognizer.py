"""The Canadian postal code (``H2X 1Y4``): Presidio's recognizer, with French context."""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import CaPostalCodeRecognizer

CONTEXT = {
    "fr": ["postal", "cp", "adresse", "domicile", "habiter", "habite", "demeurer"],
    "en": ["postal", "address", "live", "lives"],
}
# Presidio scores a well-formed code 0.3 (under the threshold without context); in school
# records « J1H 2K3 » is specific enough to stand on its own, the compact form is not.
PATTERNS = [
    Pattern(
        "postal code",
        r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d\b",
        0.5,
    ),
    Pattern(
        "postal code, compact",
        r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d\b",
        0.3,
    ),
]


class PostalCodeRecognizer(CaPostalCodeRecognizer):
    """Postal code, reported as ``POSTAL_CODE`` (letters Canada Post never uses rejected)."""

    ENTITY = "POSTAL_CODE"

    def __init__(self, supported_language: str = "fr", context: list[str] | None = None) -> None:
        super().__init__(
            patterns=PATTERNS,
            context=context if context is not None else CONTEXT.get(supported_language, []),
            supported_language=supported_language,
            supported_entity=self.ENTITY,
            name=f"PostalCodeRecognizer_{supported_language}",
        )
