"""Text as search sees it: accents and case folded, identifiers split into words (pure).

Documents and queries go through the same ``fold``, on SQLite and on PostgreSQL alike, so
``élève``, ``eleve`` and ``ÉLÈVE`` are one word everywhere and ``no_fiche`` matches ``fiche``.

>>> fold("ÉLÈVES_HDAA — Indice de vétusté")
'eleves hdaa indice de vetuste'
>>> query_words("  Indice   VÉTUS* css-12")
['indice', 'vetus', 'css12']
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# the same on the ASCII text _plain gives, several times faster than the expression
_SPACE_OUTSIDE_WORDS = str.maketrans(
    {chr(i): chr(i) if chr(i).isdigit() or "a" <= chr(i) <= "z" else " " for i in range(128)}
)
_COMPOUND = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)+")  # css-12, cs-lakeshore-valley
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
MAX_QUERY_WORDS = 12


def fold(text: str | None) -> str:
    """Lower-case words without accents, separated by single spaces; a compound joined by
    hyphens also stands whole (``css-12`` → ``css 12 css12``), so that a query for the code
    finds it without walking every ``css``."""
    plain = _plain(text)
    words = " ".join(plain.translate(_SPACE_OUTSIDE_WORDS).split())
    return " ".join([words, *_compounds(plain)]) if "-" in plain else words


def _plain(text: str | None) -> str:
    if not text:
        return ""
    lower = text.casefold()
    split = lower if lower == text else _CAMEL.sub(" ", text).casefold()  # dateNaissance
    if not split.isascii():  # drop accents: é → e + ◌́ → e (œ and æ are not decomposed)
        split = split.replace("œ", "oe").replace("æ", "ae")
        split = unicodedata.normalize("NFKD", split).encode("ascii", "ignore").decode("ascii")
    return split


def _compounds(plain: str) -> list[str]:
    return [match.replace("-", "") for match in _COMPOUND.findall(plain)]


def query_words(query: str) -> list[str]:
    """The words of a query, folded, in order, without repeats (at most MAX_QUERY_WORDS); a
    hyphenated compound (``css-12``) is one word, as documents also hold it whole."""
    plain = _COMPOUND.sub(lambda m: m.group().replace("-", ""), _plain(query))
    return list(dict.fromkeys(_NOT_WORD.sub(" ", plain).split()))[:MAX_QUERY_WORDS]


def word_forms(word: str) -> list[str]:
    """The whole words a complete query word stands for: itself, its plural, its singular
    (``eleve`` → ``eleve, eleves, elevex``; ``resultats`` → ``resultats, resultat, …``).

    >>> word_forms("eleves")
    ['eleves', 'elevess', 'elevesx', 'eleve']
    """
    forms = [word, word + "s", word + "x"]
    if len(word) > 3 and word[-1] in "sx":
        forms.append(word[:-1])
    return forms


class QueryWord(NamedTuple):
    """How one query word matches: as whole words (its forms), or as a prefix when it is
    not a whole word of the index (``vetus`` → ``vetuste``)."""

    word: str
    forms: tuple[str, ...]
    prefix: bool

    def finds(self, token: str) -> bool:
        """Whether this query word matches an indexed word."""
        return token.startswith(self.word) if self.prefix else token in self.forms


def matches(words: list[QueryWord], folded_text: str) -> bool:
    """Whether any of ``words`` matches a word of ``folded_text``."""
    present = set(folded_text.split())
    return any(word.finds(token) for word in words for token in present)
