"""What every Cartable pattern recognizer shares: context words per language, as data."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class CartableRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer whose patterns and context words are class data.

    Context words are lower case without accents: the analyzer compares them without
    regard to accents (``naissance`` matches ``Naissance``, ``né`` matches ``ne``)."""

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[dict[str, list[str]]]

    def __init__(self, supported_language: str = "fr", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=f"{type(self).__name__}_{supported_language}",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT.get(supported_language, []),
        )
