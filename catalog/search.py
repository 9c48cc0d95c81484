"""Search: ranked datasets with why they ranked there, facet counts and filters.

One results contract on both backends. Query words are folded (``search_text``); a word the
index holds whole matches itself and its plural or singular, any other word matches as a
prefix (``vetus`` → ``vetuste``); all words are required first — as whole words, then as
prefixes — and any of them when all find nothing. Relevance is BM25 over
weighted fields: FTS5's ``bm25()`` on SQLite; on PostgreSQL, ``ts_rank_cd`` per word (field
weights A–D, length-normalised) weighted by the word's inverse document frequency, summed
— the BM25 form on PostgreSQL's own full-text search. Relevance is then combined with trust:
``score = relevance × (1 − TRUST_SHARE + TRUST_SHARE × trust)``, so among equally relevant
datasets the trusted one comes first, and trust never lifts an irrelevant one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import (
    REAL,
    Connection,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from catalog.database import as_utc
from catalog.errors import CartableError
from catalog.search_document import FACETS, FIELD_WEIGHTS, FIELDS, SINGLE_FACETS
from catalog.search_text import QueryWord, matches, query_words, word_forms
from catalog.service import Catalog
from catalog.tables import entity_index, search_documents, search_facets
from catalog.trust import FRESH_DAYS, WEIGHTS, Trust, TrustFacts, assess, level_of

TRUST_SHARE = 0.3
PG_WEIGHTS = "{0.15, 0.3, 0.4, 1.0}"  # D, C, B, A (see search_index.PG_LETTERS)
MAX_LIMIT = 200
SEARCH_FTS = table("search_fts", column("rowid"))
SQLITE_RELEVANCE = "(-bm25(search_fts, {}))".format(
    ", ".join(str(FIELD_WEIGHTS[field]) for field in FIELDS)
)
TSV: Any = literal_column("search_document.tsv")
Mode = Literal["all", "any", "browse"]


class SearchHit(BaseModel):
    """One ranked dataset and why it ranked there."""

    urn: str
    name: str
    description: str
    organization: str | None
    platform: str | None
    domain_urn: str | None
    score: float
    relevance: float
    trust: int
    trust_level: str
    matched: list[str] = Field(description="fields where a query word was found")


class SearchResults(BaseModel):
    """A page of ranked hits, how many matched in all, and the facet counts of the matches."""

    query: str
    words: list[str]
    mode: Mode
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]


class Search:
    """Full-text search over the catalogue's search index."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def query(
        self,
        query: str,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """The datasets matching ``query`` and ``filters`` (facet → accepted values)."""
        chosen = {facet: list(values) for facet, values in (filters or {}).items() if values}
        unknown = sorted(set(chosen) - set(FACETS))
        if unknown:
            raise CartableError(
                f"unknown filter {', '.join(unknown)} (filters: {', '.join(FACETS)})"
            )
        page = (max(1, min(limit, MAX_LIMIT)), max(0, offset))
        with self.catalog.database.read() as conn:
            words = [_query_word(conn, word) for word in query_words(query)]
            if not words:
                return self._run(conn, query, words, "browse", chosen, page)
            found = self._run(conn, query, words, "all", chosen, page)
            if found.total == 0 and not all(w.prefix for w in words):
                words = [w._replace(prefix=True) for w in words]  # "offer" → "offerts"
                found = self._run(conn, query, words, "all", chosen, page)
            if found.total == 0 and len(words) > 1:
                found = self._run(conn, query, words, "any", chosen, page)
            return found

    def _run(
        self,
        conn: Connection,
        query: str,
        words: list[QueryWord],
        mode: Mode,
        filters: dict[str, list[str]],
        page: tuple[int, int],
    ) -> SearchResults:
        doc = search_documents
        source: Any = doc
        conditions: list[Any] = []
        relevance: Any = None
        if mode != "browse" and conn.dialect.name == "sqlite":
            source = doc.join(SEARCH_FTS, SEARCH_FTS.c.rowid == doc.c.id)
            conditions.append(text("search_fts MATCH :match").bindparams(match=_fts(words, mode)))
            relevance = literal_column(SQLITE_RELEVANCE)
        elif mode != "browse":
            conditions.append(TSV.op("@@")(func.to_tsquery("simple", _tsquery(words, mode))))
            relevance = _pg_relevance(conn, words)
        for facet, values in sorted(filters.items()):
            if facet in SINGLE_FACETS:
                conditions.append(doc.c[facet].in_(values))
            else:
                tagged = select(search_facets.c.doc_id).where(
                    search_facets.c.facet == facet, search_facets.c.value.in_(values)
                )
                conditions.append(doc.c.id.in_(tagged))
        # ranking uses the stored trust (every criterion but freshness, which changes with
        # the clock); the hits' trust shown adds freshness
        stored_trust = doc.c.trust_points * 1.0 / doc.c.trust_applicable
        if relevance is None:
            relevance, score = literal(0.0), stored_trust
        else:
            score = relevance * (1 - TRUST_SHARE + TRUST_SHARE * stored_trust)
        rows = conn.execute(
            select(
                doc.c.urn,
                doc.c.name,
                doc.c.description,
                *(doc.c[f"{field}_text"] for field in FIELDS),
                relevance.label("relevance"),
                doc.c.trust_points,
                doc.c.trust_applicable,
                doc.c.organization,
                doc.c.platform,
                doc.c.domain.label("domain_urn"),
            )
            .select_from(source)
            .where(*conditions)
            .order_by(score.desc(), doc.c.name)
            .limit(page[0])
            .offset(page[1])
        ).all()
        fresh = _fresh(conn, [row.urn for row in rows])
        total, facets = _facet_counts(conn, source, conditions)
        hits = [self._hit(row, words, row.urn in fresh) for row in rows]
        return SearchResults(
            query=query,
            words=[w.word for w in words],
            mode=mode,
            total=int(total or 0),
            hits=hits,
            facets=facets,
        )

    @staticmethod
    def _hit(row: Any, words: list[QueryWord], fresh: bool) -> SearchHit:
        mapping = row._mapping
        matched = [f for f in FIELDS if words and matches(words, mapping[f"{f}_text"] or "")]
        points = mapping["trust_points"] + (WEIGHTS["fresh"] if fresh else 0)
        trust = round(100 * points / mapping["trust_applicable"])
        relevance = float(mapping["relevance"])
        return SearchHit(
            urn=mapping["urn"],
            name=mapping["name"],
            description=mapping["description"],
            organization=mapping["organization"],
            platform=mapping["platform"],
            domain_urn=mapping["domain_urn"],
            score=round(relevance * (1 - TRUST_SHARE + TRUST_SHARE * trust / 100), 4),
            relevance=round(relevance, 4),
            trust=trust,
            trust_level=level_of(trust),
            matched=matched,
        )


def _fresh(conn: Connection, urns: list[str]) -> set[str]:
    """Which of ``urns`` an ingestion run saw in the last FRESH_DAYS days."""
    if not urns:
        return set()
    query = select(entity_index.c.urn).where(
        entity_index.c.urn.in_(urns),
        entity_index.c.last_run_id.is_not(None),
        entity_index.c.last_seen >= _cutoff(),
    )
    return set(conn.scalars(query))


def dataset_trust(catalog: Catalog, urn: str) -> Trust:
    """The trust score and its breakdown for one dataset (NotFoundError when unknown)."""
    catalog.entity(urn)
    with catalog.database.read() as conn:
        facts = conn.scalar(
            select(search_documents.c.trust_facts).where(search_documents.c.urn == urn)
        )
        row = conn.execute(
            select(entity_index.c.last_seen, entity_index.c.last_run_id).where(
                entity_index.c.urn == urn
            )
        ).first()
    parsed = TrustFacts.model_validate_json(facts) if facts else TrustFacts()
    fresh = bool(row and row.last_run_id and as_utc(row.last_seen) >= _cutoff())
    return assess(parsed, fresh=fresh)


def _facet_counts(
    conn: Connection, source: Any, conditions: list[Any]
) -> tuple[int, dict[str, dict[str, int]]]:
    """How many datasets match, and the facet counts over them: one pass over the
    single-valued facet columns, one over the owners."""
    doc = search_documents
    columns = [doc.c[facet] for facet in SINGLE_FACETS]
    combinations = conn.execute(
        select(*columns, func.count()).select_from(source).where(*conditions).group_by(*columns)
    ).all()
    facets: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    total = 0
    for *values, count in combinations:
        total += count
        for facet, value in zip(SINGLE_FACETS, values, strict=True):
            if value is not None:
                facets[facet][value] = facets[facet].get(value, 0) + count
    matching = select(doc.c.id.label("id")).select_from(source).where(*conditions).subquery()
    owned = matching.join(
        search_facets,
        and_(search_facets.c.doc_id == matching.c.id, search_facets.c.facet == "owner"),
    )
    owners = conn.execute(
        select(search_facets.c.value, func.count())
        .select_from(owned)
        .group_by(search_facets.c.value)
    ).all()
    facets["owner"] = {value: int(count) for value, count in owners}
    return total, facets


def _query_word(conn: Connection, word: str) -> QueryWord:
    """A query word as it will match: its whole forms when the index holds one of them,
    else a prefix (the start of a word being typed, or of a longer word)."""
    forms = tuple(word_forms(word))
    if conn.dialect.name == "sqlite":
        probe: Any = select(SEARCH_FTS.c.rowid).where(
            text("search_fts MATCH :probe").bindparams(
                probe=_fts_word(QueryWord(word, forms, False))
            )
        )
    else:
        probe = select(search_documents.c.id).where(
            TSV.op("@@")(func.to_tsquery("simple", _ts_word(QueryWord(word, forms, False))))
        )
    whole = conn.execute(probe.limit(1)).first() is not None
    return QueryWord(word, forms, prefix=not whole)


def _fts_word(word: QueryWord) -> str:
    if word.prefix:
        return (
            "(" + " OR ".join([f'"{word.word}"*', *(f'"{f}"' for f in word.shorter_forms())]) + ")"
        )
    return "(" + " OR ".join(f'"{form}"' for form in word.forms) + ")"


def _fts(words: list[QueryWord], mode: Mode) -> str:
    """An FTS5 query: each word by its forms or as a prefix, all required or any."""
    return (" AND " if mode == "all" else " OR ").join(_fts_word(w) for w in words)


def _ts_word(word: QueryWord) -> str:
    if word.prefix:
        return "(" + " | ".join([f"{word.word}:*", *word.shorter_forms()]) + ")"
    return "(" + " | ".join(word.forms) + ")"


def _tsquery(words: list[QueryWord], mode: Mode) -> str:
    """A PostgreSQL tsquery: each word by its forms or as a prefix, all required or any."""
    return (" & " if mode == "all" else " | ").join(_ts_word(w) for w in words)


def _pg_relevance(conn: Connection, words: list[QueryWord]) -> Any:
    """Σ idf(word) × ts_rank_cd(field weights, tsv, word) over the query words."""
    total = conn.scalar(select(func.count()).select_from(search_documents)) or 0
    weights = cast(literal(PG_WEIGHTS), ARRAY(REAL))
    relevance: Any = literal(0.0)
    for word in words:
        word_query = func.to_tsquery("simple", _ts_word(word))
        matching = (
            select(func.count()).select_from(search_documents).where(TSV.op("@@")(word_query))
        )
        frequency = conn.scalar(matching) or 0
        idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        relevance = relevance + idf * func.ts_rank_cd(weights, TSV, word_query, 1)
    return relevance


def _cutoff() -> datetime:
    return datetime.now(UTC) - timedelta(days=FRESH_DAYS)
