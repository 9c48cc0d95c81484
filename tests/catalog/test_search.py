"""Search on SQLite (FTS5) and PostgreSQL (full-text search): one results contract."""

from __future__ import annotations

import pytest

from catalog.errors import CartableError
from catalog.search import Search, dataset_trust
from catalog.search_index import rebuild
from catalog.stewardship import Stewardship
from tests.catalog.conftest import ACCOUNTS, dataset_urn

KNOWN_QUERIES = {
    "eleves hdaa": "sis.eleves_hdaa",
    "difficulte adaptation": "sis.eleves_hdaa",
    "indice vetus": "immeubles.batiments",  # a prefix of a column name
    "declaration clientele": "declarations.declaration_clientele",
    "students enrolled": "sis.students",
    "budget": "finances.budget_ecoles",
    "nas matricule": "rh.employes",
}


@pytest.mark.parametrize("query", list(KNOWN_QUERIES))
def test_known_queries_put_the_expected_dataset_first(network_catalog, query):
    results = Search(network_catalog).query(query)
    assert results.hits, f"nothing found for {query!r}"
    assert results.hits[0].urn == dataset_urn(KNOWN_QUERIES[query])


def test_accent_and_case_variants_agree(network_catalog):
    search = Search(network_catalog)
    variants = ["élèves HDAA", "eleves hdaa", "ÉLÈVES hdaa", "Élèves Hdaa"]
    ranked = [[hit.urn for hit in search.query(q).hits] for q in variants]
    assert ranked[0] and all(r == ranked[0] for r in ranked)


def test_hits_say_which_fields_matched(network_catalog):
    hit = Search(network_catalog).query("indice vetuste").hits[0]
    assert hit.matched == ["columns"]
    hit = Search(network_catalog).query("hdaa").hits[0]
    assert "name" in hit.matched


def test_all_words_first_then_any_word(network_catalog):
    search = Search(network_catalog)
    both = search.query("budget hdaa")  # no dataset has both words
    assert both.mode == "any"
    assert {dataset_urn("finances.budget_ecoles"), dataset_urn("sis.eleves_hdaa")} <= {
        h.urn for h in both.hits
    }
    assert search.query("eleves hdaa").mode == "all"


def test_filters_and_facet_counts(network_catalog):
    search = Search(network_catalog)
    everything = search.query("eleves")
    assert everything.facets["organization"] == {"css-a": 2, "css-b": 1, "meq": 1}
    only_b = search.query("eleves", filters={"organization": ["css-b"]})
    assert [h.urn for h in only_b.hits] == [dataset_urn("sis.eleves_b")]
    assert only_b.total == 1 and only_b.facets["organization"] == {"css-b": 1}
    assert search.query("", filters={"platform": ["sqlite"]}).total == 8
    with pytest.raises(CartableError, match="unknown filter colour"):
        search.query("eleves", filters={"colour": ["red"]})


def test_trust_breaks_ties_between_equally_relevant_datasets(network_catalog):
    search = Search(network_catalog)
    a, b = dataset_urn("sis.eleves"), dataset_urn("sis.eleves_b")
    before = [h.urn for h in search.query("eleves inscrits").hits]
    assert set(before[:2]) == {a, b}
    last = before[1]
    owner = ACCOUNTS["intendant_b"] if last == b else ACCOUNTS["intendant_a"]
    Stewardship(network_catalog).certify(owner, last)
    after = search.query("eleves inscrits")
    assert after.hits[0].urn == last
    assert after.hits[0].trust > after.hits[1].trust
    assert after.facets["certified"] == {"true": 1, "false": 1}


def test_edits_are_searchable_at_once(network_catalog):
    urn = dataset_urn("immeubles.batiments")
    Stewardship(network_catalog).describe(
        ACCOUNTS["intendant_a"], urn, french="Parc immobilier", english="Building stock"
    )
    hit = Search(network_catalog).query("building stock").hits[0]
    assert hit.urn == urn and hit.matched == ["description"]


def test_removed_datasets_leave_the_index(network_catalog):
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh

    from catalog.records import aspect_writes

    urn = dataset_urn("finances.budget_ecoles")
    removed = MCPW(entityUrn=urn, aspect=dh.StatusClass(removed=True))
    network_catalog.write(aspect_writes(removed), actor="urn:li:corpuser:datahub")
    assert Search(network_catalog).query("budget").total == 0


def test_the_full_text_index_matches_the_documents_after_edits_and_removals(sqlite_url):
    """SQLite's FTS5 index reads its text from search_document: every replaced or removed
    document must leave it with the text it had, or the index drifts from the table."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh
    from sqlalchemy import text

    from catalog.records import aspect_writes
    from catalog.service import Catalog
    from tests.catalog.conftest import write_network

    catalog = Catalog.open(sqlite_url)
    write_network(catalog)
    urn = dataset_urn("immeubles.batiments")
    Stewardship(catalog).describe(ACCOUNTS["intendant_a"], urn, french="Parc immobilier")
    write_network(catalog, run_id="ingest-2")  # every document replaced
    removed = MCPW(entityUrn=dataset_urn("sis.eleves"), aspect=dh.StatusClass(removed=True))
    catalog.write(aspect_writes(removed), actor="urn:li:corpuser:datahub")
    with catalog.database.write() as conn:
        conn.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
        size = conn.execute(text("SELECT count(*) FROM search_document")).scalar()
        hits = conn.execute(text("SELECT count(*) FROM search_fts('immobilier')")).scalar()
    assert size == 7 and hits == 1
    assert [h.urn for h in Search(catalog).query("parc immobilier").hits] == [urn]
    catalog.close()


def test_a_catalogue_from_before_migration_8_keeps_its_search(sqlite_url):
    """Migration 0008 turns the FTS5 table that kept its own copy of the text into an index
    over search_document's text; what was searchable stays searchable."""
    from alembic import command
    from sqlalchemy import text

    from catalog.migrate import _config, current_revision, head_revision, upgrade
    from catalog.service import Catalog
    from tests.catalog.conftest import write_network

    catalog = Catalog.open(sqlite_url)
    write_network(catalog)
    before = [h.urn for h in Search(catalog).query("eleves").hits]
    config = _config()
    with catalog.database.write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")
    with catalog.database.read() as conn:  # the copy is back in the old table
        assert conn.execute(text("SELECT count(*) FROM search_fts_content")).scalar() == 8
    assert [h.urn for h in Search(catalog).query("eleves").hits] == before

    upgrade(catalog.database)
    assert current_revision(catalog.database) == head_revision()
    with catalog.database.write() as conn:
        tables = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type='table'")))
        conn.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
    assert "search_fts_content" not in tables  # the text is no longer copied
    assert [h.urn for h in Search(catalog).query("eleves").hits] == before
    catalog.close()


def test_rebuild_gives_the_same_index(network_catalog):
    search = Search(network_catalog)
    before = search.query("eleves")
    with network_catalog.database.write() as conn:
        assert rebuild(conn) == 8
    after = search.query("eleves")
    assert [h.urn for h in after.hits] == [h.urn for h in before.hits]
    assert after.facets == before.facets


def test_trust_breakdown(network_catalog):
    urn = dataset_urn("sis.eleves_hdaa")
    trust = dataset_trust(network_catalog, urn)
    criteria = {c.key: c for c in trust.criteria}
    assert criteria["description"].met and criteria["fresh"].met
    assert not criteria["owner"].met and not criteria["certified"].met
    assert criteria["usage"].met is None  # unknown: not counted
    steward = ACCOUNTS["intendant_a"]
    stewardship = Stewardship(network_catalog)
    stewardship.certify(steward, urn)
    from catalog.stewardship import Owner

    stewardship.set_owners(
        steward,
        urn,
        [
            Owner(urn="urn:li:corpuser:direction", type="BUSINESS_OWNER"),
            Owner(urn="urn:li:corpuser:intendant_a", type="DATA_STEWARD"),
        ],
    )
    after = dataset_trust(network_catalog, urn)
    assert after.score > trust.score
    met = {c.key for c in after.criteria if c.met}
    assert {"certified", "owner", "steward"} <= met
    assert Search(network_catalog).query("hdaa").hits[0].trust == after.score


def test_whole_words_match_their_plural_and_partial_words_match_as_prefixes(network_catalog):
    search = Search(network_catalog)
    assert search.query("eleve hdaa").hits[0].urn == dataset_urn("sis.eleves_hdaa")
    assert [w for w in search.query("eleves").words] == ["eleves"]
    assert search.query("resultats").total == search.query("resultat").total
    assert search.query("budg").hits[0].urn == dataset_urn("finances.budget_ecoles")


def test_a_whole_word_is_tried_as_a_prefix_when_nothing_has_all_the_words(network_catalog):
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh

    from catalog.records import aspect_writes

    writes = []
    for name, description in (("cours_offerts", "Cours offerts"), ("promo", "Special offer")):
        urn = f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.sis.{name},PROD)"
        properties = dh.DatasetPropertiesClass(name=name, description=description)
        writes += aspect_writes(MCPW(entityUrn=urn, aspect=properties))
    network_catalog.write(writes, actor="urn:li:corpuser:datahub")
    found = Search(network_catalog).query("cours offer")  # "offer" is a whole word elsewhere
    assert found.mode == "all"
    assert found.hits[0].urn.endswith("css-a.sis.cours_offerts,PROD)")


def test_an_organization_code_is_one_word(network_catalog):
    results = Search(network_catalog).query("eleves css-b")
    assert [h.urn for h in results.hits] == [dataset_urn("sis.eleves_b")]
    assert results.words == ["eleves", "cssb"]


def test_when_no_dataset_has_every_word_the_one_with_most_words_comes_first(network_catalog):
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh

    from catalog.records import aspect_writes

    writes = []
    for name, description in (
        ("paie", "Paie : paie des employés, paie de la semaine, paie"),
        ("personnel_actif_2013", "Employés en poste"),
    ):
        urn = f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.rh.{name},PROD)"
        properties = dh.DatasetPropertiesClass(name=name, description=description)
        writes += aspect_writes(MCPW(entityUrn=urn, aspect=properties))
    network_catalog.write(writes, actor="urn:li:corpuser:datahub")
    found = Search(network_catalog).query("personnel actif 2013 paie")
    assert found.mode == "any"
    assert found.hits[0].urn.endswith("css-a.rh.personnel_actif_2013,PROD)")
