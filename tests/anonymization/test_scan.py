"""Scanning real sources (SQLite, PostgreSQL, CSV) into a real catalogue; the demo's result."""

import json
import random
import sqlite3
from datetime import date

import psycopg2
import pytest
import yaml
from faker import Faker

from anonymization.analyzer import network_analyzer
from anonymization.scan import PiiScanner
from catalog import pi_terms
from catalog.demo.identifiers import code_permanent, phone_number, social_insurance_number
from catalog.ingest import ingest_recipe_file
from catalog.network import Network
from catalog.service import Catalog


def people(n: int, seed: int = 5) -> list[dict[str, str]]:
    fake, rng = Faker("fr_CA"), random.Random(seed)
    fake.seed_instance(seed)
    rows = []
    for _ in range(n):
        surname, given = fake.last_name(), fake.first_name()
        birth = date(2010 + rng.randint(0, 5), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            {
                "no_fiche": str(rng.randint(1_000_000, 9_999_999)),
                "identifiant": code_permanent(surname, given, birth, rng.random() < 0.5, rng),
                "nom": surname.upper(),
                "date_naissance": birth.isoformat(),
                "telephone": phone_number(rng),
                "nas": social_insurance_number(rng),
                "niveau": str(rng.randint(1, 6)),
                "code_ecole": f"{rng.randint(100, 999)}",
            }
        )
    return rows


def network_with(source: dict, code: str = "css-x") -> Network:
    return Network.model_validate(
        {
            "name": "test",
            "domains": [{"id": "d", "name": {"fr": "D", "en": "D"}}],
            "organizations": [
                {
                    "code": code,
                    "name": "x",
                    "kind": "css",
                    "language": "fr",
                    "region": "r",
                    "recipes": [{"name": "s", "domain": "d", "source": source}],
                }
            ],
        }
    )


def recipe_for(tmp_path, source: dict):
    path = tmp_path / "recipe.yml"
    path.write_text(yaml.safe_dump({"source": source}))
    return path


EXPECTED = {
    "no_fiche": "file_number",
    "identifiant": "code_permanent",
    "nom": "person_name",
    "date_naissance": "birth_date",
    "telephone": "phone_number",
    "nas": "sin",
}


def check(scan) -> None:
    assert scan.error is None
    found = {f.column: f.term for f in scan.personal}
    assert found == EXPECTED  # niveau and code_ecole are not personal
    assert scan.sensitivity == "restreint"  # a NAS


def test_a_sqlite_table_is_classified_and_recorded(tmp_path, sqlite_url):
    path = tmp_path / "sis.db"
    rows = people(60)
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TABLE eleves ({', '.join(f'{c} TEXT' for c in rows[0])})")
        conn.executemany(
            f"INSERT INTO eleves VALUES ({', '.join('?' * len(rows[0]))})",
            [tuple(r.values()) for r in rows],
        )
    source = {"type": "sqlite", "config": {"path": str(path), "platform_instance": "css-x"}}
    assert ingest_recipe_file(recipe_for(tmp_path, source), db_url=sqlite_url).ok
    catalog = Catalog.open(sqlite_url)
    scanner = PiiScanner(catalog, network_with(source), network_analyzer, sample_size=50)
    urn = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.eleves,PROD)"
    scan = scanner.scan(urn)
    check(scan)
    assert scanner.record([scan]) == 2  # field terms and the dataset's sensitivity
    stored = catalog.store.latest_aspect(urn, "editableSchemaMetadata")
    assert stored and "TREM" not in stored and rows[0]["nas"] not in stored  # no values
    terms = catalog.field_terms(urn)
    [association] = terms["nas"]
    assert association["urn"] == pi_terms.term_urn("sin") and pi_terms.is_scanned(association)
    assert float(association["attribution"]["sourceDetail"]["confidence"]) >= 0.9
    sensitivity = json.loads(catalog.store.latest_aspect(urn, "glossaryTerms"))
    assert [t["urn"] for t in sensitivity["terms"]] == [pi_terms.SENSITIVITY_PREFIX + "restreint"]
    assert scanner.record([scanner.scan(urn)]) == 0  # a rescan of unchanged data: nothing new
    catalog.close()


def test_a_postgresql_table_is_sampled_by_the_database(tmp_path, postgres_database, sqlite_url):
    rows = people(40, seed=9)
    with psycopg2.connect(postgres_database) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE SCHEMA sis")
        cursor.execute(f"CREATE TABLE sis.eleves ({', '.join(f'{c} text' for c in rows[0])})")
        cursor.executemany(
            f"INSERT INTO sis.eleves VALUES ({', '.join(['%s'] * len(rows[0]))})",
            [tuple(r.values()) for r in rows],
        )
    database = postgres_database.rsplit("/", 1)[-1]
    config = {
        "host_port": "127.0.0.1:5432",
        "database": database,
        "username": "postgres",
        "password": "not-needed-secret",
        "platform_instance": "css-pg",
    }
    source = {"type": "postgres", "config": config}
    assert ingest_recipe_file(recipe_for(tmp_path, source), db_url=sqlite_url).ok
    catalog = Catalog.open(sqlite_url)
    scanner = PiiScanner(catalog, network_with(source, "css-pg"), network_analyzer, sample_size=20)
    scan = scanner.scan(
        f"urn:li:dataset:(urn:li:dataPlatform:postgres,css-pg.{database}.sis.eleves,PROD)"
    )
    check(scan)
    assert all(f.evidence.sampled <= 20 for f in scan.findings)
    catalog.close()


def test_an_unreachable_source_is_reported_and_the_scan_goes_on(tmp_path, sqlite_url):
    path = tmp_path / "rh.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE employes (nas TEXT)")
    source = {"type": "sqlite", "config": {"path": str(path), "platform_instance": "css-x"}}
    assert ingest_recipe_file(recipe_for(tmp_path, source), db_url=sqlite_url).ok
    path.unlink()
    catalog = Catalog.open(sqlite_url)
    scanner = PiiScanner(catalog, network_with(source), network_analyzer)
    scan = scanner.scan("urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.rh.employes,PROD)")
    assert scan.error and "OperationalError" in scan.error
    assert scanner.record([scan]) == 0
    catalog.close()


@pytest.mark.slow
def test_the_demo_classifies_the_source_systems_as_its_stewards_do(demo_catalog):
    """The demo's stewards' classification (catalog/demo/classification.yml) is the truth."""
    from catalog.demo.classification import demo_classification

    url, report, _ = demo_catalog
    assert report["personal_columns"] > 100
    catalog = Catalog.open(url)
    truth = demo_classification()
    for dataset in catalog.entities("dataset", platform="sqlite", organization="css-deux-rivieres"):
        key = ".".join(dataset.qualified_name.split(".")[-2:])
        if key.startswith(("entrepot.", "sis.v_")):
            continue  # marts and views: derived, their truth is the lineage
        found = {
            column: a["urn"].rsplit(".", 1)[-1]
            for column, associations in catalog.field_terms(dataset.urn).items()
            for a in associations
            if pi_terms.is_scanned(a)
        }
        assert found == truth.get(key, {}), key
    catalog.close()
