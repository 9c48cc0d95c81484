"""Synthetic students and staff of one school organization (Faker fr_CA / en_CA, seeded)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from catalog.demo import identifiers as ids


@dataclass(frozen=True)
class School:
    """A school of the organization: its address is not personal information."""

    code: str
    name: str
    address: str
    postal_code: str
    level: str  # primaire | secondaire


@dataclass(frozen=True)
class Student:
    """A student with the identifiers a student information system holds."""

    file_number: str
    code_permanent: str
    surname: str
    given_name: str
    birth: date
    female: bool
    address: str
    postal_code: str
    parent_name: str
    parent_phone: str
    parent_email: str
    mother_tongue: str
    school: School
    grade: int


@dataclass(frozen=True)
class Employee:
    """A staff member with what HR and payroll hold."""

    number: str
    surname: str
    given_name: str
    sin: str
    birth: date
    hired: date
    job_class: str
    school: School
    salary: int
    address: str
    postal_code: str
    email: str


JOB_CLASSES = {
    "ENS-PRI": "Enseignant·e au primaire",
    "ENS-SEC": "Enseignant·e au secondaire",
    "ORTHO": "Orthopédagogue",
    "PSY": "Psychologue",
    "TES": "Technicien·ne en éducation spécialisée",
    "DIR": "Direction d'établissement",
    "CONC": "Concierge",
    "SEC": "Secrétaire d'école",
}


def _faker(language: str, seed: int) -> Faker:
    fake = Faker("fr_CA" if language == "fr" else "en_CA")
    fake.seed_instance(seed)
    return fake


def make_schools(org_code: str, language: str, rng: random.Random, count: int) -> list[School]:
    """Primary and secondary schools with public addresses."""
    fake = _faker(language, rng.randint(0, 10**6))
    initials = "".join(part[0] for part in org_code.split("-")[1:]).upper()
    schools = []
    for index in range(count):
        level = "primaire" if index < count * 2 // 3 else "secondaire"
        prefix = ("École " if language == "fr" else "") + fake.last_name()
        suffix = "" if language == "fr" else (" Elementary" if level == "primaire" else " High")
        schools.append(
            School(
                f"{initials}{index + 1:03d}",
                prefix + suffix,
                fake.street_address(),
                ids.postal_code(rng),
                level,
            )
        )
    return schools


def make_students(
    schools: list[School],
    language: str,
    rng: random.Random,
    count: int,
    school_year_end: int = 2026,
) -> list[Student]:
    """Students aged 5 to 17, each with a valid code permanent."""
    fake = _faker(language, rng.randint(0, 10**6))
    students = []
    for index in range(count):
        female = rng.random() < 0.49
        given = fake.first_name_female() if female else fake.first_name_male()
        surname = fake.last_name()
        grade = rng.randint(1, 11)
        birth = date(school_year_end - 6 - grade, 1, 1) + timedelta(days=rng.randint(0, 364))
        level = "primaire" if grade <= 6 else "secondaire"
        school = rng.choice([s for s in schools if s.level == level] or schools)
        students.append(
            Student(
                file_number=f"{100000 + index}",
                code_permanent=ids.code_permanent(surname, given, birth, female, rng),
                surname=surname,
                given_name=given,
                birth=birth,
                female=female,
                address=fake.street_address(),
                postal_code=ids.postal_code(rng),
                parent_name=f"{fake.first_name()} {surname}",
                parent_phone=ids.phone_number(rng),
                parent_email=fake.free_email(),
                mother_tongue=rng.choice(["français", "anglais", "arabe", "espagnol", "créole"]),
                school=school,
                grade=grade,
            )
        )
    return students


def make_staff(
    schools: list[School], language: str, rng: random.Random, count: int
) -> list[Employee]:
    """Staff with Luhn-valid social insurance numbers."""
    fake = _faker(language, rng.randint(0, 10**6))
    staff = []
    for index in range(count):
        job = rng.choice(list(JOB_CLASSES))
        birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 40))
        hired = max(birth + timedelta(days=365 * 22), date(1985, 8, 20)) + timedelta(
            days=rng.randint(0, 365 * 15)
        )
        surname, given = fake.last_name(), fake.first_name()
        staff.append(
            Employee(
                number=f"E{20000 + index}",
                surname=surname,
                given_name=given,
                sin=ids.social_insurance_number(rng),
                birth=birth,
                hired=min(hired, date(2026, 8, 20)),
                job_class=job,
                school=rng.choice(schools),
                salary=rng.randint(42000, 118000),
                address=fake.street_address(),
                postal_code=ids.postal_code(rng),
                email=f"{_ascii(given)}.{_ascii(surname)}@exemple.qc.ca".lower(),
            )
        )
    return staff


def _ascii(text: str) -> str:
    return ids._letters(text).lower()
