"""A killed ingestion and concurrent writers leave a consistent catalogue."""

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from catalog.service import Catalog

CARTABLE = Path(sys.executable).with_name("cartable")


def big_source(path: Path, tables: int) -> Path:
    with sqlite3.connect(path) as conn:
        columns = ", ".join(f"colonne_{i} TEXT" for i in range(12))
        for index in range(tables):
            conn.execute(f"CREATE TABLE table_{index:04d} (id INTEGER PRIMARY KEY, {columns})")
    return path


def aspect_rows(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM metadata_aspect_v2").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_an_ingestion_killed_midway_leaves_a_consistent_catalogue(tmp_path):
    tables = 600
    source = big_source(tmp_path / "sis.db", tables)
    database = tmp_path / "catalog.db"
    url = f"sqlite:///{database}"
    recipe = tmp_path / "sis.yml"
    recipe.write_text(
        yaml.safe_dump(
            {
                "source": {"type": "sqlite", "config": {"path": str(source)}},
                "sink": {"type": "cartable", "config": {"db_url": url, "batch_size": 10}},
            }
        )
    )
    process = subprocess.Popen(
        [str(CARTABLE), "--db-url", url, "ingest", str(recipe)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while aspect_rows(database) == 0 and time.monotonic() < deadline:
        assert process.poll() is None, "the ingestion ended before it could be killed"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL

    catalog = Catalog.open(url)
    with catalog.database.read() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        aspect_urns = set(
            conn.scalars(
                text(
                    "SELECT DISTINCT urn FROM metadata_aspect_v2 WHERE urn LIKE 'urn:li:dataset:%'"
                )
            )
        )
        index_urns = set(
            conn.scalars(text("SELECT urn FROM entity_index WHERE entity_type = 'dataset'"))
        )
    assert aspect_urns == index_urns  # the derived index committed with its batches
    assert 0 < len(index_urns) < tables  # killed mid-run
    [run] = catalog.runs.list()
    assert run.status == "INTERRUPTED"

    rerun = subprocess.run(
        [str(CARTABLE), "--db-url", url, "ingest", str(recipe), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert json.loads(rerun.stdout)[0]["run"]["status"] == "SUCCESS"
    assert catalog.count("dataset") == tables
    catalog.close()


WRITER = textwrap.dedent("""
    import sys
    from catalog.json_text import canonical_json
    from catalog.aspect_values import AspectWrite
    from catalog.service import Catalog

    url, worker, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    shared = "urn:li:dataset:(urn:li:dataPlatform:sqlite,shared.table,PROD)"
    catalog = Catalog.open(url)
    for r in range(rounds):
        own = f"urn:li:dataset:(urn:li:dataPlatform:sqlite,w{worker}.t{r},PROD)"
        catalog.write([
            AspectWrite(shared, "datasetProperties",
                        canonical_json({"name": f"w{worker}-{r}"}), None),
            AspectWrite(own, "status", canonical_json({"removed": False}), None),
        ], actor=f"urn:li:corpuser:w{worker}")
    catalog.close()
""")


def test_concurrent_writers_lose_no_version(any_catalog_url):
    Catalog.open(any_catalog_url).close()  # migrate once, before the writers race
    workers, rounds = 4, 40
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, any_catalog_url, str(w), str(rounds)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-2000:]
    catalog = Catalog.open(any_catalog_url)
    shared = "urn:li:dataset:(urn:li:dataPlatform:sqlite,shared.table,PROD)"
    history = catalog.store.history(shared, "datasetProperties")
    versions = sorted(h["version"] for h in history)
    assert versions == list(range(workers * rounds))
    values = {json.loads(h["metadata"])["name"] for h in history}
    assert values == {f"w{w}-{r}" for w in range(workers) for r in range(rounds)}
    assert catalog.count("dataset") == workers * rounds + 1
    catalog.close()


def test_concurrent_first_opens_migrate_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code = "import sys; from catalog.service import Catalog; Catalog.open(sys.argv[1]).close()"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr[-2000:]
