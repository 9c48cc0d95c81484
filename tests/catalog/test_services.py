"""Ingestion from a real PostgreSQL and a real MariaDB database that the tests create."""

import json

import psycopg2
import pymysql
import pytest
import yaml

from catalog.ingest import ingest_recipe_file
from catalog.service import Catalog

pytestmark = pytest.mark.services


def test_ingest_from_postgresql(tmp_path, postgres_database, sqlite_url):
    with psycopg2.connect(postgres_database) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE SCHEMA rh")
        cursor.execute("CREATE TABLE rh.employes (matricule text PRIMARY KEY, nom text, nas text)")
        cursor.execute("CREATE VIEW rh.v_employes AS SELECT matricule, nom FROM rh.employes")
    database = postgres_database.rsplit("/", 1)[-1]
    recipe = tmp_path / "rh.yml"
    recipe.write_text(
        yaml.safe_dump(
            {
                "source": {
                    "type": "postgres",
                    "config": {
                        "host_port": "127.0.0.1:5432",
                        "database": database,
                        "username": "postgres",
                        "password": "not-needed-secret",
                        "platform_instance": "css-pg",
                    },
                }
            }
        )
    )
    outcome = ingest_recipe_file(recipe, db_url=sqlite_url)
    assert outcome.ok, outcome.error
    catalog = Catalog.open(sqlite_url)
    base = f"urn:li:dataset:(urn:li:dataPlatform:postgres,css-pg.{database}.rh."
    assert {d.urn for d in catalog.entities()} == {
        base + "employes,PROD)",
        base + "v_employes,PROD)",
    }
    view = catalog.entity(base + "v_employes,PROD)")
    assert view.aspects["upstreamLineage"]["upstreams"][0]["dataset"] == base + "employes,PROD)"
    definition = view.aspects["viewProperties"]  # the view's SQL, as PostgreSQL keeps it
    assert definition["viewLanguage"] == "SQL" and "rh.employes" in definition["viewLogic"]
    assert all(d.organization == "css-pg" for d in catalog.entities())
    [run] = catalog.runs.list()
    assert "not-needed-secret" not in json.dumps(run.recipe)


def test_ingest_from_mariadb(tmp_path, mariadb_database, sqlite_url):
    host_port, database = mariadb_database
    host, port = host_port.split(":")
    with (
        pymysql.connect(
            host=host, port=int(port), user="root", password="", database=database, autocommit=True
        ) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(
            "CREATE TABLE batiments (code_batiment VARCHAR(10) PRIMARY KEY, "
            "indice_vetuste DECIMAL(5,1))"
        )
        cursor.execute(
            "CREATE TABLE bons_travail (no_bon INT PRIMARY KEY, code_batiment VARCHAR(10))"
        )
        cursor.execute(
            "CREATE VIEW v_vetustes AS SELECT code_batiment, indice_vetuste FROM batiments "
            "WHERE indice_vetuste > 15"
        )
    recipe = tmp_path / "immeubles.yml"
    recipe.write_text(
        yaml.safe_dump(
            {
                "source": {
                    "type": "mariadb",
                    "config": {
                        "host_port": host_port,
                        "database": database,
                        "username": "root",
                        "password": "",
                        "platform_instance": "css-maria",
                    },
                }
            }
        )
    )
    outcome = ingest_recipe_file(recipe, db_url=sqlite_url)
    assert outcome.ok, outcome.error
    catalog = Catalog.open(sqlite_url)
    names = {d.qualified_name for d in catalog.entities()}
    assert names == {
        f"css-maria.{database}.{table}" for table in ("batiments", "bons_travail", "v_vetustes")
    }
    base = f"urn:li:dataset:(urn:li:dataPlatform:mariadb,css-maria.{database}."
    fields = catalog.entity(base + "batiments,PROD)").aspects["schemaMetadata"]["fields"]
    assert [f["fieldPath"] for f in fields] == ["code_batiment", "indice_vetuste"]
    view = catalog.entity(base + "v_vetustes,PROD)").aspects
    assert "indice_vetuste` > 15" in view["viewProperties"]["viewLogic"]
    assert view["upstreamLineage"]["upstreams"][0]["dataset"] == base + "batiments,PROD)"


def test_the_catalogue_itself_on_postgresql(tmp_path, postgres_url):
    import sqlite3

    source = tmp_path / "sis.db"
    with sqlite3.connect(source) as conn:
        conn.execute("CREATE TABLE eleves (no_fiche TEXT PRIMARY KEY)")
    recipe = tmp_path / "sis.yml"
    recipe.write_text(
        yaml.safe_dump({"source": {"type": "sqlite", "config": {"path": str(source)}}})
    )
    assert ingest_recipe_file(recipe, db_url=postgres_url).ok
    again = ingest_recipe_file(recipe, db_url=postgres_url)
    assert again.ok and again.run.aspects_written == 0
    assert [d.qualified_name for d in Catalog.open(postgres_url).entities()] == ["sis.eleves"]
