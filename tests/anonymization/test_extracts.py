"""Extracts end to end: a real SQLite source, catalogued and scanned, a real keyring, the real
analyzer; the file, the catalogue and the report checked for what they must and must not hold."""

import base64
import json
import re
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
import yaml

from anonymization.extract_io import SqlReader
from anonymization.extracts import ExtractRequest, Extracts, registered_extracts
from anonymization.keys import rotate_keyring
from anonymization.policy import load_policy, parse_policy
from anonymization.reidentification import reidentify
from anonymization.row_filter import RowFilter
from anonymization.sampling import SampleSource
from anonymization.text_scan import scan_texts
from catalog.accounts import AccountStore
from catalog.errors import CartableError
from catalog.roles import PermissionDenied
from catalog.service import Catalog

from .conftest import SUIVI_URN

CODE_PERMANENT = re.compile(r"\b[A-Z]{4}\d{8}\b")


@pytest.fixture
def service(extract_setup, analyzer):
    catalog = Catalog.open(extract_setup.url)
    yield Extracts(catalog, extract_setup.network, lambda: analyzer)
    catalog.close()


def account(service, username):
    return AccountStore(service.catalog).get(username)


def request(setup, name="extrait.csv", policy=None, **extra):
    return ExtractRequest(
        dataset=SUIVI_URN,
        policy=policy or load_policy(setup.policy_file),
        out=setup.out / name,
        **extra,
    )


def files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_pseudonymized_extract_is_written_registered_and_assessed(
    extract_setup, service, analyzer
):
    record = service.make(account(service, "roy"), request(extract_setup))
    frame = pd.read_csv(record.path, dtype=str, keep_default_na=False)
    assert len(frame) == record.rows == 300
    assert list(frame.columns) == [
        "code_permanent", "date_naissance", "sexe", "code_postal", "code_ecole", "niveau",
        "moyenne", "code_difficulte", "note",
    ]  # fmt: skip
    assert set(record.removed) == {"no_fiche", "nom"}
    source = {row[0] for row in extract_setup.rows}
    assert not source & set(frame["code_permanent"])  # no code permanent left
    assert frame["code_permanent"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert frame["code_permanent"].nunique() == 300  # one pseudonym per student
    assert frame["date_naissance"].str.fullmatch(r"20\d\d").all()
    assert set(frame["code_postal"]) <= {"H2X", "H3B", "G1R"}
    assert set(frame["code_ecole"]) == {"css-x"}
    notes = [text for text in frame["note"] if text]
    assert len(notes) == 12 and all("<PERSON>" in text for text in notes)
    assert not any(CODE_PERMANENT.search(text) for text in notes)
    assert all(spans == [] for spans in scan_texts(analyzer, notes))  # nothing left to find
    # the risk report, beside the file: three criteria and a verdict
    report = json.loads((extract_setup.out / "extrait.csv.risk.json").read_text())
    assert {"individualization", "correlation", "inference"} <= set(report["risk"])
    assert report["risk"]["verdict"] in ("very_low", "low", "high")
    markdown = (extract_setup.out / "extrait.csv.risk.md").read_text()
    for heading in ("## 1. Individualisation", "## 2. Corrélation", "## 3. Inférence", "Signature"):
        assert heading in markdown
    assert record.pseudonymized and not record.anonymized


def test_the_extract_is_catalogued_with_its_lineage_and_policy(extract_setup, service):
    record = service.make(account(service, "roy"), request(extract_setup, "extrait.parquet"))
    detail = service.catalog.entity(record.urn)
    assert detail.summary.organization == "css-x" and detail.summary.subtype == "Extract"
    lineage = detail.aspects["upstreamLineage"]
    assert [u["dataset"] for u in lineage["upstreams"]] == [SUIVI_URN]
    operations = {
        f["downstreams"][0].rsplit(",", 1)[1][:-1]: (f["upstreams"][0], f["transformOperation"])
        for f in lineage["fineGrainedLineages"]
    }
    assert operations["code_permanent"] == (
        f"urn:li:schemaField:({SUIVI_URN},code_permanent)",
        "pseudonym(hmac-sha256)",
    )
    assert operations["date_naissance"][1] == "generalize(year)"
    assert "nom" not in operations
    properties = detail.aspects["datasetProperties"]["customProperties"]
    assert properties["cartable.extract.policy"] == "essai"
    assert (
        properties["cartable.extract.policyDigest"]
        == load_policy(extract_setup.policy_file).digest()
    )
    assert properties["cartable.extract.riskVerdict"] == record.risk.verdict.value
    terms = [t["urn"] for t in detail.aspects["glossaryTerms"]["terms"]]
    assert terms == ["urn:li:glossaryTerm:cartable.sensitivity.confidentiel"] or terms[0].endswith(
        "restreint"
    )  # pseudonymized data keeps its source's level
    assert [r.urn for r in registered_extracts(service.catalog)] == [record.urn]
    assert pd.read_parquet(record.path)["niveau"].dtype.kind == "i"  # numbers stay numbers


def test_the_key_is_never_in_the_catalogue_the_extract_or_the_report(extract_setup, service):
    record = service.make(account(service, "roy"), request(extract_setup))
    ring = yaml.safe_load(extract_setup.keyring.read_text())
    secret_b64 = ring["keys"][0]["secret"]
    secret = base64.b64decode(secret_b64)
    forms = [secret_b64, secret.hex(), base64.urlsafe_b64encode(secret).decode().rstrip("=")]
    catalogue = Path(service.catalog.database.engine.url.database)
    dump = b"".join(  # every byte of the catalogue, its write-ahead log included
        path.read_bytes() for path in catalogue.parent.iterdir() if path.name.startswith("catalog")
    )
    written = "".join(
        (extract_setup.out / name).read_text(errors="replace") for name in files(extract_setup.out)
    )
    for form in forms:
        assert form.encode() not in dump and form not in written
    assert secret not in dump
    assert record.key_id == ring["active"] and record.key_fingerprint not in secret.hex()


def test_pseudonyms_join_across_extracts_and_change_with_rotation(extract_setup, service):
    steward = account(service, "roy")
    first = service.make(steward, request(extract_setup, "a.csv"))
    subset = service.make(
        steward, request(extract_setup, "b.csv", filters=[RowFilter.parse("niveau <= 3")])
    )
    a = pd.read_csv(first.path, dtype=str).set_index("code_permanent")
    b = pd.read_csv(subset.path, dtype=str)
    assert 0 < len(b) < len(a) and set(b["code_permanent"]) <= set(a.index)  # they join
    assert subset.risk.correlation.shared_with == [first.urn]  # and the report says so
    rotate_keyring(extract_setup.keyring)
    rotated = service.make(steward, request(extract_setup, "c.csv"))
    c = pd.read_csv(rotated.path, dtype=str)
    assert not set(c["code_permanent"]) & set(a.index)
    assert rotated.key_id != first.key_id


def test_encrypted_tokens_open_only_for_the_privacy_officer(extract_setup, service):
    policy = load_policy(extract_setup.policy_file)
    policy = policy.model_copy(
        update={"types": {**policy.types, "code_permanent": parse_policy(
            "name: p\ncolumns: {x: {operator: encrypt}}").columns["x"]}}
    )  # fmt: skip
    record = service.make(account(service, "roy"), request(extract_setup, policy=policy))
    tokens = pd.read_csv(record.path, dtype=str)["code_permanent"].head(3).tolist()
    values = reidentify(
        service.catalog, account(service, "rprp"), record.urn, extract_setup.keyring, tokens
    )
    assert values == [row[0] for row in extract_setup.rows[:3]]
    with pytest.raises(PermissionDenied):
        reidentify(
            service.catalog, account(service, "roy"), record.urn, extract_setup.keyring, tokens
        )


@pytest.mark.parametrize(
    ("username", "allowed"), [("roy", True), ("rprp", True), ("tremblay", False), ("alex", False)]
)
def test_only_the_holders_stewards_and_privacy_officer_make_extracts(
    extract_setup, service, username, allowed
):
    before = service.catalog.count("dataset")
    if allowed:
        service.make(account(service, username), request(extract_setup))
        assert service.catalog.count("dataset") == before + 1
    else:
        with pytest.raises(PermissionDenied):
            service.make(account(service, username), request(extract_setup))
        assert files(extract_setup.out) == [] and service.catalog.count("dataset") == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"columns": {"absente": {"operator": "remove"}}}, "no column absente"),
        ({"types": {"code_permanent": {"operator": "pseudonym"}}}, "no rule for personal"),
        ({"key": {"file": "../cles/absente.keyring"}}, "not found"),
        ({"key": {"env": "CARTABLE_TEST_ABSENT_KEY"}}, "is not set"),
        ({"risk": {"quasi_identifiers": ["nom"]}}, "not a column of the extract"),
    ],
)
def test_a_bad_policy_writes_nothing(extract_setup, service, change, message):
    data = yaml.safe_load(extract_setup.policy_file.read_text())
    data.update(change)
    extract_setup.policy_file.write_text(yaml.safe_dump(data))
    before = service.catalog.count("dataset")
    with pytest.raises(CartableError, match=message):
        service.make(account(service, "roy"), request(extract_setup))
    assert files(extract_setup.out) == [] and service.catalog.count("dataset") == before


def test_a_key_kept_with_the_extracts_is_refused(extract_setup, service):
    moved = extract_setup.out / "essai.keyring"
    extract_setup.keyring.rename(moved)
    policy = load_policy(extract_setup.policy_file)
    policy = policy.model_copy(update={"key": policy.key.model_copy(update={"file": moved})})
    with pytest.raises(CartableError, match="kept with the data"):
        service.make(account(service, "roy"), request(extract_setup, policy=policy))
    assert files(extract_setup.out) == ["essai.keyring"]


def test_an_interrupted_extract_leaves_nothing(extract_setup, service):
    def interrupt(_rows):
        raise KeyboardInterrupt

    before = service.catalog.count("dataset")
    with pytest.raises(KeyboardInterrupt):
        service.make(
            account(service, "roy"), request(extract_setup, chunk_rows=100), on_rows=interrupt
        )
    assert files(extract_setup.out) == [] and service.catalog.count("dataset") == before


def test_rare_values_are_suppressed_over_the_whole_extract_not_per_chunk(extract_setup, service):
    data = yaml.safe_load(extract_setup.policy_file.read_text())
    data["columns"]["moyenne"] = [
        {"operator": "top_bottom", "top": 60, "bottom": 60},  # every mark becomes 60
    ]
    data["columns"]["niveau"] = {"operator": "suppress_rare", "min_count": 51}
    extract_setup.policy_file.write_text(yaml.safe_dump(data))
    record = service.make(account(service, "roy"), request(extract_setup, chunk_rows=100))
    frame = pd.read_csv(record.path, dtype=str, keep_default_na=False)
    counts = pd.Series([row[7] for row in extract_setup.rows]).value_counts()
    kept = {str(level) for level, n in counts.items() if n >= 51}
    assert set(frame["niveau"]) - {""} == kept  # decided on 300 rows, though read by 100
    assert (frame["niveau"] == "").sum() == sum(n for n in counts if n < 51)
    assert set(frame["moyenne"]) == {"60"}  # Arrow writes a whole decimal without « .0 »


def test_a_table_larger_than_the_memory_budget_is_streamed(extract_setup, service, tmp_path):
    import sqlite3

    from catalog.ingest import ingest_recipe_file

    padding = "x" * 2000
    with sqlite3.connect(tmp_path / "donnees" / "sis.db") as conn:
        conn.execute("CREATE TABLE grosse (id INTEGER, texte TEXT)")
        conn.executemany("INSERT INTO grosse VALUES (?, ?)", ((i, padding) for i in range(30_000)))
    table_bytes = 30_000 * 2000  # 60 MB of text
    assert ingest_recipe_file(tmp_path / "recipe.yml", db_url=extract_setup.url).ok
    urn = SUIVI_URN.replace("sis.suivi", "sis.grosse")
    reader = SqlReader(
        SampleSource(
            kind="sql", location=f"sqlite:///{tmp_path / 'donnees' / 'sis.db'}", table="grosse"
        )
    )
    tracemalloc.start()
    rows = sum(len(chunk) for chunk in reader.chunks(["id", "texte"], [], 1000))
    _, reading_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    record = service.make(
        account(service, "roy"),
        ExtractRequest(
            dataset=urn,
            policy=parse_policy("name: tout\nrisk: {quasi_identifiers: [id]}"),
            out=extract_setup.out / "grosse.csv",
            chunk_rows=1000,
        ),
    )
    _, extract_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert rows == record.rows == 30_000
    assert (extract_setup.out / "grosse.csv").stat().st_size > table_bytes  # all written
    assert reading_peak < table_bytes / 5 and extract_peak < table_bytes / 3  # never the table


def test_counts_tables_suppress_small_cells_and_are_registered(extract_setup, service):
    from anonymization.small_cells import disclosed_cells, suppress
    from anonymization.tabulation import TabulationRequest, tabulate

    out = extract_setup.out / "comptes.csv"
    record = tabulate(
        service,
        account(service, "roy"),
        TabulationRequest(
            dataset=SUIVI_URN,
            policy=load_policy(extract_setup.policy_file),
            out=out,
            rows="code_difficulte",
            columns="niveau",
            filters=[RowFilter.parse("sexe = F")],
        ),
    )
    published = pd.read_csv(out, dtype=str, index_col=0)
    true = (
        pd.DataFrame(
            [(row[9] or "(vide)", str(row[7])) for row in extract_setup.rows if row[4] == "F"],
            columns=["d", "n"],
        )
        .groupby(["d", "n"])
        .size()
        .unstack(fill_value=0)
    )
    table = suppress(true, 5)
    assert disclosed_cells(table) == []
    for r, label in enumerate(table.rows):
        for c, column in enumerate(table.columns):
            shown = published.loc[label, column]
            assert shown == ("x" if table.suppressed[r][c] else str(table.counts[r][c]))
    assert published.loc["Total", "Total"] == str(
        sum(1 for row in extract_setup.rows if row[4] == "F")
    )
    assert record.primary >= 1 and record.complementary >= 1
    detail = service.catalog.entity(record.urn)
    assert detail.aspects["upstreamLineage"]["upstreams"][0]["dataset"] == SUIVI_URN


def test_an_extract_from_postgresql_reads_through_a_server_side_cursor(
    tmp_path, postgres_database, sqlite_url, analyzer
):
    import psycopg2

    from catalog.accounts import AccountStore as Accounts
    from catalog.ingest import ingest_recipe_file
    from catalog.network import Network
    from catalog.roles import Account

    from .conftest import suivi_rows

    rows = suivi_rows(120, notes=0)
    with psycopg2.connect(postgres_database) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE SCHEMA sis")
        cursor.execute(
            "CREATE TABLE sis.suivi (code_permanent text, no_fiche text, nom text,"
            " date_naissance date, sexe text, code_postal text, code_ecole text, niveau integer,"
            " moyenne numeric(4,1), code_difficulte text, note text)"
        )
        cursor.executemany(f"INSERT INTO sis.suivi VALUES ({', '.join(['%s'] * 11)})", rows)
    database = postgres_database.rsplit("/", 1)[-1]
    source = {
        "type": "postgres",
        "config": {
            "host_port": "127.0.0.1:5432",
            "database": database,
            "username": "postgres",
            "platform_instance": "css-pg",
        },
    }
    recipe = tmp_path / "recipe.yml"
    recipe.write_text(yaml.safe_dump({"source": source}))
    assert ingest_recipe_file(recipe, db_url=sqlite_url).ok
    network = Network.model_validate(
        {
            "name": "t",
            "domains": [{"id": "d", "name": {"fr": "D", "en": "D"}}],
            "organizations": [
                {
                    "code": "css-pg",
                    "name": "x",
                    "kind": "css",
                    "language": "fr",
                    "region": "r",
                    "recipes": [{"name": "s", "domain": "d", "source": source}],
                }  # fmt: skip
            ],
        }
    )
    catalog = Catalog.open(sqlite_url)
    steward = Accounts(catalog).add(
        Account(username="pg", display_name="P", roles=["data_steward"], organizations=["css-pg"]),
        "mot-de-passe-123",
    )
    (tmp_path / "cles").mkdir()
    (tmp_path / "extraits").mkdir()
    from anonymization.keys import create_keyring

    create_keyring(tmp_path / "cles" / "k.keyring")
    policy = parse_policy(
        f"""
name: pg
key: {{file: {tmp_path / "cles" / "k.keyring"}}}
columns:
  code_permanent: {{operator: pseudonym}}
  no_fiche: {{operator: remove}}
  nom: {{operator: remove}}
  date_naissance: {{operator: generalize, to: age_band, width: 5, as_of: 2026-06-30}}
  code_postal: {{operator: generalize, to: postal_prefix}}
  moyenne: {{operator: top_bottom, top: 90, bottom: 50}}
"""
    )
    urn = f"urn:li:dataset:(urn:li:dataPlatform:postgres,css-pg.{database}.sis.suivi,PROD)"
    record = Extracts(catalog, network, lambda: analyzer).make(
        steward,
        ExtractRequest(
            dataset=urn, policy=policy, out=tmp_path / "extraits" / "pg.parquet", chunk_rows=50
        ),
    )
    catalog.close()
    frame = pd.read_parquet(record.path)
    assert len(frame) == 120 and set(frame["date_naissance"]) <= {"10-14", "15-19"}
    assert frame["moyenne"].between(50, 90).all()
    assert not {row[0] for row in rows} & set(frame["code_permanent"])


def test_the_catalogue_and_the_source_give_the_same_columns(extract_setup, service):
    from anonymization.source_columns import catalogue_columns, source_columns

    reader = SqlReader(
        SampleSource(
            kind="sql",
            location=f"sqlite:///{extract_setup.out.parent / 'donnees' / 'sis.db'}",
            table="suivi",
        )
    )
    from_source = source_columns(service.catalog, SUIVI_URN, reader.columns())
    from_catalogue = catalogue_columns(service.catalog, SUIVI_URN)
    assert from_catalogue == from_source
    by_name = {c.name: c for c in from_source}
    assert by_name["code_permanent"].terms[0] == "code_permanent"
    assert by_name["niveau"].kind == "integer" and by_name["date_naissance"].kind == "date"


def test_the_extract_lineage_names_columns_as_lineage_does():
    """A column named with a comma or parentheses, or by a v2 field path, is the same field
    in the extract's lineage as in the lineage graph (DataHub's escapes, the column's name)."""
    from datahub.metadata import schema_classes as dh

    from anonymization.extract_record import ExtractColumn, ExtractRecord, _lineage
    from lineage.aspects import field_parts

    extract = "urn:li:dataset:(urn:li:dataPlatform:file,css-x.extraits/e.csv,PROD)"
    names = ["nas, chiffré (partiel)", "[version=2.0].[type=string].age"]
    record = ExtractRecord.model_construct(
        urn=extract,
        source=SUIVI_URN,
        columns=[ExtractColumn(name=n, operation="keep", kind="TEXT", terms=[]) for n in names],
    )
    lineage = _lineage(record, dh.AuditStampClass(time=0, actor="urn:li:corpuser:roy"))
    pairs = [
        (field_parts(f.upstreams[0]), field_parts(f.downstreams[0]))
        for f in lineage.fineGrainedLineages or []
    ]
    assert pairs == [
        ((SUIVI_URN, "nas, chiffré (partiel)"), (extract, "nas, chiffré (partiel)")),
        ((SUIVI_URN, "age"), (extract, "age")),
    ]
