"""The sink, checkpoint provider and run reporter inside real DataHub pipelines."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog.ingest import ingest_recipe_file
from catalog.service import Catalog

DATAHUB = Path(sys.executable).with_name("datahub")


def make_source(path: Path, tables: list[str], view: bool = True) -> Path:
    with sqlite3.connect(path) as conn:
        for table in tables:
            conn.execute(
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, nom TEXT, code_ecole TEXT)"
            )
        if view and tables:
            conn.execute(f"CREATE VIEW v_{tables[0]} AS SELECT id, nom FROM {tables[0]}")
    return path


def write_recipe(folder: Path, source_db: Path, **extra) -> Path:
    recipe = {
        "source": {
            "type": "sqlite",
            "config": {"path": str(source_db), "platform_instance": "css-test"},
        },
        **extra,
    }
    path = folder / "sis.yml"
    path.write_text(yaml.safe_dump(recipe))
    return path


def dataset(name: str) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-test.sis.{name},PROD)"


def test_cartable_ingest_records_datasets_and_the_run(tmp_path, sqlite_url):
    source = make_source(tmp_path / "sis.db", ["eleves", "resultats"])
    outcome = ingest_recipe_file(write_recipe(tmp_path, source), db_url=sqlite_url)
    assert outcome.ok, outcome.error
    catalog = Catalog.open(sqlite_url)
    names = {d.urn for d in catalog.entities()}
    assert names == {dataset("eleves"), dataset("resultats"), dataset("v_eleves")}
    view = catalog.entity(dataset("v_eleves"))
    assert [u["dataset"] for u in view.aspects["upstreamLineage"]["upstreams"]] == [
        dataset("eleves")
    ]
    assert view.aspects["viewProperties"] == {
        "materialized": False,
        "viewLanguage": "SQL",
        "viewLogic": "CREATE VIEW v_eleves AS SELECT id, nom FROM eleves",
    }
    assert {
        f["fieldPath"]
        for f in catalog.entity(dataset("eleves")).aspects["schemaMetadata"]["fields"]
    } == {"id", "nom", "code_ecole"}
    [run] = catalog.runs.list()
    assert run.status == "SUCCESS" and run.source_type == "sqlite" and run.pipeline_name == "sis"
    assert run.aspects_written > 0 and run.entities_seen >= 3 and run.duration_s is not None
    assert run.recipe["source"]["config"]["path"] == str(source)


def test_datahubs_own_sqlalchemy_source_writes_into_the_catalogue_too(tmp_path, sqlite_url):
    source = make_source(tmp_path / "sis.db", ["eleves"])
    recipe = tmp_path / "generique.yml"
    config = {"connect_uri": f"sqlite:///{source}", "platform": "sqlite"}
    recipe.write_text(yaml.safe_dump({"source": {"type": "sqlalchemy", "config": config}}))
    assert ingest_recipe_file(recipe, db_url=sqlite_url).ok
    # every SQLite file is database "main" there: why Cartable's sqlite source names it
    names = {d.qualified_name for d in Catalog.open(sqlite_url).entities()}
    assert names == {"main.eleves", "main.v_eleves"}


def test_rerunning_a_recipe_adds_no_version(tmp_path, sqlite_url):
    recipe = write_recipe(tmp_path, make_source(tmp_path / "sis.db", ["eleves"]))
    first = ingest_recipe_file(recipe, db_url=sqlite_url)
    second = ingest_recipe_file(recipe, db_url=sqlite_url)
    assert first.run.aspects_written > 0
    assert (second.run.aspects_written, second.run.aspects_unchanged) == (
        0,
        first.run.aspects_written,
    )
    catalog = Catalog.open(sqlite_url)
    assert set(catalog.entity(dataset("eleves")).versions.values()) == {1}


def test_a_dataset_that_disappears_is_soft_deleted_at_the_next_run(tmp_path, sqlite_url):
    source = make_source(tmp_path / "sis.db", ["eleves", "resultats"], view=False)
    recipe = write_recipe(tmp_path, source)
    assert ingest_recipe_file(recipe, db_url=sqlite_url).ok
    with sqlite3.connect(source) as conn:
        conn.execute("DROP TABLE resultats")
    assert ingest_recipe_file(recipe, db_url=sqlite_url).ok
    catalog = Catalog.open(sqlite_url)
    assert [d.urn for d in catalog.entities()] == [dataset("eleves")]
    removed = catalog.entity(dataset("resultats"))
    assert removed.summary.removed and removed.aspects["status"] == {"removed": True}
    assert removed.versions["status"] == 2  # the history keeps it was present


def test_a_runs_warnings_and_failures_are_recorded(tmp_path, sqlite_url, cli):
    source = make_source(tmp_path / "sis.db", ["eleves", "notes"], view=False)
    with sqlite3.connect(source) as conn:  # a legacy view left behind by a dropped table
        conn.execute("CREATE VIEW v_notes AS SELECT id, nom FROM notes")
        conn.execute("DROP TABLE notes")
    warned = ingest_recipe_file(write_recipe(tmp_path, source), db_url=sqlite_url)
    assert warned.ok and warned.run.status == "SUCCESS" and warned.run.failures == []
    [warning] = warned.run.warnings
    assert warning["message"] == "Error processing view"
    assert "sis.v_notes" in warning["context"][0] and "no such table" in warning["context"][0]
    unreachable = tmp_path / "rh.yml"
    unreachable.write_text(
        yaml.safe_dump(
            {
                "source": {
                    "type": "postgres",
                    "config": {"host_port": "127.0.0.1:1", "database": "rh", "username": "u"},
                }
            }
        )
    )
    failed = ingest_recipe_file(unreachable, db_url=sqlite_url)
    assert not failed.ok and failed.run.status == "FAILURE" and failed.run.warnings == []
    [failure] = failed.run.failures
    assert failure["title"] == "Pipeline Error" and '"127.0.0.1", port 1' in failure["context"][0]
    code, out, _ = cli(["--db-url", sqlite_url, "runs", "--json"])
    listed = {r["pipeline_name"]: r for r in json.loads(out)}
    assert code == 0 and listed["sis"]["warnings"] == warned.run.warnings
    assert listed["rh"]["failures"] == failed.run.failures


def test_plain_datahub_ingest_with_the_cartable_sink(tmp_path, sqlite_url):
    source = make_source(tmp_path / "sis.db", ["eleves"])
    recipe = write_recipe(
        tmp_path,
        source,
        pipeline_name="dh-cli",
        sink={"type": "cartable", "config": {"db_url": sqlite_url}},
    )
    env = dict(os.environ, DATAHUB_TELEMETRY_ENABLED="false")
    result = subprocess.run(
        [str(DATAHUB), "ingest", "-c", str(recipe), "--no-default-report"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    catalog = Catalog.open(sqlite_url)
    assert dataset("eleves") in {d.urn for d in catalog.entities()}
    [run] = catalog.runs.list()
    assert (run.pipeline_name, run.status) == ("dh-cli", "SUCCESS")


def test_plain_datahub_ingest_soft_deletes_with_the_documented_stateful_block(tmp_path, sqlite_url):
    source = make_source(tmp_path / "sis.db", ["eleves", "resultats"], view=False)
    config = {"db_url": sqlite_url}
    stateful = {
        "enabled": True,
        "remove_stale_metadata": True,
        "state_provider": {"type": "cartable", "config": config},
    }  # the block docs/ingestion.md shows, with this test's catalogue
    recipe = write_recipe(
        tmp_path, source, pipeline_name="sis", sink={"type": "cartable", "config": config}
    )
    text = yaml.safe_load(recipe.read_text())
    text["source"]["config"]["stateful_ingestion"] = stateful
    recipe.write_text(yaml.safe_dump(text))
    env = dict(os.environ, DATAHUB_TELEMETRY_ENABLED="false")
    command = [str(DATAHUB), "ingest", "-c", str(recipe), "--no-default-report"]
    for _ in range(2):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
        assert result.returncode == 0, result.stderr[-2000:]
        with sqlite3.connect(source) as conn:
            conn.execute("DROP TABLE IF EXISTS resultats")
    catalog = Catalog.open(sqlite_url)
    assert [d.urn for d in catalog.entities()] == [dataset("eleves")]
    assert catalog.entity(dataset("resultats")).summary.removed


OURS = {"type": "cartable", "config": {"db_url": "U"}}  # the catalogue given to complete_recipe
THEIRS = {"type": "cartable", "config": {"db_url": "V"}}


@pytest.mark.parametrize(
    ("sink", "reporting", "expected"),
    [
        (None, None, []),  # the cartable sink adds its reporter itself
        ({"type": "datahub-rest"}, None, [OURS]),
        ({"type": "datahub-rest"}, [{"type": "cartable"}], [OURS]),
        (None, [THEIRS], [THEIRS]),
        ({"type": "console"}, [{"type": "datahub"}], [{"type": "datahub"}, OURS]),
    ],
)
def test_a_run_is_recorded_where_cartable_reads_it_back(sink, reporting, expected):
    from catalog.ingest import complete_recipe

    recipe = {"source": {"type": "sqlite", "config": {"path": "x.db"}}, "reporting": reporting}
    if sink is not None:
        recipe["sink"] = sink
    completed = complete_recipe(recipe, db_url="U", pipeline_name="p")
    assert completed["reporting"] == expected


def test_secrets_are_masked_before_a_recipe_is_stored():
    from catalog.runs import MASK, mask_secrets

    masked = mask_secrets(
        {
            "password": "hunter2",
            "uri": "postgresql://u:hunter2@h/db",
            "nested": [{"api_key": "k1"}],
            "token": "",
            "user": "u",
        }
    )
    assert "hunter2" not in json.dumps(masked) and "k1" not in json.dumps(masked)
    assert masked["uri"] == f"postgresql://u:{MASK}@h/db" and masked["user"] == "u"


def test_the_sink_restores_the_garbage_collector_settings(sqlite_url):
    import gc

    from datahub.ingestion.api.common import PipelineContext

    from catalog.sink import INGESTION_GC_THRESHOLDS, CartableSink

    before = gc.get_threshold()
    sink = CartableSink.create({"db_url": sqlite_url}, PipelineContext(run_id="gc"))
    assert gc.get_threshold() == INGESTION_GC_THRESHOLDS
    sink.close()
    assert gc.get_threshold() == before
