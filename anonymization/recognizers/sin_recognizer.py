"""The social insurance number (NAS/SIN): Presidio's Canadian recognizer, Quebec context.

Presidio's ``CaSinRecognizer`` already checks Luhn and the unused first digits (0, 8) and
scores bare digits very low (one random number in ten passes Luhn): only context words
bring them over the threshold. Cartable gives it French and English context words."""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import CaSinRecognizer

CONTEXT = {
    "fr": ["nas", "assurance", "sociale", "social"],
    "en": ["sin", "social", "insurance"],
}


class SinRecognizer(CaSinRecognizer):
    """NAS / SIN, reported as ``SIN``."""

    ENTITY = "SIN"

    def __init__(self, supported_language: str = "fr", context: list[str] | None = None) -> None:
        super().__init__(
            context=context if context is not None else CONTEXT.get(supported_language, []),
            supported_language=supported_language,
            supported_entity=self.ENTITY,
            name=f"SinRecognizer_{supported_language}",
        )
