"""Lineage recorded in a real catalogue (SQLite and PostgreSQL), read back, propagated."""

import json
import time
from pathlib import Path

import pytest
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh

from catalog import pi_terms
from catalog.errors import CartableError
from catalog.field_terms import with_field_terms
from catalog.records import aspect_writes
from catalog.roles import Account, PermissionDenied
from catalog.service import Catalog
from lineage.graph import field_urn
from lineage.inputs import SqlSource
from lineage.service import LineageService

ETL = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "etl"
STEWARD = "urn:li:corpuser:intendante"
# the marts are known here through lineage only, without an organization: an administrator
# decides for them
ADMIN = Account(username="admin", display_name="I", roles=["admin"])
ANALYST = Account(username="a", display_name="A", roles=["analyst"], organizations=["css-x"])


def ds(name: str) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.{name},PROD)"


def etl_source() -> SqlSource:
    return SqlSource(path=ETL, dialect="sqlite", platform_instance="css-x", default_db="entrepot")


def classify(catalog: Catalog, dataset: str, columns: dict[str, str]) -> None:
    stamp = dh.AuditStampClass(time=int(time.time() * 1000), actor=STEWARD)
    aspect = with_field_terms(
        catalog.store.latest_aspect(dataset, "editableSchemaMetadata"),
        {
            c: [dh.GlossaryTermAssociationClass(urn=pi_terms.term_urn(t), actor=STEWARD)]
            for c, t in columns.items()
        },
        keep=lambda _path, _a: True,
        stamp=stamp,
    )
    proposal = MetadataChangeProposalWrapper(entityUrn=dataset, aspect=aspect)
    catalog.write(aspect_writes(proposal), actor=STEWARD)


@pytest.fixture
def service(any_catalog_url):
    catalog = Catalog.open(any_catalog_url)
    yield LineageService(catalog)
    catalog.close()


def test_ingest_records_datahub_lineage_and_queries_idempotently(service):
    report = service.ingest(etl_source())
    assert report.failed == 0 and report.statements == 16
    assert ds("entrepot.mart_reussite_eleve") in report.datasets
    assert not any("tmp_moyennes" in urn for urn in report.datasets)  # temp table resolved
    stored = json.loads(
        service.catalog.store.latest_aspect(ds("entrepot.mart_reussite_eleve"), "upstreamLineage")
    )
    aspect = dh.UpstreamLineageClass.from_obj(stored)
    assert aspect.validate()
    assert {u.dataset for u in aspect.upstreams} == {
        ds("sis.eleves"),
        ds("sis.inscriptions"),
        ds("sis.resultats"),
    }
    moyenne = next(
        f
        for f in aspect.fineGrainedLineages or []
        if f.downstreams and f.downstreams[0].endswith(",moyenne)")
    )
    assert moyenne.transformOperation and moyenne.transformOperation.startswith("AGGREGATION")
    query = json.loads(service.catalog.store.latest_aspect(moyenne.query, "queryProperties"))
    assert "CREATE TABLE mart_reussite_eleve" in query["statement"]["value"]
    again = service.ingest(etl_source())
    assert again.aspects_written == 0 and again.aspects_unchanged == report.aspects_written
    [run] = [r for r in service.catalog.runs.list() if r.run_id == again.run_id]
    assert run.source_type == "sql-lineage" and run.status == "SUCCESS"


def test_impact_propagation_and_blocks(service):
    service.ingest(etl_source())
    classify(
        service.catalog,
        ds("sis.eleves"),
        {
            "code_permanent": "code_permanent",
            "no_fiche": "file_number",
            "date_naissance": "birth_date",
        },
    )
    classify(service.catalog, ds("sis.resultats"), {"no_fiche": "file_number"})
    code_permanent = field_urn(ds("sis.eleves"), "code_permanent")
    impact = {d.name: d for d in service.impact(code_permanent).datasets}
    assert impact["css-x.entrepot.mart_risque_decrochage"].category == "mart"
    assert (
        impact["css-x.entrepot.mart_risque_decrochage"].columns["code_permanent"].mark.status
        == "derived"
    )
    result = service.propagate()
    assert service.record_propagation(result) > 0
    mart = ds("entrepot.mart_reussite_ecole")
    stored = json.loads(service.catalog.store.latest_aspect(mart, "editableSchemaMetadata"))
    terms = {
        info["fieldPath"]: [t["urn"] for t in info["glossaryTerms"]["terms"]]
        for info in stored["editableSchemaFieldInfo"]
    }
    assert terms["nb_eleves"] == [pi_terms.AGGREGATE]  # a count of students: small cells
    steward_terms = json.loads(
        service.catalog.store.latest_aspect(ds("sis.eleves"), "editableSchemaMetadata")
    )
    assert len(steward_terms["editableSchemaFieldInfo"]) == 3  # the steward's own terms kept
    assert service.record_propagation(service.propagate()) == 0  # rerun: nothing new
    age = field_urn(ds("entrepot.mart_risque_decrochage"), "age")
    assert result.marks[age].status == "derived"
    service.block(
        field_urn(ds("sis.eleves"), "date_naissance"), age, "âge arrondi à l'année", ADMIN
    )
    blocked = service.propagate()
    assert age not in blocked.marks
    assert blocked.blocked[0].reason == "âge arrondi à l'année"
    with pytest.raises(PermissionDenied):  # an analyst does not decide
        service.unblock(field_urn(ds("sis.eleves"), "date_naissance"), age, ANALYST)
    assert service.unblock(field_urn(ds("sis.eleves"), "date_naissance"), age, ADMIN)
    assert age in service.propagate().marks


def test_an_unreadable_file_fails_the_run_and_writes_nothing(service, tmp_path):
    (tmp_path / "a.sql").write_text("CREATE TABLE b AS SELECT x FROM a", encoding="utf-8")
    (tmp_path / "b.sql").write_bytes("SELECT 'é' FROM a".encode("latin-1"))
    source = SqlSource(path=tmp_path, dialect="sqlite")
    with pytest.raises(CartableError, match="not UTF-8"):
        service.ingest(source)
    [run] = service.catalog.runs.list()
    assert run.status == "FAILURE" and "not UTF-8" in run.failures[0]["error"]
    assert service.catalog.count("dataset") == 0


def test_columns_named_with_commas_and_parentheses_keep_their_names(service, tmp_path):
    """DataHub escapes ``,``, ``(`` and ``)`` in a schema field URN; the graph, the marks
    and the terms written back name the column as its dataset does."""
    (tmp_path / "paie.sql").write_text(
        'CREATE TABLE paie AS SELECT matricule AS "matricule (employé)", '
        'nas AS "nas, chiffré" FROM employes',
        encoding="utf-8",
    )
    service.ingest(SqlSource(path=tmp_path, dialect="sqlite", platform_instance="css-x"))
    employes, paie = ds("employes"), ds("paie")
    classify(service.catalog, employes, {"nas": "sin", "matricule": "file_number"})
    reached = {d.name: d for d in service.impact(field_urn(employes, "nas")).datasets}
    assert set(reached["css-x.paie"].columns) == {"nas, chiffré"}
    result = service.propagate()
    assert set(result.marks) >= {
        field_urn(paie, "nas, chiffré"),
        field_urn(paie, "matricule (employé)"),
    }
    service.record_propagation(result)
    stored = json.loads(service.catalog.store.latest_aspect(paie, "editableSchemaMetadata"))
    paths = {info["fieldPath"] for info in stored["editableSchemaFieldInfo"]}
    assert paths == {"nas, chiffré", "matricule (employé)"}


def test_a_schema_with_v2_field_paths_gives_and_takes_marks_on_its_own_fields(service, tmp_path):
    """Datasets whose schemas name fields by DataHub v2 paths (``[version=2.0].[type=…]``,
    as Avro-based sources do): a steward's term on such a field is a propagation source, and
    the mark lands on the fields the downstream schema names (both branches of a union)."""
    v2 = "[version=2.0].[type=string].{}"
    union = [f"[version=2.0].[type=union].[type={t}].nas_copie" for t in ("string", "long")]
    employes, copie = ds("employes"), ds("copie")
    for urn, paths in ((employes, [v2.format("nas")]), (copie, union)):
        schema = dh.SchemaMetadataClass(
            schemaName=urn,
            platform="urn:li:dataPlatform:sqlite",
            version=0,
            hash="",
            platformSchema=dh.OtherSchemaClass(rawSchema=""),
            fields=[
                dh.SchemaFieldClass(
                    fieldPath=path,
                    type=dh.SchemaFieldDataTypeClass(type=dh.StringTypeClass()),
                    nativeDataType="TEXT",
                )
                for path in paths
            ],
        )
        proposal = MetadataChangeProposalWrapper(entityUrn=urn, aspect=schema)
        service.catalog.write(aspect_writes(proposal), actor=STEWARD)
    (tmp_path / "copie.sql").write_text(
        "CREATE TABLE copie AS SELECT nas AS nas_copie FROM employes", encoding="utf-8"
    )
    service.ingest(SqlSource(path=tmp_path, dialect="sqlite", platform_instance="css-x"))
    classify(service.catalog, employes, {v2.format("nas"): "sin"})
    result = service.propagate()
    assert result.marks[field_urn(copie, "nas_copie")].source == field_urn(employes, "nas")
    service.record_propagation(result)
    stored = json.loads(service.catalog.store.latest_aspect(copie, "editableSchemaMetadata"))
    assert sorted(info["fieldPath"] for info in stored["editableSchemaFieldInfo"]) == sorted(union)
