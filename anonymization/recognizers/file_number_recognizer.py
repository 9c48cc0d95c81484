"""Student file numbers and employee numbers: local formats, found only with context."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.recognizers.base import CartableRecognizer


class FileNumberRecognizer(CartableRecognizer):
    """``fiche 1234567``, ``matricule E-10234``: a number right after its name."""

    ENTITY = "FILE_NUMBER"
    PATTERNS = [Pattern("local number", r"\b[A-Z]{0,2}-?\d{5,8}\b", 0.05)]
    CONTEXT = {
        "fr": ["fiche", "matricule", "dossier", "no", "numero"],
        "en": ["file", "student", "employee", "number", "id"],
    }
