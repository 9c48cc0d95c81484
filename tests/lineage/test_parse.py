"""Statement and column lineage on the demo network's ETL scripts and other dialects."""

import json
from pathlib import Path

import pytest
from datahub.sql_parsing.schema_resolver import SchemaResolver

from catalog.ingest import ingest_recipe_file
from catalog.service import Catalog
from lineage.inputs import SqlSource, read_units
from lineage.parse import parse_script
from lineage.schemas import catalog_schemas
from lineage.temp_tables import resolve_temporary_tables

ETL = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "etl"


def name(urn: str) -> str:
    return urn.split(",")[1]


def edges(statement):
    return {
        (name(e.upstream_table), e.upstream_column, e.downstream_column, e.kind)
        for e in statement.columns
    }


def test_temp_table_script_statement_by_statement():
    statements = parse_script(
        (ETL / "01_mart_reussite_eleve.sql").read_text(),
        dialect="sqlite",
        platform_instance="css-x",
        default_db="entrepot",
    )
    assert [s.query_type for s in statements] == [
        "OTHER",
        "CREATE_TABLE_AS_SELECT",
        "CREATE_TABLE_AS_SELECT",
        "OTHER",
    ]
    temp, mart = statements[1], statements[2]
    assert [name(u) for u in temp.inputs] == ["css-x.sis.resultats"]
    assert [name(u) for u in temp.outputs] == ["css-x.entrepot.tmp_moyennes"]
    assert ("css-x.sis.resultats", "note", "moyenne", "aggregation") in edges(temp)
    assert {name(u) for u in mart.inputs} == {
        "css-x.entrepot.tmp_moyennes",
        "css-x.sis.eleves",
        "css-x.sis.inscriptions",
    }
    assert {
        ("css-x.sis.eleves", "code_permanent", "code_permanent", "copy"),
        ("css-x.entrepot.tmp_moyennes", "moyenne", "reussite", "transformation"),
        ("css-x.sis.inscriptions", "annee_scolaire", None, "filter_join"),
    } <= edges(mart)
    assert all(s.error is None for s in statements)


def test_cte_insert_select_feeds_every_feature():
    statements = parse_script(
        (ETL / "02_mart_risque_decrochage.sql").read_text(), dialect="sqlite", default_db="entrepot"
    )
    insert = next(s for s in statements if s.query_type == "INSERT")
    assert {name(u) for u in insert.inputs} == {
        "hdaa.plans_intervention",
        "sis.eleves",
        "sis.inscriptions",
        "sis.presences",
        "sis.resultats",
    }
    found = edges(insert)
    assert ("sis.eleves", "code_permanent", "code_permanent", "copy") in found
    # INSERT without a column list: select items map to the CREATE TABLE's columns by position
    assert ("sis.eleves", "date_naissance", "age", "transformation") in found
    assert ("sis.inscriptions", "annee_scolaire", None, "filter_join") in found


@pytest.mark.parametrize(
    ("dialect", "sql", "default_db", "default_schema", "expected"),
    [
        (
            "tsql",
            "SELECT e.matricule INTO dbo.tmp_rh FROM dbo.employes e",
            "rh",
            "dbo",
            (["rh.dbo.employes"], ["rh.dbo.tmp_rh"]),
        ),
        (
            "postgres",
            "UPDATE mart.reussite m SET moyenne = s.m FROM stage.s s WHERE s.cp = m.cp",
            "db",
            None,
            (["db.mart.reussite", "db.stage.s"], ["db.mart.reussite"]),
        ),
        (
            "mysql",
            "CREATE TABLE immeubles.besoins AS SELECT code_batiment FROM immeubles.batiments",
            None,
            None,
            (["immeubles.batiments"], ["immeubles.besoins"]),
        ),
    ],
)
def test_other_dialects(dialect, sql, default_db, default_schema, expected):
    [statement] = parse_script(
        sql, dialect=dialect, default_db=default_db, default_schema=default_schema
    )
    assert statement.error is None
    assert (
        sorted(name(u) for u in statement.inputs),
        [name(u) for u in statement.outputs],
    ) == expected


def test_a_broken_statement_is_reported_and_the_rest_parsed():
    sql = "SELECT FROM WHERE;\nCREATE TABLE b AS SELECT x FROM a;"
    broken, good = parse_script(sql, dialect="sqlite")
    assert broken.error and "ParseError" in broken.error and broken.confidence == 0
    assert good.error is None and [name(u) for u in good.outputs] == ["b"]


def test_the_catalogue_schemas_expand_select_star(sqlite_recipe, sqlite_url):
    recipe = sqlite_recipe("css-x", {"eleves": "no_fiche TEXT, code_permanent TEXT, nom TEXT"})
    assert ingest_recipe_file(recipe, db_url=sqlite_url).ok
    sql = "CREATE TABLE copie AS SELECT * FROM sis.eleves"
    blind = parse_script(sql, dialect="sqlite", platform_instance="css-x", default_db="entrepot")
    resolver = catalog_schemas(Catalog.open(sqlite_url), "sqlite", "css-x")
    aware = parse_script(
        sql, dialect="sqlite", platform_instance="css-x", default_db="entrepot", schemas=resolver
    )
    assert {e.downstream_column for e in aware[0].columns} == {"no_fiche", "code_permanent", "nom"}
    assert aware[0].confidence > blind[0].confidence


def test_cli_parse_json(sqlite_url, cli):
    code, out, _ = cli(
        [
            "--db-url",
            sqlite_url,
            "lineage",
            "parse",
            str(ETL / "03_mart_reussite_ecole.sql"),
            "--dialect",
            "sqlite",
            "--default-db",
            "entrepot",
            "--json",
        ]
    )
    statements = json.loads(out)
    assert code == 0 and statements[1]["query_type"] == "CREATE_TABLE_AS_SELECT"
    assert {c["kind"] for c in statements[1]["columns"]} >= {"copy", "aggregation"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lineage", "parse", "missing.sql", "--dialect", "sqlite"], "SQL file not found"),
        (
            ["lineage", "parse", str(ETL / "03_mart_reussite_ecole.sql"), "--dialect", "oracle"],
            "unknown dialect 'oracle'",
        ),
    ],
)
def test_cli_parse_bad_input(args, message, sqlite_url, cli):
    code, out, err = cli(["--db-url", sqlite_url, *args])
    assert code == 2 and message in err and "Traceback" not in out + err


CORPUS = Path(__file__).resolve().parent / "corpus"


def test_cte_columns_keep_their_aggregation_and_count_star_reads_the_group_key():
    statements = parse_script(
        (ETL / "02_mart_risque_decrochage.sql").read_text(), dialect="sqlite", default_db="entrepot"
    )
    found = edges(next(s for s in statements if s.query_type == "INSERT"))
    # COUNT(*) … GROUP BY no_fiche in a CTE: the count is computed from presences.no_fiche
    assert ("sis.presences", "no_fiche", "nb_absences", "aggregation") in found
    # ROUND(n.francais) hides the CTE's AVG: still an aggregation
    assert ("sis.resultats", "note", "moyenne_francais", "aggregation") in found
    assert ("hdaa.plans_intervention", "code_difficulte", "code_difficulte", "aggregation") in found


def test_where_and_subquery_columns_are_filter_edges():
    [_drop, create] = parse_script(
        (ETL / "04_mart_prevision_effectifs.sql").read_text(), dialect="sqlite"
    )
    found = edges(create)
    assert ("rh.employes", "matricule", None, "filter_join") in found
    assert ("rh.departs", "matricule", None, "filter_join") in found
    assert ("rh.employes", "date_naissance", "departs_retraite_5_ans", "aggregation") in found


def test_insert_with_a_column_list_maps_items_by_position():
    [statement] = parse_script(
        "INSERT INTO mart.t (code, total) SELECT e.code_ecole, COUNT(*) FROM sis.eleves e "
        "GROUP BY e.code_ecole",
        dialect="sqlite",
    )
    assert {e.downstream_column for e in statement.columns if e.downstream_column} == {
        "code",
        "total",
    }


def test_tsql_procedure_with_temp_table_and_merge():
    statements = parse_script(
        (CORPUS / "charger_personnel.sql").read_text(),
        dialect="tsql",
        default_db="rh",
        default_schema="dbo",
        origin="charger_personnel.sql",
    )
    assert all(s.error is None for s in statements)
    in_procedure = [s for s in statements if s.procedure == "dbo.charger_personnel"]
    assert {s.query_type for s in in_procedure} >= {"SELECT", "MERGE", "OTHER"}
    select_into = next(s for s in in_procedure if s.query_type == "SELECT")
    assert [name(u) for u in select_into.temporary_outputs] == ["rh.dbo.#actifs"]
    assert statements[-1].procedure is None  # EXEC after GO is outside the procedure
    [merged] = resolve_temporary_tables(statements)
    assert [name(u) for u in merged.outputs] == ["rh.dbo.personnel_ecole"]
    assert [name(u) for u in merged.inputs] == ["rh.dbo.employes"]
    assert edges(merged) == {
        ("rh.dbo.employes", "nom", "nom", "transformation"),
        ("rh.dbo.employes", "code_ecole", "code_ecole", "copy"),
        ("rh.dbo.employes", "matricule", "matricule", "copy"),
        ("rh.dbo.employes", "matricule", None, "filter_join"),
        ("rh.dbo.employes", "annee", None, "filter_join"),
    }


def test_merge_column_lineage_filled_by_sqlglot():
    [statement] = parse_script(
        "MERGE INTO mart.t AS t USING (SELECT id, x FROM stage.s WHERE y = 1) AS s "
        "ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.a = s.x "
        "WHEN NOT MATCHED THEN INSERT (id, a) VALUES (s.id, UPPER(s.x))",
        dialect="postgres",
        default_db="db",
    )
    assert statement.query_type == "MERGE"
    assert edges(statement) >= {
        ("db.stage.s", "x", "a", "copy"),
        ("db.stage.s", "x", "a", "transformation"),
        ("db.stage.s", "id", "id", "copy"),
        ("db.stage.s", "y", None, "filter_join"),
    }


def test_plpgsql_procedure_body_is_parsed_statement_by_statement():
    statements = parse_script(
        (CORPUS / "bilan_postgres.sql").read_text(), dialect="postgres", default_db="cartable"
    )
    body = [s for s in statements if s.procedure == "mart.bilan"]
    assert {s.query_type for s in body} >= {"CREATE_TABLE_AS_SELECT", "UPDATE"}
    resolved = resolve_temporary_tables(statements)
    update = next(s for s in resolved if s.query_type == "UPDATE")
    assert ("cartable.sis.resultats", "note", "moyenne", "aggregation") in edges(update)
    assert all("t_notes" not in name(u) for u in update.inputs)


def test_query_log_sessions_resolve_their_own_temp_tables_and_report_bad_lines():
    source = SqlSource(path=CORPUS / "requetes.jsonl", dialect="sqlite", default_db="entrepot")
    units = list(read_units(source, SchemaResolver(platform="sqlite")))
    statements = [s for unit in units for s in unit]
    assert len(statements) == 5
    failures = {s.origin.rsplit(":", 1)[1]: s.error for s in statements if s.error}
    assert set(failures) == {"3", "4"}
    assert "ParseError" in failures["3"] and "invalid query-log line" in failures["4"]
    resolved = [s for unit in units for s in resolve_temporary_tables(unit)]
    notes = next(s for s in resolved if name(s.outputs[0]) == "entrepot.notes_finales")
    assert edges(notes) == {
        ("sis.resultats", "no_fiche", "no_fiche", "copy"),
        ("sis.resultats", "note", "note", "transformation"),
        ("sis.resultats", "etape", None, "filter_join"),
    }


@pytest.mark.parametrize(
    ("sql", "dialect", "lines"),
    [
        # after each GO, the count goes on from the separator's own line
        ("SELECT 1;\nGO\nSELECT 2;\nGO\nSELECT 3;", "tsql", ["1", "3", "5"]),
        # the same statement twice: each on its own line
        ("SELECT 1;\nSELECT 1;\nSELECT 2;", "postgres", ["1", "2", "3"]),
    ],
)
def test_each_statement_says_the_line_it_starts_on(sql, dialect, lines):
    statements = parse_script(sql, dialect=dialect, origin="script.sql")
    assert [s.origin.rsplit(":", 1)[1] for s in statements] == lines
