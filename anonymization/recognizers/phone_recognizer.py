"""Quebec phone numbers: North American numbers with a Quebec area code."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.checks import quebec_phone_valid
from anonymization.recognizers.base import CartableRecognizer


class QuebecPhoneRecognizer(CartableRecognizer):
    """``(514) 555-1234``, ``514-555-1234``, ``514 555 1234``, ``+1 514 555 1234``."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern("NANP", r"(?<!\d)(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?!\d)", 0.5),
        Pattern("NANP bare", r"\b\d{10}\b", 0.2),
    ]
    CONTEXT = {
        "fr": ["telephone", "tel", "cellulaire", "cell", "joindre", "appeler"],
        "en": ["phone", "tel", "cell", "call", "mobile"],
    }

    def invalidate_result(self, pattern_text: str) -> bool:
        """Only Quebec area codes (a valid one keeps the pattern's score: ten bare digits
        still need a context word)."""
        return not quebec_phone_valid(pattern_text)
