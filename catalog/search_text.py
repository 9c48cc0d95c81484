"""Text as search sees it: accents and case folded, identifiers split into words (pure).

Documents and queries go through the same ``fold``, on SQLite and on PostgreSQL alike, so
``élève``, ``eleve`` and ``ÉLÈVE`` are one word everywhere and ``no_fiche`` matches ``fiche``.

>>> fold("ÉLÈVES_HDAA — Indice de vétusté")
'eleves hdaa indice de vetuste'
>>> query_words("  Indice   VÉTUS* ")
['indice', 'vetus']
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
MAX_QUERY_WORDS = 12


def fold(text: str | None) -> str:
    """Lower-case words without accents, separated by single spaces."""
    if not text:
        return ""
    split = _CAMEL.sub(" ", text).casefold()  # dateNaissance → date naissance
    if not split.isascii():  # drop accents: é → e + ◌́ → e (œ and æ are not decomposed)
        split = split.replace("œ", "oe").replace("æ", "ae")
        split = unicodedata.normalize("NFKD", split).encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", split).strip()


def query_words(query: str) -> list[str]:
    """The words of a query, folded, in order, without repeats (at most MAX_QUERY_WORDS)."""
    return list(dict.fromkeys(fold(query).split()))[:MAX_QUERY_WORDS]


def matches(words: list[str], folded_text: str) -> bool:
    """Whether any of ``words`` starts a word of ``folded_text`` (prefix matching)."""
    present = folded_text.split()
    return any(token.startswith(word) for word in words for token in present)
