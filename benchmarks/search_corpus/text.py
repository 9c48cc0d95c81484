"""How the benchmark reads text: lower case without accents, words split on anything not a
letter or digit, a light plural stem — deliberately lenient, so that "no other dataset
matches" holds for any reasonable search engine."""

from __future__ import annotations

import re
import unicodedata

STOP_WORDS = frozenset(
    "a au aux d de des du en et l la le les par pour sur un une dans ou sans dont apres "
    "an and at by for from in of on or the to with".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower case, accents removed: ``ÉLÈVES_HDAA`` → ``eleves_hdaa``."""
    lowered = text.lower().replace("œ", "oe").replace("æ", "ae")  # not decomposed by NFKD
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """The folded tokens of a text, split at anything not a letter or digit."""
    return _TOKEN.findall(fold(text))


def words(text: str) -> list[str]:
    """Folded words as an analyst types them (hyphens kept: ``marie-victorin``, ``css-12``)."""
    return [w for w in _WORD.findall(fold(text).replace("_", " ")) if w not in STOP_WORDS]


def stem(token: str) -> str:
    """A plural stem, lenient: ``eleves`` → ``eleve``, ``travaux`` → ``travau``."""
    if len(token) > 3 and token[-1] in "sx":
        return token[:-1]
    return token
