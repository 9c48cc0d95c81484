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
    from sqlalchemy import text

    from catalog.migrate import current_revision, downgrade, head_revision, upgrade
    from catalog.service import Catalog
    from tests.catalog.conftest import write_network

    catalog = Catalog.open(sqlite_url)
    write_network(catalog)
    before = [h.urn for h in Search(catalog).query("eleves").hits]
    downgrade(catalog.database, "0007")
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


def test_lineage_in_a_batch_tells_its_upstreams_in_any_chunk_and_outside_the_batch(
    any_catalog_url,
):
    """The index refreshes a batch's datasets CHUNK at a time; an upstream named by lineage
    gains "lineage known" whether it sits in a later chunk or was written before."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh
    from sqlalchemy import select

    from catalog.records import aspect_writes
    from catalog.search_index import CHUNK
    from catalog.service import Catalog
    from catalog.tables import search_documents

    def urn_of(name: str) -> str:
        return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.{name},PROD)"

    def dataset(name: str, *upstreams: str) -> list:
        urn = urn_of(name)
        found = [MCPW(entityUrn=urn, aspect=dh.DatasetPropertiesClass(name=name))]
        if upstreams:
            lineage = dh.UpstreamLineageClass(
                upstreams=[
                    dh.UpstreamClass(dataset=urn_of(u), type=dh.DatasetLineageTypeClass.VIEW)
                    for u in upstreams
                ]
            )
            found.append(MCPW(entityUrn=urn, aspect=lineage))
        return [w for record in found for w in aspect_writes(record)]

    catalog = Catalog.open(any_catalog_url)
    actor = "urn:li:corpuser:datahub"
    catalog.write(dataset("entrepot.avant"), actor=actor)
    batch = dataset("marts.a_vue", "entrepot.avant", "zz.source")
    batch += [w for i in range(CHUNK) for w in dataset(f"sis.table_{i:03d}")]
    batch += dataset("zz.source")  # sorted last: indexed in the batch's second chunk
    catalog.write(batch, actor=actor)

    def lineage_known() -> dict[str, bool]:
        with catalog.database.read() as conn:
            rows = conn.execute(
                select(search_documents.c.urn, search_documents.c.downstream).where(
                    search_documents.c.urn.in_(
                        [urn_of(n) for n in ("entrepot.avant", "zz.source", "sis.table_000")]
                    )
                )
            )
            return {urn: bool(downstream) for urn, downstream in rows}

    assert lineage_known() == {
        urn_of("entrepot.avant"): True,
        urn_of("zz.source"): True,
        urn_of("sis.table_000"): False,
    }
    for name in ("entrepot.avant", "zz.source", "marts.a_vue"):
        criteria = {c.key: c.met for c in dataset_trust(catalog, urn_of(name)).criteria}
        assert criteria["lineage"], name
    with catalog.database.write() as conn:
        assert rebuild(conn) == CHUNK + 3
    assert lineage_known()[urn_of("zz.source")]  # as a rebuild finds it
    catalog.close()


def test_migration_9_folds_the_index_again_and_restores_lineage_flags(any_catalog_url):
    """A catalogue indexed before 0009 held « l’élève » as one word and, once reindexed, no
    "lineage known" flag; upgrading builds the index again."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh
    from sqlalchemy import text

    from catalog.migrate import downgrade, upgrade
    from catalog.records import aspect_writes
    from catalog.service import Catalog

    catalog = Catalog.open(any_catalog_url)
    source = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.sis.dossiers,PROD)"
    mart = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.marts.suivi,PROD)"
    lineage = dh.UpstreamLineageClass(
        upstreams=[dh.UpstreamClass(dataset=source, type=dh.DatasetLineageTypeClass.VIEW)]
    )
    records = [
        MCPW(
            entityUrn=source,
            aspect=dh.DatasetPropertiesClass(name="dossiers", description="Dossier d’élève"),
        ),
        MCPW(entityUrn=mart, aspect=dh.DatasetPropertiesClass(name="suivi")),
        MCPW(entityUrn=mart, aspect=lineage),
    ]
    catalog.write([w for r in records for w in aspect_writes(r)], actor="urn:li:corpuser:x")
    downgrade(catalog.database, "0008")
    with catalog.database.write() as conn:
        conn.execute(  # what the earlier folding and reindex left
            text(
                "UPDATE search_document SET description_text = 'dossier deleve', downstream = :no"
            ),
            {"no": False},
        )
        if catalog.database.backend == "sqlite":  # the full-text index reads that text
            conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    assert not Search(catalog).query("eleve").hits

    upgrade(catalog.database)
    assert [h.urn for h in Search(catalog).query("élève").hits] == [source]
    criteria = {c.key: c.met for c in dataset_trust(catalog, source).criteria}
    assert criteria["lineage"]
    if catalog.database.backend == "sqlite":
        with catalog.database.write() as conn:
            conn.execute(
                text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            )
    catalog.close()


def test_a_word_tried_as_a_prefix_still_finds_its_singular(any_catalog_url):
    """When nothing has every word, the words are tried as prefixes, then any of them: a
    plural must still find the singular it found whole (« élèves » → « élève »)."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh

    from catalog.records import aspect_writes
    from catalog.service import Catalog

    def urn(name: str) -> str:
        return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.sis.{name},PROD)"

    catalog = Catalog.open(any_catalog_url)
    records = [
        MCPW(entityUrn=urn("registre"), aspect=dh.DatasetPropertiesClass(description="Un élève")),
        MCPW(entityUrn=urn("budget"), aspect=dh.DatasetPropertiesClass(description="Dépenses")),
    ]
    catalog.write([w for r in records for w in aspect_writes(r)], actor="urn:li:corpuser:x")
    search = Search(catalog)
    assert [h.urn for h in search.query("élèves").hits] == [urn("registre")]
    either = search.query("élèves budget")
    assert either.mode == "any"
    assert {h.urn for h in either.hits} == {urn("registre"), urn("budget")}
    registre = next(h for h in either.hits if h.urn == urn("registre"))
    assert registre.matched == ["description"]
    catalog.close()


def test_read_by_another_follows_the_lineage_whatever_the_order_of_writes(any_catalog_url):
    """An upstream written after the lineage that names it, removed and restored, then no
    longer named: its "lineage known" follows the catalogue's lineage at each step."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh
    from sqlalchemy import select

    from catalog.records import aspect_writes
    from catalog.service import Catalog
    from catalog.tables import search_documents

    source = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.sis.eleves,PROD)"
    mart = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.marts.reussite,PROD)"
    catalog = Catalog.open(any_catalog_url)

    def write(*records) -> None:
        catalog.write([w for r in records for w in aspect_writes(r)], actor="urn:li:corpuser:x")

    def lineage(*upstreams: str) -> MCPW:
        return MCPW(
            entityUrn=mart,
            aspect=dh.UpstreamLineageClass(
                upstreams=[
                    dh.UpstreamClass(dataset=u, type=dh.DatasetLineageTypeClass.VIEW)
                    for u in upstreams
                ]
            ),
        )

    def read_by_another() -> bool | None:
        with catalog.database.read() as conn:
            return conn.scalar(
                select(search_documents.c.downstream).where(search_documents.c.urn == source)
            )

    write(MCPW(entityUrn=mart, aspect=dh.DatasetPropertiesClass(name="reussite")), lineage(source))
    write(MCPW(entityUrn=source, aspect=dh.DatasetPropertiesClass(name="eleves")))
    assert read_by_another() is True  # written after the lineage that names it
    write(MCPW(entityUrn=source, aspect=dh.StatusClass(removed=True)))
    assert read_by_another() is None  # out of the index
    write(MCPW(entityUrn=source, aspect=dh.StatusClass(removed=False)))
    assert read_by_another() is True  # back, still named
    write(lineage())
    assert read_by_another() is False  # no longer named
    criteria = {c.key: c.met for c in dataset_trust(catalog, source).criteria}
    assert not criteria["lineage"]
    with catalog.database.write() as conn:
        rebuild(conn)
    assert read_by_another() is False  # as a rebuild finds it
    catalog.close()


def test_a_catalogue_from_before_the_search_index_is_indexed_by_the_upgrade(sqlite_url):
    """Migration 0005 creates the search tables and 0010 fills them, with the lineage table
    the index reads."""

    from catalog.migrate import downgrade, upgrade
    from catalog.service import Catalog
    from tests.catalog.conftest import write_network

    catalog = Catalog.open(sqlite_url)
    write_network(catalog)
    before = [h.urn for h in Search(catalog).query("eleves").hits]
    downgrade(catalog.database, "0004")
    upgrade(catalog.database)
    assert before and [h.urn for h in Search(catalog).query("eleves").hits] == before
    catalog.close()


def _referent_properties(field: str, name: str):  # type: ignore[no-untyped-def]
    """The aspect that names what a dataset's ``field`` points to."""
    from datahub.metadata import schema_classes as dh

    return {
        "domain": lambda: dh.DomainPropertiesClass(name=name),
        "organization": lambda: dh.ContainerPropertiesClass(name=name),
        "terms": lambda: dh.GlossaryTermInfoClass(definition="", termSource="INTERNAL", name=name),
        "tags": lambda: dh.TagPropertiesClass(name=name),
        "owners": lambda: dh.CorpUserInfoClass(active=True, displayName=name),
    }[field]()


REFERENTS = {
    "domain": "urn:li:domain:finances",
    "organization": "urn:li:container:css-a",
    "terms": "urn:li:glossaryTerm:budget",
    "tags": "urn:li:tag:prioritaire",
    "owners": "urn:li:corpuser:gestionnaire",
}


@pytest.mark.parametrize("field", list(REFERENTS))
def test_a_renamed_domain_organization_term_tag_or_owner_is_searchable_at_once(
    any_catalog_url, field
):
    """A dataset shows the names of what it points to; when one of them is named (after the
    dataset was catalogued) or renamed, the dataset is found by the new name, not the old."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh

    from catalog.records import aspect_writes
    from catalog.service import Catalog

    dataset = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.finances.budget,PROD)"
    stamp = dh.AuditStampClass(time=0, actor="urn:li:corpuser:x")
    catalog = Catalog.open(any_catalog_url)

    def write(*records: MCPW) -> None:
        catalog.write([w for r in records for w in aspect_writes(r)], actor="urn:li:corpuser:x")

    def found(word: str) -> list[str]:
        return [h.urn for h in Search(catalog).query(word).hits if field in h.matched]

    write(
        MCPW(entityUrn=dataset, aspect=dh.DatasetPropertiesClass(name="budget")),
        MCPW(entityUrn=dataset, aspect=dh.DomainsClass(domains=[REFERENTS["domain"]])),
        MCPW(entityUrn=dataset, aspect=dh.ContainerClass(container=REFERENTS["organization"])),
        MCPW(
            entityUrn=dataset,
            aspect=dh.GlossaryTermsClass(
                terms=[dh.GlossaryTermAssociationClass(urn=REFERENTS["terms"])], auditStamp=stamp
            ),
        ),
        MCPW(
            entityUrn=dataset,
            aspect=dh.GlobalTagsClass(tags=[dh.TagAssociationClass(tag=REFERENTS["tags"])]),
        ),
        MCPW(
            entityUrn=dataset,
            aspect=dh.OwnershipClass(
                owners=[
                    dh.OwnerClass(owner=REFERENTS["owners"], type=dh.OwnershipTypeClass.DATAOWNER)
                ]
            ),
        ),
    )
    assert not found("zéphyrin")
    referent = REFERENTS[field]
    write(MCPW(entityUrn=referent, aspect=_referent_properties(field, "Zéphyrin")))
    assert found("zephyrin") == [dataset]  # named after the dataset was catalogued
    write(MCPW(entityUrn=referent, aspect=_referent_properties(field, "Quetzal")))
    assert found("quetzal") == [dataset]
    assert not found("zephyrin")  # the old name is gone
    with catalog.database.read() as conn:
        before = [conn.execute(q).all() for q in (text_of_documents(), names_shown())]
    assert (dataset, referent) in before[1]
    with catalog.database.write() as conn:
        rebuild(conn)
    with catalog.database.read() as conn:  # as a rebuild finds it
        assert [conn.execute(q).all() for q in (text_of_documents(), names_shown())] == before
    if catalog.database.backend == "sqlite":
        with catalog.database.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
            )
    catalog.close()


def names_shown():  # type: ignore[no-untyped-def]
    """Each document's URN and the URNs whose names it shows, in order."""
    from sqlalchemy import select

    from catalog.tables import search_documents, search_references

    return (
        select(search_documents.c.urn, search_references.c.urn)
        .join(search_references, search_references.c.doc_id == search_documents.c.id)
        .order_by(search_documents.c.urn, search_references.c.urn)
    )


def text_of_documents():  # type: ignore[no-untyped-def]
    """Every document's URN and folded text, in URN order."""
    from sqlalchemy import select

    from catalog.search_index import TEXT_COLUMNS
    from catalog.tables import search_documents

    columns = [search_documents.c[name] for name in TEXT_COLUMNS]
    return select(search_documents.c.urn, *columns).order_by(search_documents.c.urn)


def test_the_upgrade_to_0010_records_the_names_each_document_shows(sqlite_url):
    """A catalogue from before 0010 gets ``search_reference`` filled, as a rebuild would."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh
    from sqlalchemy import select

    from catalog.migrate import downgrade, upgrade
    from catalog.records import aspect_writes
    from catalog.service import Catalog
    from catalog.tables import search_references
    from tests.catalog.conftest import DOMAIN, write_network

    catalog = Catalog.open(sqlite_url)
    write_network(catalog)
    domain = MCPW(entityUrn=dataset_urn("sis.eleves"), aspect=dh.DomainsClass(domains=[DOMAIN]))
    catalog.write(aspect_writes(domain), actor="urn:li:corpuser:x")
    query = select(search_references.c.urn).order_by(search_references.c.urn)
    with catalog.database.read() as conn:
        written = conn.scalars(query).all()
    downgrade(catalog.database, "0009")
    upgrade(catalog.database)
    with catalog.database.read() as conn:
        upgraded = conn.scalars(query).all()
    assert DOMAIN in written
    assert upgraded == written
    catalog.close()
