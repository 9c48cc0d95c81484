"""Build the demo network: databases, files, ETL marts and the network file that lists them.

Every value is synthetic (Faker fr_CA / en_CA and seeded generators): the same seed builds
the same network, byte for byte in the databases' content.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import yaml

from catalog.demo import DEFAULT_SEED
from catalog.demo.ministry import build_ministry
from catalog.demo.population import make_schools, make_staff, make_students
from catalog.demo.shared_drive import build_private_school_drive, build_shared_drive
from catalog.demo.systems import (
    build_buildings_system,
    build_finance_system,
    build_hdaa_system,
    build_hr_system,
    build_student_system,
)
from catalog.demo.warehouse import build_warehouse

SCHOOL_ORGS = (
    # code, name, kind, language, region, students, staff, schools
    (
        "css-deux-rivieres",
        "Centre de services scolaire des Deux-Rivières (démo)",
        "css",
        "fr",
        "15 Laurentides",
        420,
        120,
        9,
    ),
    (
        "css-hautes-terres",
        "Centre de services scolaire des Hautes-Terres (démo)",
        "css",
        "fr",
        "02 Saguenay–Lac-Saint-Jean",
        360,
        100,
        7,
    ),
    (
        "cs-lakeshore-valley",
        "Lakeshore Valley School Board (demo)",
        "cs",
        "en",
        "06 Montréal",
        300,
        90,
        6,
    ),
)
DOMAINS = [
    {"id": "reussite-educative", "name": {"fr": "Réussite éducative", "en": "Educational success"}},
    {"id": "eleves-hdaa", "name": {"fr": "Élèves HDAA", "en": "Students with special needs"}},
    {"id": "effectifs", "name": {"fr": "Effectifs et main-d'œuvre", "en": "Workforce"}},
    {"id": "parc-immobilier", "name": {"fr": "Parc immobilier", "en": "School buildings"}},
    {"id": "finances", "name": {"fr": "Finances", "en": "Finance"}},
]
WAREHOUSE_DOMAIN_RULES = {
    r".*\.mart_prevision_effectifs,.*": "effectifs",
    r".*\.mart_besoins_entretien,.*": "parc-immobilier",
}


def _sqlite(name: str, org: str, db: str, domain: str, **extra: Any) -> dict[str, Any]:
    spec = {
        "name": name,
        "domain": domain,
        "source": {"type": "sqlite", "config": {"path": f"${{NETWORK_DIR}}/{org}/{db}.db"}},
    }
    spec.update(extra)
    return spec


def _shared_drive(org: str, domain: str) -> list[dict[str, Any]]:
    folder = f"${{NETWORK_DIR}}/{org}/partage"
    return [
        {
            "name": "partage-fichiers",
            "domain": domain,
            "source": {
                "type": "s3",
                "config": {
                    "platform": "file",
                    "path_specs": [
                        {"include": f"{folder}/*.csv"},
                        {"include": f"{folder}/*.parquet"},
                    ],
                },
            },
        },
        {
            "name": "partage-excel",
            "domain": domain,
            "source": {"type": "cartable-excel", "config": {"path_list": [f"{folder}/*.xlsx"]}},
        },
    ]


def build_demo(target: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the demo network under ``target``; return the path of its network file."""
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    organizations: list[dict[str, Any]] = []
    populations = {}
    all_hdaa: dict[str, str] = {}
    for code, name, kind, language, region, n_students, n_staff, n_schools in SCHOOL_ORGS:
        folder = target / code
        folder.mkdir(exist_ok=True)
        schools = make_schools(code, language, rng, n_schools)
        students = make_students(schools, language, rng, n_students)
        staff = make_staff(schools, language, rng, n_staff)
        build_student_system(folder / "sis.db", schools, students, rng)
        build_hdaa_system(folder / "hdaa.db", students, staff, language, rng)
        build_hr_system(folder / "rh.db", staff, rng)
        build_buildings_system(folder / "immeubles.db", schools, rng)
        build_finance_system(folder / "finances.db", schools, rng)
        build_warehouse(folder)
        hdaa = _hdaa_codes(folder / "hdaa.db")
        all_hdaa.update(hdaa)
        build_shared_drive(folder / "partage", schools, students, staff, hdaa, rng)
        populations[code] = (schools, students)
        organizations.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "language": language,
                "region": region,
                "recipes": [
                    _sqlite("sis", code, "sis", "reussite-educative"),
                    _sqlite("hdaa", code, "hdaa", "eleves-hdaa"),
                    _sqlite("rh", code, "rh", "effectifs"),
                    _sqlite("immeubles", code, "immeubles", "parc-immobilier"),
                    _sqlite("finances", code, "finances", "finances"),
                    _sqlite(
                        "entrepot",
                        code,
                        "entrepot",
                        "reussite-educative",
                        domain_rules=WAREHOUSE_DOMAIN_RULES,
                    ),
                    *_shared_drive(code, "reussite-educative"),
                ],
                "lineage": [
                    {
                        "path": f"${{NETWORK_DIR}}/{code}/etl",
                        "dialect": "sqlite",
                        "default_db": "entrepot",
                    }
                ],
            }
        )
    ministry = target / "meq"
    ministry.mkdir(exist_ok=True)
    build_ministry(ministry, populations, all_hdaa, rng)
    organizations.insert(
        0,
        {
            "code": "meq",
            "name": "Ministère de l'Éducation (démo)",
            "kind": "ministere",
            "language": "fr",
            "region": "03 Capitale-Nationale",
            "recipes": [
                _sqlite("declarations", "meq", "declarations", "reussite-educative"),
                _sqlite("indicateurs", "meq", "indicateurs", "reussite-educative"),
            ],
        },
    )
    private = target / "prive-saint-laurent"
    schools = make_schools("prive-saint-laurent", "fr", rng, 1)
    build_private_school_drive(private / "partage", make_students(schools, "fr", rng, 80), rng)
    organizations.append(
        {
            "code": "prive-saint-laurent",
            "name": "Collège Saint-Laurent-des-Prés (démo)",
            "kind": "prive",
            "language": "fr",
            "region": "13 Laval",
            "recipes": _shared_drive("prive-saint-laurent", "reussite-educative"),
        }
    )
    network = {
        "name": "Réseau de démonstration Cartable",
        "domains": DOMAINS,
        "organizations": organizations,
    }
    path = target / "network.yml"
    path.write_text(yaml.safe_dump(network, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _hdaa_codes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(
            conn.execute(
                "SELECT no_fiche, MAX(code_difficulte) FROM plans_intervention GROUP BY no_fiche"
            )
        )
