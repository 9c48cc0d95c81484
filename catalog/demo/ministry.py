"""The ministry's databases: student declarations of every organization, school indicators."""

from __future__ import annotations

import random
from pathlib import Path

from catalog.demo.population import School, Student
from catalog.demo.systems import write_tables

DECLARATIONS_DDL = """
CREATE TABLE declarations_effectif (code_permanent TEXT, code_organisme TEXT, code_ecole TEXT,
    annee_scolaire TEXT, niveau INTEGER, date_naissance DATE, sexe TEXT, langue_maternelle TEXT,
    code_difficulte TEXT);
"""
INDICATORS_DDL = """
CREATE TABLE indicateurs_ecoles (code_ecole TEXT PRIMARY KEY, nom_ecole TEXT,
    code_organisme TEXT, imse REAL, rang_decile INTEGER, taux_diplomation REAL,
    nb_eleves INTEGER);
"""


def build_ministry(
    folder: Path,
    networks: dict[str, tuple[list[School], list[Student]]],
    hdaa_codes: dict[str, str],
    rng: random.Random,
) -> None:
    """declarations.db (per student, personal) and indicateurs.db (per school, not personal)."""
    declarations, indicators = [], []
    for org_code, (schools, students) in networks.items():
        for s in students:
            declarations.append(
                (
                    s.code_permanent,
                    org_code,
                    s.school.code,
                    "2025-2026",
                    s.grade,
                    s.birth.isoformat(),
                    "F" if s.female else "M",
                    s.mother_tongue,
                    hdaa_codes.get(s.file_number),
                )
            )
        for school in schools:
            enrolled = sum(1 for s in students if s.school == school)
            indicators.append(
                (
                    school.code,
                    school.name,
                    org_code,
                    round(rng.uniform(2, 28), 1),
                    rng.randint(1, 10),
                    round(rng.uniform(55, 95), 1),
                    enrolled,
                )
            )
    write_tables(
        folder / "declarations.db", DECLARATIONS_DDL, {"declarations_effectif": declarations}
    )
    write_tables(folder / "indicateurs.db", INDICATORS_DDL, {"indicateurs_ecoles": indicators})
