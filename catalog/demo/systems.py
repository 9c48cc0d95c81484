"""The SQLite databases of a school organization: students, HDAA, HR, buildings, finance."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from catalog.demo.notes import professional_note
from catalog.demo.population import JOB_CLASSES, Employee, School, Student

SUBJECTS = (
    "Français",
    "Mathématique",
    "Anglais",
    "Science et technologie",
    "Univers social",
    "Éducation physique",
    "Arts plastiques",
)
DIFFICULTY_CODES = {
    "33": "Déficience motrice légère ou organique",
    "34": "Déficience langagière",
    "50": "Trouble du spectre de l'autisme",
    "53": "Trouble relevant de la psychopathologie",
    "99": "Élève à risque (difficultés d'apprentissage)",
}
BUILDING_WORK = (
    "Toiture",
    "Fenestration",
    "Ventilation",
    "Chauffage",
    "Maçonnerie",
    "Plomberie",
    "Électricité",
)


def write_tables(path: Path, ddl: str, rows: dict[str, Iterable[Sequence[object]]]) -> None:
    """Create a SQLite file from DDL and insert rows per table (parameterised)."""
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(ddl)
        for table, table_rows in rows.items():
            materialised = list(table_rows)
            if materialised:
                marks = ",".join("?" * len(materialised[0]))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", materialised)  # noqa: S608
    # table names above come from this module's DDL, never from input


SIS_DDL = """
CREATE TABLE ecoles (code_ecole TEXT PRIMARY KEY, nom_ecole TEXT, adresse_ecole TEXT,
    code_postal_ecole TEXT, ordre_enseignement TEXT);
CREATE TABLE eleves (no_fiche TEXT PRIMARY KEY, code_permanent TEXT NOT NULL, nom TEXT,
    prenom TEXT, date_naissance DATE, sexe TEXT, adresse TEXT, code_postal TEXT,
    nom_parent TEXT, telephone_parent TEXT, courriel_parent TEXT, langue_maternelle TEXT,
    code_ecole TEXT REFERENCES ecoles(code_ecole));
CREATE TABLE inscriptions (no_fiche TEXT, annee_scolaire TEXT, code_ecole TEXT, niveau INTEGER,
    groupe TEXT, PRIMARY KEY (no_fiche, annee_scolaire));
CREATE TABLE resultats (no_fiche TEXT, annee_scolaire TEXT, etape INTEGER, matiere TEXT,
    note REAL);
CREATE TABLE presences (no_fiche TEXT, date_absence DATE, periode INTEGER, motif TEXT);
CREATE TABLE "ELEVE_HISTORIQUE" ("NO_FICHE" TEXT, "CODE_PERMANENT" TEXT, "NOM" TEXT,
    "PRÉNOM" TEXT, "DATE_NAISSANCE" TEXT, "ADRESSE" TEXT, "CODE_POSTAL" TEXT,
    "TÉLÉPHONE" TEXT, "ÉCOLE_ORIGINE" TEXT);
CREATE VIEW v_eleves_actifs AS
    SELECT e.no_fiche, e.code_permanent, e.nom, e.prenom, e.date_naissance, i.niveau,
           i.code_ecole
    FROM eleves e JOIN inscriptions i ON i.no_fiche = e.no_fiche
    WHERE i.annee_scolaire = '2025-2026';
"""


def build_student_system(
    path: Path, schools: list[School], students: list[Student], rng: random.Random
) -> None:
    """sis.db: schools, students, enrolments, results, attendance and a legacy table."""
    results, absences = [], []
    for s in students:
        for stage in (1, 2):
            for subject in SUBJECTS[:5]:
                mark = max(20.0, min(100.0, rng.gauss(74 - (8 if s.grade > 8 else 0), 12)))
                results.append((s.file_number, "2025-2026", stage, subject, round(mark, 1)))
        for _ in range(rng.randint(0, 6)):
            absences.append(
                (
                    s.file_number,
                    f"2025-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}",
                    rng.randint(1, 5),
                    rng.choice(["maladie", "non motivée", "rendez-vous"]),
                )
            )
    legacy = [s for s in students if rng.random() < 0.3]
    write_tables(
        path,
        SIS_DDL,
        {
            "ecoles": [(c.code, c.name, c.address, c.postal_code, c.level) for c in schools],
            "eleves": [
                (
                    s.file_number,
                    s.code_permanent,
                    s.surname,
                    s.given_name,
                    s.birth.isoformat(),
                    "F" if s.female else "M",
                    s.address,
                    s.postal_code,
                    s.parent_name,
                    s.parent_phone,
                    s.parent_email,
                    s.mother_tongue,
                    s.school.code,
                )
                for s in students
            ],
            "inscriptions": [
                (
                    s.file_number,
                    "2025-2026",
                    s.school.code,
                    s.grade,
                    f"{s.grade:02d}{rng.choice('ABC')}",
                )
                for s in students
            ],
            "resultats": results,
            "presences": absences,
            "ELEVE_HISTORIQUE": [
                (
                    s.file_number,
                    s.code_permanent,
                    s.surname.upper(),
                    s.given_name.upper(),
                    s.birth.strftime("%d/%m/%Y"),
                    s.address.upper(),
                    s.postal_code,
                    s.parent_phone,
                    s.school.name,
                )
                for s in legacy
            ],
        },
    )


HDAA_DDL = """
CREATE TABLE codes_difficulte (code TEXT PRIMARY KEY, libelle TEXT);
CREATE TABLE plans_intervention (id_plan INTEGER PRIMARY KEY, no_fiche TEXT, date_plan DATE,
    code_difficulte TEXT REFERENCES codes_difficulte(code), intervenant TEXT,
    note_professionnelle TEXT);
"""


def build_hdaa_system(
    path: Path, students: list[Student], staff: list[Employee], language: str, rng: random.Random
) -> None:
    """hdaa.db: intervention plans with free-text professional notes."""
    professionals = [e for e in staff if e.job_class in ("ORTHO", "PSY", "TES")] or staff
    plans = []
    for index, student in enumerate(s for s in students if rng.random() < 0.18):
        author = rng.choice(professionals)
        plans.append(
            (
                index + 1,
                student.file_number,
                f"2025-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(list(DIFFICULTY_CODES)),
                f"{author.given_name} {author.surname}",
                professional_note(student, language, rng),
            )
        )
    write_tables(
        path,
        HDAA_DDL,
        {"codes_difficulte": list(DIFFICULTY_CODES.items()), "plans_intervention": plans},
    )


HR_DDL = """
CREATE TABLE corps_emploi (code_corps TEXT PRIMARY KEY, libelle TEXT);
CREATE TABLE employes (matricule TEXT PRIMARY KEY, nom TEXT, prenom TEXT, nas TEXT,
    date_naissance DATE, date_embauche DATE, code_corps TEXT REFERENCES corps_emploi(code_corps),
    code_ecole TEXT, salaire_annuel INTEGER, adresse TEXT, code_postal TEXT, courriel TEXT);
CREATE TABLE departs (matricule TEXT, date_depart DATE, motif TEXT);
"""


def build_hr_system(path: Path, staff: list[Employee], rng: random.Random) -> None:
    """rh.db: staff with NAS, job classes, hires and departures."""
    departures = [
        (
            e.number,
            f"2026-06-{rng.randint(1, 30):02d}",
            rng.choice(["retraite", "démission", "fin de contrat"]),
        )
        for e in staff
        if rng.random() < 0.08
    ]
    write_tables(
        path,
        HR_DDL,
        {
            "corps_emploi": list(JOB_CLASSES.items()),
            "employes": [
                (
                    e.number,
                    e.surname,
                    e.given_name,
                    e.sin,
                    e.birth.isoformat(),
                    e.hired.isoformat(),
                    e.job_class,
                    e.school.code,
                    e.salary,
                    e.address,
                    e.postal_code,
                    e.email,
                )
                for e in staff
            ],
            "departs": departures,
        },
    )


BUILDINGS_DDL = """
CREATE TABLE batiments (code_batiment TEXT PRIMARY KEY, nom_batiment TEXT, adresse TEXT,
    code_postal TEXT, annee_construction INTEGER, superficie_m2 INTEGER,
    indice_vetuste REAL, capacite_eleves INTEGER);
CREATE TABLE bons_travail (no_bon INTEGER PRIMARY KEY, code_batiment TEXT, date_ouverture DATE,
    categorie TEXT, cout_estime REAL, statut TEXT, description TEXT);
"""


def build_buildings_system(path: Path, schools: list[School], rng: random.Random) -> None:
    """immeubles.db: buildings with their condition index and maintenance work orders."""
    buildings = [
        (
            f"B{s.code}",
            s.name,
            s.address,
            s.postal_code,
            rng.randint(1950, 2015),
            rng.randint(2500, 14000),
            round(rng.uniform(5, 45), 1),
            rng.randint(250, 1200),
        )
        for s in schools
    ]
    orders = [
        (
            i + 1,
            rng.choice(buildings)[0],
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            (work := rng.choice(BUILDING_WORK)),
            round(rng.uniform(2000, 450000), 2),
            rng.choice(["ouvert", "planifié", "terminé"]),
            f"{work} : travaux requis",
        )
        for i in range(len(buildings) * 6)
    ]
    write_tables(path, BUILDINGS_DDL, {"batiments": buildings, "bons_travail": orders})


FINANCE_DDL = """
CREATE TABLE budgets (annee_financiere TEXT, code_ecole TEXT, poste TEXT, montant REAL);
CREATE TABLE depenses (no_depense INTEGER PRIMARY KEY, date_depense DATE, code_ecole TEXT,
    poste TEXT, montant REAL, fournisseur TEXT);
"""
POSTS = ("Services éducatifs", "Entretien", "Transport", "Technologies", "Administration")


def build_finance_system(path: Path, schools: list[School], rng: random.Random) -> None:
    """finances.db: budgets and spending by school."""
    budgets = [
        ("2025-2026", s.code, p, round(rng.uniform(5e4, 2e6), 2)) for s in schools for p in POSTS
    ]
    spending = [
        (
            i + 1,
            f"2025-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(schools).code,
            rng.choice(POSTS),
            round(rng.uniform(100, 90000), 2),
            rng.choice(["Fournitures Laurentiennes inc.", "Groupe Bâtiment Nord", "Info-Tech QC"]),
        )
        for i in range(len(schools) * 25)
    ]
    write_tables(path, FINANCE_DDL, {"budgets": budgets, "depenses": spending})
