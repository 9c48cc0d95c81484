"""The SAAQ driver's licence: one letter and twelve digits (``A1234-567890-12``)."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.recognizers.base import CartableRecognizer


class SaaqLicenceRecognizer(CartableRecognizer):
    """Format only: the SAAQ publishes no check."""

    ENTITY = "SAAQ_LICENCE"
    PATTERNS = [
        Pattern("SAAQ formatted", r"\b[A-Z]\d{4}[- ]\d{6}[- ]\d{2}\b", 0.6),
        Pattern("SAAQ compact", r"\b[A-Z]\d{12}\b", 0.4),
    ]
    CONTEXT = {
        "fr": ["permis", "conduire", "saaq"],
        "en": ["licence", "license", "driver", "saaq"],
    }
