"""The MEQ code permanent: 4 letters and 8 digits whose first six read DD MM(+50) YY."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.checks import code_permanent_date_valid
from anonymization.recognizers.base import CartableRecognizer


class CodePermanentRecognizer(CartableRecognizer):
    """Code permanent; the date part is validated (no check digit exists)."""

    ENTITY = "CODE_PERMANENT"
    PATTERNS = [Pattern("code permanent", r"\b[A-Z]{4}\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b", 0.5)]
    CONTEXT = {
        "fr": ["permanent", "cp", "code_permanent", "meq", "charlemagne", "eleve"],
        "en": ["permanent", "code", "student", "meq"],
    }

    def invalidate_result(self, pattern_text: str) -> bool:
        """Drop codes whose digits do not start with a real day and month. (Not
        ``validate_result``: a valid date would raise the score to 1.0 and leave context
        no say between a code permanent and a NAM of the same shape.)"""
        return not code_permanent_date_valid(pattern_text)
