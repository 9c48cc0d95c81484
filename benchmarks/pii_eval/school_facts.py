"""What is not personal: schools, buildings, subjects, job classes, indicators.

A school's address has the shape of a home address, many schools are named after people
(« École Marie-Victorin »), subject names are capitalised words: the hard negatives.
"""

from __future__ import annotations

import random

SCHOOL_PATRONS = (
    "Marie-Victorin", "Jean-Baptiste-Meilleur", "Louis-Joseph-Papineau", "Joseph-François-Perrault",
    "Marguerite-Bourgeoys", "Pierre-Laporte", "Henri-Bourassa", "Antoine-de-Saint-Exupéry",
    "des Patriotes", "du Boisé", "de la Rivière", "Sainte-Famille", "Saint-Luc", "des Explorateurs",
)  # fmt: skip
SCHOOL_KINDS_FR = ("École", "École primaire", "École secondaire", "Polyvalente", "Centre")
SCHOOL_KINDS_EN = ("Elementary School", "High School", "Secondary School", "Academy")
EN_PATRONS = ("Westmount", "Royal Vale", "Lakeside", "John Rennie", "Laurier", "Riverdale")
SUBJECTS_FR = (
    "Mathématique", "Français, langue d'enseignement", "Science et technologie",
    "Histoire du Québec et du Canada", "Culture et citoyenneté québécoise",
    "Éducation physique et à la santé", "Arts plastiques", "Anglais, langue seconde",
    "Géographie", "Musique", "Art dramatique", "Chimie", "Physique",
)  # fmt: skip
SUBJECTS_EN = (
    "Mathematics", "English Language Arts", "Français, langue seconde", "Physical Education",
    "History of Québec and Canada", "Science and Technology", "Visual Arts", "Ethics",
)  # fmt: skip
JOBS_FR = (
    "Enseignante", "Enseignant", "Orthopédagogue", "Psychoéducatrice", "Conseiller pédagogique",
    "Technicienne en éducation spécialisée", "Secrétaire d'école", "Concierge", "Direction d'école",
)  # fmt: skip
JOBS_EN = ("Teacher", "Special Education Technician", "Caretaker", "Principal", "Librarian")
WORK_FR = (
    "Réfection de la toiture", "Remplacement des fenêtres", "Mise aux normes de la ventilation",
    "Réparation de l'entrée électrique", "Peinture du gymnase", "Inspection des gicleurs",
)  # fmt: skip
WORK_EN = ("Roof repair", "Window replacement", "Ventilation upgrade", "Boiler inspection")


def school_name(rng: random.Random, language: str) -> str:
    """« École secondaire Marie-Victorin », "Lakeside High School"."""
    if language == "fr":
        return f"{rng.choice(SCHOOL_KINDS_FR)} {rng.choice(SCHOOL_PATRONS)}"
    return f"{rng.choice(EN_PATRONS)} {rng.choice(SCHOOL_KINDS_EN)}"


def building_code(rng: random.Random) -> str:
    """A building's inventory code, « B-751-033 »."""
    return f"B-{rng.randrange(700, 899)}-{rng.randrange(1, 99):03d}"


def school_code(rng: random.Random) -> str:
    """A school's six-digit ministry code."""
    return str(rng.randrange(700_000, 899_999))


def school_year(rng: random.Random) -> str:
    """« 2025-2026 »."""
    start = rng.randrange(2019, 2026)
    return f"{start}-{start + 1}"


def grade(rng: random.Random, language: str) -> str:
    """« Sec. 3 », « 5e année », "Grade 4"."""
    if language == "en":
        return f"Grade {rng.randrange(1, 12)}"
    return rng.choice((f"Sec. {rng.randrange(1, 6)}", f"{rng.randrange(1, 7)}e année"))


def percent(rng: random.Random) -> str:
    """« 78,4 % »."""
    return f"{rng.randrange(400, 1000) / 10:.1f} %".replace(".", ",")
