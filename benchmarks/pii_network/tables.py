"""The kinds of table of the benchmark network, as data: each column's name, SQL type, the
term a steward gives it (None: not personal) and how its values are made.

A mix as school organizations hold them: students (French and English systems), results,
attendance, staff, a legacy table whose column names say nothing, health, home addresses,
professional notes in French and English, HDAA plans, drivers, schools, buildings, work
orders and school-level indicators (not personal).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from catalog.demo import identifiers as ids
from catalog.demo.notes import professional_note
from catalog.demo.population import Student
from catalog.demo.systems import BUILDING_WORK, DIFFICULTY_CODES, SUBJECTS


@dataclass
class Person:
    """The values one row describes (drawn fresh for every row)."""

    surname: str
    given: str
    female: bool
    birth: date
    code_permanent: str
    file_number: str
    fake: Faker
    rng: random.Random


Maker = Callable[[Person], object]


@dataclass(frozen=True)
class Column:
    """One column of a table kind."""

    name: str
    sql_type: str
    label: str | None
    make: Maker


@dataclass(frozen=True)
class TableKind:
    """A kind of table, with the system (SQLite file) it lives in."""

    name: str
    system: str
    columns: tuple[Column, ...]


def _student(p: Person) -> Student:
    from catalog.demo.population import School

    school = School("X001", "École", "1 rue", "H0H 0H0", "primaire")
    return Student(
        p.file_number, p.code_permanent, p.surname, p.given, p.birth, p.female, "", "",
        f"{p.fake.first_name()} {p.surname}", ids.phone_number(p.rng),
        p.fake.free_email(), "français", school, 3,
    )  # fmt: skip


def _note(language: str) -> Maker:
    return lambda p: professional_note(_student(p), language, p.rng)


def _work_order(p: Person) -> str:
    work = p.rng.choice(BUILDING_WORK).lower()
    return (
        f"Travaux de {work} au local {p.rng.randint(100, 350)}; soumission reçue, "
        f"intervention prévue à l'été {p.rng.randint(2026, 2028)}."
    )


def _day_of(start: date, days: int) -> Maker:
    return lambda p: (start + timedelta(p.rng.randint(0, days))).isoformat()


def _one_of(*choices: str) -> Maker:
    return lambda p: p.rng.choice(choices)


def _nam(p: Person) -> str:
    return ids.health_insurance_number(p.surname, p.given, p.birth, p.female, p.rng)


def _upper_name(p: Person) -> str:
    return f"{p.surname.upper()}, {p.given.upper()}"


def _c(name: str, label: str | None, make: Maker, sql_type: str = "TEXT") -> Column:
    return Column(name, sql_type, label, make)


FILE_NUMBER = _c("no_fiche", "file_number", lambda p: p.file_number)
CODE_PERMANENT = _c("code_permanent", "code_permanent", lambda p: p.code_permanent)
SCHOOL_CODE = _c("code_ecole", None, lambda p: f"{p.rng.randint(100, 140)}")
SCHOOL_YEAR = _c(
    "annee_scolaire", None, lambda p: f"20{p.rng.randint(22, 25)}-20{p.rng.randint(23, 26)}"
)

KINDS = (
    TableKind("eleves", "sis", (
        FILE_NUMBER, CODE_PERMANENT,
        _c("nom", "person_name", lambda p: p.surname.upper()),
        _c("prenom", "person_name", lambda p: p.given),
        _c("date_naissance", "birth_date", lambda p: p.birth.isoformat()),
        _c("sexe", "gender", lambda p: "F" if p.female else "M"),
        _c("niveau", None, lambda p: p.rng.randint(1, 11), "INTEGER"),
        SCHOOL_CODE,
    )),
    TableKind("resultats", "sis", (
        CODE_PERMANENT, SCHOOL_YEAR,
        _c("matiere", None, lambda p: p.rng.choice(SUBJECTS)),
        _c("etape", None, lambda p: p.rng.randint(1, 3), "INTEGER"),
        _c("resultat", None, lambda p: p.rng.randint(35, 100), "INTEGER"),
    )),
    TableKind("absences", "sis", (
        FILE_NUMBER,
        _c("date_absence", None, _day_of(date(2025, 9, 1), 280)),
        _c("periode", None, lambda p: p.rng.randint(1, 5), "INTEGER"),
        _c("motivee", None, lambda p: p.rng.choice(["O", "N"])),
    )),
    TableKind("adresses", "sis", (
        FILE_NUMBER,
        _c("adresse", "home_address", lambda p: p.fake.street_address()),
        _c("ville", None, lambda p: p.fake.city()),
        _c("code_postal", "postal_code", lambda p: ids.postal_code(p.rng)),
        _c("telephone", "phone_number", lambda p: ids.phone_number(p.rng)),
        _c("nom_parent", "person_name", lambda p: f"{p.fake.first_name()} {p.surname}"),
        _c("courriel_parent", "email", lambda p: p.fake.free_email()),
    )),
    TableKind("notes_intervention", "sis", (
        FILE_NUMBER,
        _c("date_note", None, _day_of(date(2025, 9, 1), 280)),
        _c("intervenant", "person_name", lambda p: p.fake.name()),
        _c("note_professionnelle", "free_text", _note("fr")),
    )),
    TableKind("plans_intervention", "sis", (
        CODE_PERMANENT,
        _c("code_difficulte", "special_needs", lambda p: p.rng.choice(list(DIFFICULTY_CODES))),
        _c("date_plan", None, _day_of(date(2025, 9, 1), 280)),
        _c("statut", None, lambda p: p.rng.choice(["actif", "révisé", "fermé"])),
    )),
    TableKind("sante", "sis", (
        CODE_PERMANENT,
        _c("nam", "ramq_number", _nam),
        _c("allergie", "health", _one_of("Arachides", "Noix", "Aucune", "Lactose", "Pollen")),
        _c("medicament", "health", _one_of("EpiPen", "Ventolin", "Ritalin", "Aucun")),
    )),
    TableKind("students", "sis", (
        _c("student_id", "file_number", lambda p: p.file_number),
        _c("permanent_code", "code_permanent", lambda p: p.code_permanent),
        _c("last_name", "person_name", lambda p: p.surname),
        _c("first_name", "person_name", lambda p: p.given),
        _c("birth_date", "birth_date", lambda p: p.birth.isoformat()),
        _c("gender", "gender", lambda p: "F" if p.female else "M"),
        _c("grade", None, lambda p: p.rng.randint(1, 11), "INTEGER"),
    )),
    TableKind("student_comments", "sis", (
        _c("student_id", "file_number", lambda p: p.file_number),
        _c("term", None, lambda p: p.rng.randint(1, 3), "INTEGER"),
        _c("comments", "free_text", _note("en")),
    )),
    TableKind("employes", "admin", (
        _c("matricule", "file_number", lambda p: f"E{p.rng.randint(20000, 99999)}"),
        _c("nas", "sin", lambda p: ids.social_insurance_number(p.rng)),
        _c("nom", "person_name", lambda p: p.surname),
        _c("prenom", "person_name", lambda p: p.given),
        _c("courriel", "email", lambda p: p.fake.email()),
        _c("date_embauche", None, _day_of(date(1990, 8, 20), 12000)),
        _c("corps_emploi", None, _one_of("ENS-PRI", "ENS-SEC", "ORTHO", "TES", "CONC")),
        _c("salaire", None, lambda p: p.rng.randint(42000, 118000), "INTEGER"),
    )),
    TableKind("import_ancien_systeme", "admin", (  # a legacy export: the names say nothing
        _c("champ_01", "code_permanent", lambda p: p.code_permanent),
        _c("champ_02", "person_name", _upper_name),
        _c("champ_03", "phone_number", lambda p: ids.phone_number(p.rng)),
        _c("champ_04", "sin", lambda p: ids.social_insurance_number(p.rng)),
        _c("champ_05", None, lambda p: p.rng.choice(["A", "B", "C"])),
    )),
    TableKind("chauffeurs", "admin", (
        _c("matricule", "file_number", lambda p: f"T{p.rng.randint(1000, 9999)}"),
        _c("nom", "person_name", lambda p: p.surname),
        _c("permis_conduire", "saaq_licence", lambda p: ids.driver_licence(p.surname, p.rng)),
        _c("telephone", "phone_number", lambda p: ids.phone_number(p.rng)),
        _c("circuit", None, lambda p: f"C-{p.rng.randint(1, 80):03d}"),
    )),
    TableKind("ecoles", "admin", (
        SCHOOL_CODE,
        _c("nom_ecole", None, lambda p: f"École {p.fake.last_name()}"),
        _c("adresse", None, lambda p: p.fake.street_address()),
        _c("telephone", None, lambda p: ids.phone_number(p.rng)),
        _c("courriel", None, lambda p: f"ecole{p.rng.randint(1, 99)}@exemple.qc.ca"),
    )),
    TableKind("batiments", "admin", (
        _c("code_batiment", None, lambda p: f"B{p.rng.randint(100, 999)}"),
        _c("adresse", None, lambda p: p.fake.street_address()),
        _c("code_postal", None, lambda p: ids.postal_code(p.rng)),
        _c("annee_construction", None, lambda p: p.rng.randint(1920, 2020), "INTEGER"),
        _c("indice_vetuste", None, lambda p: round(p.rng.uniform(2, 40), 1), "REAL"),
        _c("superficie_m2", None, lambda p: p.rng.randint(800, 15000), "INTEGER"),
    )),
    TableKind("bons_travail", "admin", (
        _c("no_bon", None, lambda p: f"BT-{p.rng.randint(10000, 99999)}"),
        _c("code_batiment", None, lambda p: f"B{p.rng.randint(100, 999)}"),
        _c("description", None, _work_order),
        _c("cout", None, lambda p: round(p.rng.uniform(500, 250000), 2), "REAL"),
    )),
    TableKind("indicateurs_ecole", "admin", (
        SCHOOL_CODE, SCHOOL_YEAR,
        _c("imse", None, lambda p: round(p.rng.uniform(1, 10), 2), "REAL"),
        _c("rang_decile", None, lambda p: p.rng.randint(1, 10), "INTEGER"),
        _c("taux_diplomation", None, lambda p: round(p.rng.uniform(55, 98), 1), "REAL"),
        _c("nb_eleves", None, lambda p: p.rng.randint(80, 1800), "INTEGER"),
    )),
)  # fmt: skip
ROW_COUNTS = (25, 60, 120, 300, 800, 2500)  # tables smaller and larger than the sample


def person(fake: Faker, rng: random.Random, index: int) -> Person:
    """A student- or staff-like person with consistent identifiers."""
    female = rng.random() < 0.5
    surname = fake.last_name()
    given = fake.first_name_female() if female else fake.first_name_male()
    birth = date(1965, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
    code = ids.code_permanent(surname, given, birth, female, rng)
    return Person(surname, given, female, birth, code, f"{1_000_000 + index}", fake, rng)
