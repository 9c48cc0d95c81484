"""Text as search sees it: accents and case folded, identifiers split into words (pure).

Documents and queries go through the same ``fold``, on SQLite and on PostgreSQL alike, so
``élève``, ``eleve`` and ``ÉLÈVE`` are one word everywhere and ``no_fiche`` matches ``fiche``.

>>> fold("ÉLÈVES_HDAA — Indice de vétusté")
'eleves hdaa indice de vetuste'
>>> fold("Dossier d’élève, 2013–2014")
'dossier d eleve 2013 2014'
>>> query_words("  Indice   VÉTUS* css-12")
['indice', 'vetus', 'css12']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Byte tables (bytes.translate is faster than str.translate or an expression): the same
# as _NOT_WORD on the ASCII text _plain gives ...
_SPACE_OUTSIDE_WORDS = bytes(
    i if chr(i).isdigit() or "a" <= chr(i) <= "z" else ord(" ") for i in range(256)
)
# ... and each ASCII letter to its case ("a" or "A"), every other byte of the UTF-8 text to
# a space: a text holds a camel-case boundary only where "aA" appears
_CASES = bytes(
    ord("a") if "a" <= chr(i) <= "z" else ord("A") if "A" <= chr(i) <= "Z" else ord(" ")
    for i in range(256)
)
_COMPOUND = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)+")  # css-12, cs-lakeshore-valley
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MARKS = re.compile(r"[\u0300-\u036f]")  # the accents NFKD separates from their letters
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")  # ’ – — « » and letters without an ASCII form
MAX_QUERY_WORDS = 12
REPEATED_TEXTS = 4096  # folded texts kept by fold_repeated


def fold(text: str | None) -> str:
    """Lower-case words without accents, separated by single spaces; a compound joined by
    hyphens also stands whole (``css-12`` → ``css 12 css12``), so that a query for the code
    finds it without walking every ``css``."""
    if not text:
        return ""
    plain = _plain(text)
    words = " ".join(plain.encode().translate(_SPACE_OUTSIDE_WORDS).decode().split())
    return " ".join([words, *_compounds(plain)]) if "-" in plain else words


@lru_cache(maxsize=REPEATED_TEXTS)
def fold_repeated(text: str) -> str:
    """``fold`` for the texts many datasets share (an organization, a domain, the columns of
    a table every school service centre has): each folded once while it keeps recurring."""
    return fold(text)


def _plain(text: str | None) -> str:
    if not text:
        return ""
    lower = text.casefold()
    camel = lower != text and b"aA" in text.encode().translate(_CASES)
    split = _CAMEL.sub(" ", text).casefold() if camel else lower  # dateNaissance
    if not split.isascii():  # drop accents: é → e + ◌́ → e (œ and æ are not decomposed)
        split = split.replace("œ", "oe").replace("æ", "ae")
        decomposed = _MARKS.sub("", unicodedata.normalize("NFKD", split))
        split = _NOT_ASCII.sub(" ", decomposed)  # l’élève, 2013–2014: the words stay apart
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
    """How one query word matches: as whole words (its forms), and also as a prefix when it
    is not a whole word of the index (``vetus`` → ``vetuste``) or when nothing had every
    word whole."""

    word: str
    forms: tuple[str, ...]
    prefix: bool

    def finds(self, token: str) -> bool:
        """Whether this query word matches an indexed word."""
        return token in self.forms or (self.prefix and token.startswith(self.word))

    def shorter_forms(self) -> list[str]:
        """The forms a prefix match would miss: the singular of a plural (``eleves`` →
        ``eleve``), so that a word tried as a prefix still finds what it found whole."""
        return [form for form in self.forms if not form.startswith(self.word)]


def matches(words: list[QueryWord], folded_text: str) -> bool:
    """Whether any of ``words`` matches a word of ``folded_text``."""
    present = set(folded_text.split())
    return any(word.finds(token) for word in words for token in present)
