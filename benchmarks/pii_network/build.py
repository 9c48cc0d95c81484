"""Write the benchmark network: SQLite files per organization and system, the network file,
and the truth (each column's term) the quality figures are computed against."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import yaml
from faker import Faker

from pii_network.tables import KINDS, ROW_COUNTS, TableKind, person

TABLES_PER_ORGANIZATION = 10
DOMAINS = {"sis": "reussite", "admin": "administration"}

Truth = dict[str, dict[str, str | None]]  # dataset URN -> column -> term (None: not personal)


def _write_table(
    conn: sqlite3.Connection, name: str, kind: TableKind, rows: int, fake: Faker, rng: random.Random
) -> None:
    columns = ", ".join(f"{c.name} {c.sql_type}" for c in kind.columns)
    conn.execute(f"CREATE TABLE {name} ({columns})")
    values = []
    for index in range(rows):
        someone = person(fake, rng, index)
        values.append(tuple(c.make(someone) for c in kind.columns))
    marks = ", ".join("?" * len(kind.columns))
    conn.executemany(f"INSERT INTO {name} VALUES ({marks})", values)  # noqa: S608 (names: ours)


def build_network(folder: Path, tables: int = 200, seed: int = 2026) -> tuple[Path, Truth]:
    """The network file of ``tables`` generated tables (Faker fr_CA, seeded) and its truth."""
    rng = random.Random(seed)
    fake = Faker("fr_CA")
    fake.seed_instance(seed)
    truth: Truth = {}
    organizations = []
    for org_index in range((tables + TABLES_PER_ORGANIZATION - 1) // TABLES_PER_ORGANIZATION):
        code = f"css-banc-{org_index + 1:02d}"
        first = org_index * TABLES_PER_ORGANIZATION
        kinds = [KINDS[i % len(KINDS)] for i in range(first, min(tables, first + 10))]
        systems = sorted({kind.system for kind in kinds})
        recipes = []
        for system in systems:
            path = folder / code / f"{system}.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            with sqlite3.connect(path) as conn:
                for kind in (k for k in kinds if k.system == system):
                    _write_table(conn, kind.name, kind, rng.choice(ROW_COUNTS), fake, rng)
                    name = f"{code}.{system}.{kind.name}"
                    truth[f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{name},PROD)"] = {
                        c.name: c.label for c in kind.columns
                    }
            recipes.append(
                {
                    "name": system,
                    "domain": DOMAINS[system],
                    "source": {"type": "sqlite", "config": {"path": str(path)}},
                }
            )
        organizations.append(
            {
                "code": code,
                "name": f"Centre de services scolaire banc d'essai {org_index + 1}",
                "kind": "css",
                "language": "fr",
                "region": "Montréal",
                "recipes": recipes,
            }
        )
    network = {
        "name": "Réseau du banc d'essai",
        "domains": [
            {"id": "reussite", "name": {"fr": "Réussite éducative", "en": "Student success"}},
            {"id": "administration", "name": {"fr": "Administration", "en": "Administration"}},
        ],
        "organizations": organizations,
    }
    network_file = folder / "network.yml"
    network_file.write_text(yaml.safe_dump(network, allow_unicode=True), encoding="utf-8")
    return network_file, truth
