"""UI text through gettext catalogues (``ui/locales/<lang>/LC_MESSAGES/cartable.po``).

Message ids are the English text; French is the default language of the product.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES = Path(__file__).with_name("locales")


@cache
def messages(language: str) -> dict[str, str]:
    """The translated messages of one language (msgid → msgstr)."""
    path = LOCALES / language / "LC_MESSAGES" / "cartable.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string}


def translator(language: str) -> Callable[[str], str]:
    """A ``_`` function for ``language``: unknown messages fall back to the English id."""
    table = messages(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    return lambda text: table.get(text, text)
