"""Scanning in worker processes: the serial result, errors per dataset, the workers' count."""

import json
import os
import random
import sqlite3

import pytest
import yaml

from anonymization.analyzer import network_analyzer
from anonymization.parallel_scan import default_workers, scan_datasets
from anonymization.scan import PiiScanner
from catalog.demo.identifiers import code_permanent, phone_number, social_insurance_number
from catalog.network import ingest_network, load_network
from catalog.service import Catalog

ROWS = 30  # fewer than the sample: every scan reads whole tables, so runs compare exactly


def _students(rng: random.Random) -> list[tuple[str, ...]]:
    from datetime import date

    rows = []
    for i in range(ROWS):
        birth = date(2012, rng.randint(1, 12), rng.randint(1, 28))
        code = code_permanent("Tremblay", "Léa", birth, rng.random() < 0.5, rng)
        rows.append((f"{100000 + i}", code, birth.isoformat(), str(rng.randint(1, 6))))
    return rows


def _staff(rng: random.Random) -> list[tuple[str, ...]]:
    return [(f"E{20000 + i}", social_insurance_number(rng), phone_number(rng)) for i in range(ROWS)]


TABLES = {
    "sis": {
        "eleves": (
            "no_fiche TEXT, code_permanent TEXT, date_naissance TEXT, niveau TEXT",
            _students,
        ),
        "inscriptions": ("no_fiche TEXT, identifiant TEXT, ddn TEXT, niveau TEXT", _students),
    },
    "rh": {
        "employes": ("matricule TEXT, nas TEXT, telephone TEXT", _staff),
        "contacts": ("matricule TEXT, info TEXT, tel TEXT", _staff),
    },
}


@pytest.fixture
def network(tmp_path, sqlite_url):
    """Two SQLite systems of one organization, ingested; returns (network file, catalogue URL)."""
    rng = random.Random(3)
    recipes = []
    for system, tables in TABLES.items():
        path = tmp_path / f"{system}.db"
        with sqlite3.connect(path) as conn:
            for table, (columns, rows) in tables.items():
                conn.execute(f"CREATE TABLE {table} ({columns})")
                data = rows(rng)
                conn.executemany(
                    f"INSERT INTO {table} VALUES ({', '.join('?' * len(data[0]))})", data
                )
        source = {"type": "sqlite", "config": {"path": str(path)}}
        recipes.append({"name": system, "domain": "d", "source": source})
    organization = {"code": "css-x", "name": "x", "kind": "css", "language": "fr", "region": "r"}
    network_file = tmp_path / "network.yml"
    network_file.write_text(
        yaml.safe_dump(
            {
                "name": "test",
                "domains": [{"id": "d", "name": {"fr": "D", "en": "D"}}],
                "organizations": [{**organization, "recipes": recipes}],
            }
        )
    )
    assert all(o.ok for o in ingest_network(load_network(network_file), db_url=sqlite_url))
    return network_file, sqlite_url


def _scanner(network_file, url) -> PiiScanner:
    return PiiScanner(Catalog.open(url), load_network(network_file), network_analyzer)


def test_workers_give_the_serial_result_and_report_an_unreadable_source(network, tmp_path):
    network_file, url = network
    (tmp_path / "rh.db").unlink()  # the HR system moved: its two tables cannot be read
    scanner = _scanner(network_file, url)
    urns = [d.urn for d in scanner.catalog.entities("dataset")]
    assert len(urns) == 4
    serial = scan_datasets(scanner, urns, workers=1)
    done: list[str] = []
    parallel = scan_datasets(scanner, urns, workers=2, on_done=lambda s: done.append(s.dataset))
    assert [s.model_dump() for s in parallel] == [s.model_dump() for s in serial]
    assert sorted(done) == sorted(urns)  # the progress bar advances once per dataset
    by_table = {s.dataset.split(".")[-1].split(",")[0]: s for s in parallel}
    assert {t for t, s in by_table.items() if s.error} == {"employes", "contacts"}
    assert "OperationalError" in (by_table["employes"].error or "")
    found = {f.column: f.term for f in by_table["inscriptions"].personal}
    assert found == {
        "no_fiche": "file_number",
        "identifiant": "code_permanent",
        "ddn": "birth_date",
    }
    scanner.catalog.close()


def _die() -> None:
    os._exit(3)


def test_a_dead_worker_is_reported_on_its_datasets_and_the_run_returns(network):
    network_file, url = network
    scanner = _scanner(network_file, url)
    urns = [d.urn for d in scanner.catalog.entities("dataset")]
    scans = scan_datasets(scanner, urns, workers=2, worker_setup=_die)
    assert [s.dataset for s in scans] == urns
    assert all(s.error and "BrokenProcessPool" in s.error for s in scans)
    scanner.catalog.close()


def test_the_cli_scans_with_workers_and_records(network, cli):
    network_file, url = network
    args = ["--db-url", url, "pii", "scan", "--all", "--network", str(network_file)]
    code, out, err = cli([*args, "--workers", "2", "--json"])
    assert code == 0, err
    report = json.loads(out)
    assert len(report["datasets"]) == 4 and report["written"] == 8  # terms + sensitivity each
    assert not any(d["error"] for d in report["datasets"])


@pytest.mark.parametrize(
    ("datasets", "cpus", "memory_mb", "expected"),
    [
        (5, 8, 32_000, 1),  # a handful: one process
        (30, 8, 32_000, 1),
        (48, 8, 32_000, 2),  # enough datasets for two
        (200, 2, 24_000, 2),  # no more than the CPUs
        (200, 8, 32_000, 8),
        (200, 8, 2_000, 2),  # no more than the memory holds
        (200, 8, 500, 1),
        (200, 4, None, 4),  # memory unknown: the CPUs decide
    ],
)
def test_default_workers(datasets, cpus, memory_mb, expected):
    assert default_workers(datasets, cpus, memory_mb) == expected
