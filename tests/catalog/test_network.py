"""The demo network, ingested end to end through `cartable demo`, and its export."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from anonymization.checks import luhn_valid
from catalog.network import load_network, network_recipes
from catalog.service import Catalog

CARTABLE = Path(sys.executable).with_name("cartable")
DATAHUB = Path(sys.executable).with_name("datahub")


@pytest.mark.slow
def test_the_demo_network_is_in_the_catalogue(demo_catalog):
    url, report, _ = demo_catalog
    assert all(run["run"]["status"] == "SUCCESS" for run in report["runs"])
    assert report["ui_url"] == "http://localhost:8501"  # where the app is, said at the end
    catalog = Catalog.open(url)
    datasets = catalog.entities()
    assert report["datasets"] == len(datasets) >= 75
    assert all(d.organization and d.domain_urn for d in datasets)
    organizations = Counter(d.organization for d in datasets)
    assert set(organizations) == {
        "meq",
        "css-deux-rivieres",
        "css-hautes-terres",
        "cs-lakeshore-valley",
        "prive-saint-laurent",
    }
    domains = {d.domain_urn.rsplit(":", 1)[-1] for d in datasets}
    assert domains == {
        "reussite-educative",
        "eleves-hdaa",
        "effectifs",
        "parc-immobilier",
        "finances",
    }
    platforms = Counter(d.platform for d in datasets)
    assert platforms["sqlite"] > 50 and platforms["file"] >= 8 and platforms["excel"] >= 4
    by_name = {d.qualified_name: d for d in datasets}
    assert by_name["css-deux-rivieres.entrepot.mart_prevision_effectifs"].domain_urn.endswith(
        "effectifs"
    )
    assert by_name["css-deux-rivieres.hdaa.plans_intervention"].domain_urn.endswith("eleves-hdaa")
    legacy = catalog.entity(by_name["css-deux-rivieres.sis.ELEVE_HISTORIQUE"].urn)
    assert "PRÉNOM" in [f["fieldPath"] for f in legacy.aspects["schemaMetadata"]["fields"]]
    organizations_entities = catalog.entities("container")
    assert {o.organization for o in organizations_entities if o.subtype == "Organization"} == set(
        organizations
    )


@pytest.mark.slow
def test_every_shared_file_is_one_dataset_with_its_own_columns(demo_catalog):
    import pandas as pd

    url, _, folder = demo_catalog
    catalog = Catalog.open(url)
    files = {d.qualified_name: d for d in catalog.entities() if d.platform in ("file", "excel")}
    shared = sorted((folder / "network").glob("*/partage/*"))
    assert len(shared) == 14
    for path in shared:
        organization = path.parent.parent.name
        if path.suffix == ".xlsx":  # one dataset per sheet
            name = f"{organization}.{str(path.parent).lstrip('/')}/[{path.name}]Sheet1"
            columns = list(pd.read_excel(path).columns)
        else:
            name = f"{organization}.{str(path).lstrip('/')}"
            reader = pd.read_csv if path.suffix == ".csv" else pd.read_parquet
            columns = list(reader(path).columns)
        schema = catalog.entity(files.pop(name).urn).aspects["schemaMetadata"]
        assert [f["fieldPath"] for f in schema["fields"]] == columns, name
    # besides the drives: the demo's pseudonymized extract, catalogued where it was written
    assert [name.rsplit("/", 1)[-1] for name in files] == ["suivi-resultats-css-deux-rivieres.csv"]


@pytest.mark.slow
def test_rerunning_the_network_changes_nothing(demo_catalog):
    url, _, folder = demo_catalog
    result = subprocess.run(
        [
            str(CARTABLE),
            "--db-url",
            url,
            "ingest",
            "--network",
            str(folder / "network" / "network.yml"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    runs = report["runs"]
    assert sum(run["run"]["aspects_written"] for run in runs) == 0
    assert all(run["run"]["aspects_unchanged"] > 0 for run in runs)
    assert len(report["lineage"]) == 3  # the three school organizations' ETL folders
    assert sum(r["aspects_written"] for r in report["lineage"]) == 0
    assert all(r["aspects_unchanged"] > 0 and r["failed"] == 0 for r in report["lineage"])


@pytest.mark.slow
def test_the_export_passes_datahubs_own_check(demo_catalog, tmp_path):
    url, _, _ = demo_catalog
    target = tmp_path / "catalog.json"
    exported = subprocess.run(
        [str(CARTABLE), "--db-url", url, "export", "--format", "datahub-json", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert exported.returncode == 0, exported.stderr
    env = dict(os.environ, DATAHUB_TELEMETRY_ENABLED="false")
    check = subprocess.run(
        [str(DATAHUB), "check", "metadata-file", str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    assert "all valid" in check.stdout


def test_demo_identifiers_have_valid_shapes(demo_network):
    import re
    import sqlite3

    with sqlite3.connect(demo_network.parent / "css-deux-rivieres" / "sis.db") as conn:
        rows = conn.execute("SELECT code_permanent, date_naissance, sexe FROM eleves").fetchall()
    for code, birth, sex in rows:
        assert re.fullmatch(r"[A-Z]{4}\d{8}", code)
        year, month, day = birth.split("-")
        expected_month = int(month) + (50 if sex == "F" else 0)
        assert code[4:10] == f"{day}{expected_month:02d}{year[2:]}"
    with sqlite3.connect(demo_network.parent / "css-deux-rivieres" / "rh.db") as conn:
        sins = [row[0].replace(" ", "") for row in conn.execute("SELECT nas FROM employes")]
    assert sins and all(luhn_valid(s) and s[0] in "23" for s in sins)


def test_the_network_attaches_every_recipe_to_its_organization(demo_network):
    network = load_network(demo_network)
    recipes = network_recipes(network, db_url="sqlite:///unused.db")
    assert len(recipes) == sum(len(o.recipes) for o in network.organizations)
    for org_code, recipe in recipes:
        assert recipe["source"]["config"]["platform_instance"] == org_code
        assert recipe["pipeline_name"].startswith(org_code + ".")
        assert [t["type"] for t in recipe["transformers"]][:2] == [
            "cartable_platform_instance",
            "cartable_domain",
        ]


def test_the_demo_is_reproducible(tmp_path):
    import hashlib
    import sqlite3

    from catalog.demo.build import build_demo

    def digest(folder: Path) -> str:
        with sqlite3.connect(folder / "css-hautes-terres" / "sis.db") as conn:
            rows = conn.execute("SELECT * FROM eleves ORDER BY no_fiche").fetchall()
        return hashlib.sha256(repr(rows).encode()).hexdigest()

    build_demo(tmp_path / "a", seed=7)
    build_demo(tmp_path / "b", seed=7)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


@pytest.mark.slow
def test_the_fast_encoder_writes_what_datahub_writes(demo_catalog):
    from catalog.aspect_json import aspect_to_json
    from catalog.json_text import canonical_json, sorted_json
    from catalog.records import wrappers_from_rows

    url, _, _ = demo_catalog
    catalog = Catalog.open(url)
    wrappers = list(wrappers_from_rows(catalog.store.iter_latest()))
    assert len({w.aspectName for w in wrappers}) >= 15
    for wrapper in wrappers:
        assert aspect_to_json(wrapper.aspect) == wrapper.aspect.to_obj(), wrapper.aspectName
        as_stored = canonical_json(wrapper.aspect.to_obj())
        assert sorted_json(aspect_to_json(wrapper.aspect)) == as_stored, wrapper.aspectName
