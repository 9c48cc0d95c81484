"""The RAMQ health insurance number (NAM): 4 letters and 8 digits reading YY MM(+50) DD.

Same shape as the code permanent; told apart by the order of the date, the column name and
the words around it. Its base score is below the code permanent's so that, without context,
an ambiguous value counts as a code permanent in school data."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.checks import ramq_date_valid
from anonymization.recognizers.base import CartableRecognizer


class RamqRecognizer(CartableRecognizer):
    """Numéro d'assurance maladie; the date part is validated."""

    ENTITY = "RAMQ_NUMBER"
    PATTERNS = [
        Pattern("NAM formatted", r"\b[A-Z]{4}[ -]\d{4}[ -]\d{4}\b", 0.45),
        Pattern("NAM compact", r"\b[A-Z]{4}\d{8}\b", 0.35),
    ]
    CONTEXT = {
        "fr": ["nam", "ramq", "maladie", "assurance", "soleil", "sante"],
        "en": ["ramq", "health", "medicare", "insurance", "card"],
    }

    def invalidate_result(self, pattern_text: str) -> bool:
        """Drop numbers whose digits do not hold a real month and day after the year
        (the base score stands otherwise, so that context words decide)."""
        return not ramq_date_valid(pattern_text)
