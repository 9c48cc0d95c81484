"""Files on an organization's shared drive: CSV, Excel and Parquet, as staff keep them."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from catalog.demo.population import Employee, School, Student


def build_shared_drive(
    folder: Path,
    schools: list[School],
    students: list[Student],
    staff: list[Employee],
    hdaa_codes: dict[str, str],
    rng: random.Random,
) -> None:
    """Weekly absence follow-up (CSV), HDAA list (Excel), rooms (CSV), replacements (Parquet)."""
    folder.mkdir(parents=True, exist_ok=True)
    absences = [
        {
            "no_fiche": s.file_number,
            "nom": s.surname,
            "prenom": s.given_name,
            "semaine": f"2025-W{rng.randint(36, 50)}",
            "nb_absences": rng.randint(1, 5),
        }
        for s in students
        if rng.random() < 0.25
    ]
    pd.DataFrame(absences).to_csv(folder / "suivi_absences_hebdo.csv", index=False)
    listed = [
        {
            "Code permanent": s.code_permanent,
            "Nom": s.surname,
            "Prénom": s.given_name,
            "Code difficulté": hdaa_codes[s.file_number],
            "École": s.school.name,
        }
        for s in students
        if s.file_number in hdaa_codes
    ]
    pd.DataFrame(listed).to_excel(folder / "liste_eleves_plan_intervention.xlsx", index=False)
    rooms = [
        {
            "code_batiment": f"B{school.code}",
            "local": f"{floor}{room:02d}",
            "superficie_m2": rng.randint(20, 120),
            "usage": rng.choice(["classe", "labo", "gymnase"]),
        }
        for school in schools
        for floor in (1, 2)
        for room in range(1, 6)
    ]
    pd.DataFrame(rooms).to_csv(folder / "inventaire_locaux.csv", index=False)
    replacements = [
        {
            "matricule": e.number,
            "date_remplacement": f"2025-11-{rng.randint(1, 28):02d}",
            "code_ecole": e.school.code,
            "heures": rng.randint(1, 8),
        }
        for e in staff
        if rng.random() < 0.3
    ]
    pd.DataFrame(replacements).to_parquet(folder / "remplacements_2025.parquet", index=False)


def build_private_school_drive(folder: Path, students: list[Student], rng: random.Random) -> None:
    """A private school keeps its enrolment and report cards as spreadsheets."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        [
            {
                "Code permanent": s.code_permanent,
                "Nom": s.surname.upper(),
                "Prénom": s.given_name.upper(),
                "Date de naissance": s.birth.isoformat(),
                "Niveau": s.grade,
                "Courriel parent": s.parent_email,
            }
            for s in students
        ]
    ).to_excel(folder / "inscriptions_2025.xlsx", index=False)
    pd.DataFrame(
        [
            {
                "code_permanent": s.code_permanent,
                "matiere": subject,
                "note": round(max(30.0, min(100.0, rng.gauss(78, 10))), 1),
            }
            for s in students
            for subject in ("Français", "Mathématique", "Anglais")
        ]
    ).to_csv(folder / "resultats_bulletin.csv", index=False)
