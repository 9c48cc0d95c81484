"""The benchmark's queries: each built from one target dataset's own words, typed the way an
analyst types (lower case, no accents, prefixes, French and English mixed), and accepted only
when no other dataset of the corpus holds every word of the query.

"Holds" is lenient on purpose (``TokenIndex``): a query word matches any word of any text
the dataset carries — URN, name, description, steward's note, column names and
descriptions, tags, terms, owners, domain, organization, platform, system — by prefix, with
or without a plural ``s``/``x``. A dataset that holds all the words under that rule is the
only one that can match them all under any stricter engine, so the expected answer is the
clearly best match. Words come from what the dataset shows: its name (with a database's
schema), description, columns and organization; words are added from the target (the
schema, the year, the school…) until it is the only one.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from search_corpus.corpus import Dataset
from search_corpus.text import stem, tokens, words

MAX_WORDS = 6
# How the 200 queries are spread over the kinds (cycled in this order).
PLAN = ("name", "description", "prefix", "column", "name", "org_topic", "description",
        "mixed", "prefix", "legacy", "name", "column", "description", "org_topic", "prefix",
        "name", "mixed", "column", "description", "legacy")  # fmt: skip
_SCHOOL_WORDS = frozenset(
    "ecole secondaire elementary school high academy community saint sainte".split()
)
_ORG_WORDS = frozenset("centre services scolaire commission school board".split())


@dataclass(frozen=True)
class Query:
    """A query, the dataset it must find, how it was built."""

    text: str
    expected: str  # URN
    expected_name: str
    kind: str


def dataset_text(d: Dataset) -> list[str]:
    """Every text a dataset's aspects carry (what the lenient match looks at)."""
    parts = [d.urn, d.name, d.qualified, d.org, d.platform, d.system, "organisme systeme"]
    parts += [d.description or "", d.note or "", d.domain or "", "Table File"]
    parts += [f"{name} {desc or ''}" for name, desc in d.columns]
    parts += d.tags + d.terms + d.owners
    return parts


class TokenIndex:
    """Which datasets hold a word, by prefix and plural stem (see the module docstring)."""

    def __init__(self, datasets: Sequence[Dataset]) -> None:
        postings: dict[str, list[int]] = {}
        for i, d in enumerate(datasets):
            seen = {t for part in dataset_text(d) for t in tokens(part)}
            for token in seen | {stem(t) for t in seen}:
                postings.setdefault(token, []).append(i)
        self._postings = postings
        self._keys = sorted(postings)
        self._cache: dict[str, frozenset[int]] = {}

    def holding(self, token: str) -> frozenset[int]:
        """Datasets with a word that starts with the token's stem."""
        if token not in self._cache:
            root, found = stem(token), set()
            j = bisect_left(self._keys, root)
            while j < len(self._keys) and self._keys[j].startswith(root):
                found.update(self._postings[self._keys[j]])
                j += 1
            self._cache[token] = frozenset(found)
        return self._cache[token]

    def holding_all(self, query_words: Sequence[str]) -> set[int]:
        """Datasets that hold every token of every word."""
        sets = sorted((self.holding(t) for w in query_words for t in tokens(w)), key=len)
        result = set(sets[0]) if sets else set()
        for other in sets[1:]:
            result &= other
        return result


Built = tuple[list[str], list[str]] | None  # base words, words to add until unique
Builder = Callable[[Dataset, random.Random, dict[str, str]], Built]


def _plain(d: Dataset) -> str:
    return d.name.rsplit(".", 1)[0] if d.platform == "file" else d.name


def _system(d: Dataset) -> list[str]:
    """The system, where the dataset shows it (a database's schema in its name); a file
    carries it only in a custom property, which is not what analysts search."""
    return [] if d.platform == "file" else [d.system]


def _name_words(d: Dataset) -> list[str]:
    return [w for w in words(_plain(d)) if not (w.isdigit() and len(w) < 3)]


def _content(text: str | None) -> list[str]:
    return [w for w in words(text or "") if len(w) > 3 and not w[0].isdigit()]


def _school(d: Dataset) -> list[str]:
    return [w for w in words(d.school or "") if w not in _SCHOOL_WORDS]


def _by_name(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    return _name_words(d) + [d.org], [*_system(d), str(d.year)]


def _legacy(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    return _by_name(d, rng, orgs) if d.legacy else None


def _prefix(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    base, extras = _name_words(d) + [d.org], [*_system(d), str(d.year)]
    candidates = [k for k, w in enumerate(base[:-1]) if w.isalpha() and len(w) >= 6]
    if not candidates:
        return None
    longest = max(candidates, key=lambda k: len(base[k]))
    cut = max(4, len(base[longest]) - rng.randint(2, 3))
    base[longest] = base[longest][:cut]
    return base, extras


def _description(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    school, content = _school(d), _content(d.description)
    if not school or not content:
        return None
    return [content[0], *school], [str(d.year), *content[1:2], d.org]


def _column(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    from search_corpus.vocabulary import COMMON_COLUMNS

    common = {c.fr for c in COMMON_COLUMNS} | {c.en for c in COMMON_COLUMNS}
    own = [n for n, _ in d.columns if n.lower() not in common and "champ" not in n.lower()]
    if not own or not _name_words(d):
        return None
    column = rng.choice(own).lower()
    return [column, _name_words(d)[0], d.org], [str(d.year), *_system(d)]


def _org_topic(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    name = orgs[d.org]
    if not d.description or name not in d.description:
        return None
    org_words = [w for w in words(name) if w not in _ORG_WORDS]
    topic = [w for w in _content(d.description) if w not in org_words][:2]
    return topic + org_words, [str(d.year), *_system(d)]


def _mixed(d: Dataset, rng: random.Random, orgs: dict[str, str]) -> Built:
    name = _name_words(d)
    roots = {stem(w) for w in name}
    content = [w for w in _content(d.description) if stem(w) not in roots]
    if d.language != "en" or not name or not content:
        return None
    return [name[0], content[0], d.org], [str(d.year), *_school(d), *_system(d)]


BUILDERS: dict[str, Builder] = {
    "name": _by_name, "legacy": _legacy, "prefix": _prefix, "description": _description,
    "column": _column, "org_topic": _org_topic, "mixed": _mixed,
}  # fmt: skip


def _unique(index: TokenIndex, target: int, built: Built) -> list[str] | None:
    if built is None:
        return None
    chosen: list[str] = []
    for word in built[0]:
        if word not in chosen:
            chosen.append(word)
    extras = [
        w
        for w in built[1]
        if w not in chosen and all(target in index.holding(t) for t in tokens(w))
    ]
    while True:
        holders = index.holding_all(chosen)
        if target not in holders:
            raise AssertionError(f"{chosen} built from dataset {target} does not match it")
        if holders == {target}:
            return chosen
        if not extras or len(chosen) >= MAX_WORDS:
            return None
        word = extras.pop(0)
        if not any(word.startswith(c) or c.startswith(word) for c in chosen):
            chosen.append(word)


def make_queries(
    datasets: Sequence[Dataset], n: int, seed: int, org_names: dict[str, str]
) -> list[Query]:
    """``n`` queries, each with the one dataset it must find (distinct targets)."""
    index = TokenIndex(datasets)
    rng = random.Random(seed)
    used: set[int] = set()
    result = []
    for k in range(n):
        kind = PLAN[k % len(PLAN)]
        for _attempt in range(2000):
            i = rng.randrange(len(datasets))
            d = datasets[i]
            if d.removed or i in used:
                continue
            chosen = _unique(index, i, BUILDERS[kind](d, rng, org_names))
            if chosen:
                used.add(i)
                result.append(Query(" ".join(chosen), d.urn, d.name, kind))
                break
        else:
            raise RuntimeError(f"no unambiguous '{kind}' query found")
    return result
