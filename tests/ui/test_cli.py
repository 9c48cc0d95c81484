"""The command line's contract: --json everywhere, one-line errors with exit code 2."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog.service import Catalog

CARTABLE = Path(sys.executable).with_name("cartable")


@pytest.fixture
def source_recipe(sqlite_recipe):
    return sqlite_recipe("css-cli", {"eleves": "no_fiche TEXT PRIMARY KEY, nom TEXT"})


URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-cli.sis.eleves,PROD)"


def test_every_reporting_command_has_json(source_recipe, sqlite_url, tmp_path, cli):
    code, out, _ = cli(["--db-url", sqlite_url, "ingest", str(source_recipe), "--json"])
    assert code == 0 and json.loads(out)[0]["run"]["status"] == "SUCCESS"
    code, out, _ = cli(["--db-url", sqlite_url, "datasets", "--json"])
    assert [d["urn"] for d in json.loads(out)] == [URN]
    code, out, _ = cli(["--db-url", sqlite_url, "show", URN, "--json"])
    assert json.loads(out)["summary"]["organization"] == "css-cli"
    code, out, _ = cli(["--db-url", sqlite_url, "runs", "--json"])
    assert json.loads(out)[0]["pipeline_name"] == "sis"
    target = tmp_path / "export.json"
    code, out, _ = cli(["--db-url", sqlite_url, "export", str(target), "--json"])
    assert json.loads(out)["aspects"] == len(json.loads(target.read_text()))


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


BAD_RECIPES = {
    "missing": (None, "recipe not found"),
    "malformed": ("source: [unclosed", "malformed recipe"),
    "no-source": ("sink: {type: console}", "needs a 'source' section"),
    "unknown-type": (
        "source: {type: nosuchsource, config: {}}",
        "unknown source type 'nosuchsource'",
    ),
    "unreachable": (
        "source: {type: postgres, config: {host_port: '127.0.0.1:1', database: x, username: u}}",
        "ingestion failed",
    ),
}


@pytest.mark.parametrize("case", list(BAD_RECIPES))
def test_bad_recipes_fail_in_one_line_and_write_nothing(case, tmp_path, sqlite_url, cli):
    text, message = BAD_RECIPES[case]
    recipe = tmp_path / "recipe.yml"
    if text is not None:
        write(recipe, text)
    code, out, err = cli(["--db-url", sqlite_url, "ingest", str(recipe)])
    assert code == 2
    assert message in err and "Traceback" not in err + out
    assert len([line for line in err.splitlines() if line.startswith("cartable:")]) == 1
    catalog = Catalog.open(sqlite_url)
    assert catalog.count("dataset", include_removed=True) == 0
    if case != "unreachable":  # an unreachable source is a recorded, failed run
        assert catalog.runs.list() == []
    else:
        assert [r.status for r in catalog.runs.list()] == ["FAILURE"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db-url", "mysql://root@localhost/x", "datasets"], "bad database URL"),
        (["--db-url", "::nonsense::", "datasets"], "bad database URL"),
        (["--db-url", "postgresql://u:secret@h:port/x", "runs"], "bad database URL: h:port/x"),
        (
            ["--db-url", "postgresql://nobody@127.0.0.1:1/x", "runs"],
            "cannot reach the catalogue database",
        ),
        (["ingest"], "give either a recipe file or --network FILE"),
        (["show", "urn:li:dataset:(urn:li:dataPlatform:sqlite,none,PROD)"], "no entity"),
        (["export", "/nonexistent-folder/x.json"], "does not exist"),
        (["export", "x.json", "--format", "csv"], "unknown export format"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, message, sqlite_url, cli):
    if not args[0].startswith("--db-url"):
        args = ["--db-url", sqlite_url, *args]
    code, out, err = cli(args)
    assert code == 2 and message in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_a_catalogue_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path, cli):
    missing = tmp_path / "catalogeu" / "catalog.db"  # a mistyped folder
    for args in (["datasets"], ["runs", "--json"], ["ingest", str(tmp_path / "r.yml")]):
        code, out, err = cli(["--db-url", f"sqlite:///{missing}", *args])
        assert code == 2 and err.strip() == (
            f"cartable: bad database URL: sqlite:///{missing} (the folder {missing.parent} "
            "does not exist: create it first)"
        )
        assert out == "" and not missing.parent.exists()
    code, _, err = cli(["--db-url", f"sqlite:///{tmp_path / 'catalog.db'}", "datasets"])
    assert code == 0 and (tmp_path / "catalog.db").exists()  # a new file in a folder: created


def test_a_malformed_network_file_is_refused(tmp_path, sqlite_url, cli):
    network = write(
        tmp_path / "network.yml",
        yaml.safe_dump(
            {
                "name": "x",
                "domains": [{"id": "finances", "name": {"fr": "Finances", "en": "Finance"}}],
                "organizations": [
                    {
                        "code": "css-a",
                        "name": "A",
                        "kind": "css",
                        "language": "fr",
                        "region": "r",
                        "recipes": [{"name": "r", "domain": "nope", "source": {"type": "sqlite"}}],
                    }
                ],
            }
        ),
    )
    code, _, err = cli(["--db-url", sqlite_url, "ingest", "--network", str(network)])
    assert code == 2 and "unknown domain 'nope'" in err


def test_the_console_script_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [
            str(CARTABLE),
            "--db-url",
            f"sqlite:///{tmp_path / 'c.db'}",
            "ingest",
            str(tmp_path / "missing.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"cartable: recipe not found: {tmp_path / 'missing.yml'}"


def test_a_network_runs_in_parallel_with_a_progress_bar_and_a_summary_table(
    tmp_path, sqlite_url, cli, monkeypatch
):
    from io import StringIO

    from rich.console import Console

    from ui.cli import catalog_commands

    organizations = []
    for code in ("css-a", "css-b"):
        source = tmp_path / f"{code}.db"
        with sqlite3.connect(source) as conn:
            conn.execute("CREATE TABLE eleves (no_fiche TEXT PRIMARY KEY, nom TEXT)")
        recipe = {"name": "sis", "domain": "reussite", "source": {"type": "sqlite"}}
        recipe["source"]["config"] = {"path": str(source)}
        organizations.append(
            {"code": code, "name": code, "kind": "css", "language": "fr", "region": "r"}
            | {"recipes": [recipe]}
        )
    domain = {"id": "reussite", "name": {"fr": "Réussite éducative", "en": "Student success"}}
    network = write(
        tmp_path / "network.yml",
        yaml.safe_dump({"name": "t", "domains": [domain], "organizations": organizations}),
    )
    terminal = StringIO()  # the progress bar draws on a terminal only
    monkeypatch.setattr(
        catalog_commands, "errors", Console(file=terminal, force_terminal=True, width=100)
    )
    args = ["--db-url", sqlite_url, "ingest", "--network", str(network), "--workers", "2"]
    code, out, _ = cli(args)
    assert code == 0
    assert "Ingestion du réseau" in terminal.getvalue() and "2/2" in terminal.getvalue()
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "css-" in line}
    assert set(rows) == {"css-a.sis", "css-b.sis"}
    assert all(line.split("│")[2].strip() == "SUCCESS" for line in rows.values())
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        runs = conn.execute("SELECT pid, started_at, finished_at FROM ingestion_run").fetchall()
    # one process per recipe, at the same time
    pids = {pid for pid, _start, _end in runs}
    assert len(pids) == 2 and os.getpid() not in pids
    (_, start_a, end_a), (_, start_b, end_b) = runs
    assert start_a < end_b and start_b < end_a
