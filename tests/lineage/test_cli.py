"""`cartable lineage …` commands, in-process, on a real SQLite catalogue; and the demo."""

import json
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "etl"
ELEVES = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.eleves,PROD)"
MART = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.entrepot.mart_risque_decrochage,PROD)"


@pytest.fixture
def lineage_cli(sqlite_url, cli):
    def run(*args: str) -> tuple[int, str, str]:
        return cli(["--db-url", sqlite_url, "lineage", *args])

    def accounts(username: str, role: str) -> tuple[int, str, str]:
        add = ["accounts", "add", username, "--name", "x", "--role", role, "--org", "css-x"]
        return cli(["--db-url", sqlite_url, *add])

    run.accounts = accounts  # type: ignore[attr-defined]

    code, out, err = run(
        "ingest", str(ETL), "--dialect", "sqlite", "--platform-instance", "css-x",
        "--default-db", "entrepot", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["statements"] == 16
    return run


def test_up_down_impact_path_cycles_as_json(lineage_cli):
    code, out, _ = lineage_cli("down", f"{ELEVES}#code_permanent", "--depth", "1", "--json")
    assert code == 0
    reached = json.loads(out)["nodes"]
    assert f"urn:li:schemaField:({MART},code_permanent)" in reached
    code, out, _ = lineage_cli("up", MART, "--json")
    assert ELEVES in json.loads(out)["nodes"]
    code, out, _ = lineage_cli("impact", f"{ELEVES}#date_naissance", "--json")
    impact = {d["name"]: d for d in json.loads(out)["datasets"]}
    assert impact["css-x.entrepot.mart_risque_decrochage"]["columns"]["age"]["kinds"] == [
        "transformation"
    ]
    code, out, _ = lineage_cli(
        "path", f"{ELEVES}#code_permanent", f"{MART}#code_permanent", "--json"
    )
    assert len(json.loads(out)["path"]) == 2
    code, out, _ = lineage_cli("cycles", "--json")
    assert code == 0 and json.loads(out) == []


def test_block_needs_an_existing_edge_a_reason_and_a_steward(lineage_cli, monkeypatch):
    up, down = f"{ELEVES}#date_naissance", f"{MART}#age"
    monkeypatch.setenv("CARTABLE_NEW_PASSWORD", "un mot de passe assez long")
    # the mart is known here through lineage only, without an organization: only an
    # administrator may decide for it
    for account, role in (("a", "admin"), ("b", "data_steward")):
        assert lineage_cli.accounts(account, role)[0] == 0
    code, _, err = lineage_cli("block", up, down, "--reason", "x", "--steward", "b")
    assert code == 2 and "may not block propagation" in err
    code, _, err = lineage_cli("block", up, f"{MART}#sexe", "--reason", "x", "--steward", "a")
    assert code == 2 and "no column edge" in err and "Traceback" not in err
    code, _, err = lineage_cli("block", up, down, "--reason", "  ", "--steward", "a")
    assert code == 2 and "reason" in err
    code, out, _ = lineage_cli(
        "block", up, down, "--reason", "âge en années", "--steward", "a", "--json"
    )
    assert code == 0 and json.loads(out)["blocked"] is True
    code, out, _ = lineage_cli("blocks", "--json")
    assert [b["reason"] for b in json.loads(out)] == ["âge en années"]
    assert lineage_cli("unblock", up, down, "--steward", "a")[0] == 0
    assert lineage_cli("unblock", up, down, "--steward", "a")[0] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", str(ETL), "--dialect", "oracle"], "unknown dialect"),
        (["ingest", "/nonexistent/x.sql", "--dialect", "sqlite"], "no SQL file"),
        (["impact", ELEVES], "needs a column"),
        (["down", "urn:li:dataset:(urn:li:dataPlatform:sqlite,nope,PROD)"], "no entity"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(sqlite_url, cli, args, message):
    code, _, err = cli(["--db-url", sqlite_url, "lineage", *args])
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.slow
def test_the_demo_traces_the_code_permanent_from_the_sis_to_the_marts(demo_catalog, cli):
    url, report, _ = demo_catalog
    assert report["propagated_columns"] > 0
    eleves = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-deux-rivieres.sis.eleves,PROD)"
    code, out, _ = cli(["--db-url", url, "lineage", "impact", f"{eleves}#code_permanent", "--json"])
    assert code == 0
    impact = {d["name"].split(".", 1)[1]: d for d in json.loads(out)["datasets"]}
    [extract] = [name for name in impact if name.endswith("/suivi-resultats-css-deux-rivieres.csv")]
    # the demo's extract is downstream too: pseudonymized, still derived personal information
    pseudonymized = impact.pop(extract)["columns"]["code_permanent"]
    assert pseudonymized["kinds"] == ["transformation"]
    assert pseudonymized["mark"]["status"] == "derived"
    assert set(impact) == {
        "entrepot.mart_reussite_eleve",
        "entrepot.mart_risque_decrochage",
        "entrepot.mart_suivi_resultats",
        "sis.v_eleves_actifs",
    }
    for dataset in impact.values():
        column = dataset["columns"]["code_permanent"]
        assert column["kinds"] == ["copy"] and column["mark"]["status"] == "derived"
        assert column["mark"]["path"][0]["upstream"].endswith("sis.eleves,PROD),code_permanent)")
    code, out, _ = cli(["--db-url", url, "lineage", "propagate", "--dry-run", "--json"])
    marks = {
        (m["field"].split(",")[1].split(".", 1)[1], m["field"].rsplit(",", 1)[1][:-1]): m
        for m in json.loads(out)["marks"]
    }
    assert marks[("entrepot.mart_reussite_ecole", "nb_eleves")]["status"] == "aggregate"
    assert marks[("entrepot.mart_risque_decrochage", "age")]["status"] == "derived"
    assert marks[("entrepot.mart_risque_decrochage", "nb_absences")]["reason"] == "person_grain"
