"""What a column's name says it holds, from the vocabulary in ``config/column_names.yml``."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import yaml

from catalog.field_terms import column_name

NOT_PERSONAL = "not_personal"
PLACE_TABLES = "place_tables"
CONTACT_TERMS = frozenset({"home_address", "postal_code", "phone_number", "email"})
# French words that join the parts of a label (« Numéro de fiche », « Nom de l'élève »):
# a name is matched with and without them
CONNECTORS = frozenset({"de", "du", "des", "d", "l", "la", "le", "les"})
_NUMBER_SIGN = re.compile(r"(?i)(?<![a-z])n\s*°")  # « N° fiche »: ° has no letter form


def fold_name(name: str) -> str:
    """``Date de naissance`` → ``date_de_naissance``; ``PRÉNOM`` → ``prenom``; a « # »
    is a number (``Employee #`` → ``employee_no``).

    >>> fold_name("NO_FICHE"), fold_name("Date de naissance"), fold_name("TÉLÉPHONE")
    ('no_fiche', 'date_de_naissance', 'telephone')
    >>> fold_name("Employee #"), fold_name("# fiche"), fold_name("N° fiche")
    ('employee_no', 'no_fiche', 'no_fiche')
    """
    decomposed = unicodedata.normalize("NFKD", _NUMBER_SIGN.sub(" no ", name.replace("#", " no ")))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


@cache
def vocabulary() -> dict[str, list[re.Pattern[str]]]:
    """Term id (or ``not_personal``) → its compiled patterns, in file order."""
    text = (resources.files("anonymization") / "config" / "column_names.yml").read_text("utf-8")
    return {
        term: [re.compile(p) for p in patterns] for term, patterns in yaml.safe_load(text).items()
    }


def term_from_name(name: str) -> str | None:
    """The term a column name points to, ``not_personal``, or None when it says nothing.

    >>> term_from_name("code_permanent"), term_from_name("adresse_ecole"), term_from_name("x")
    ('code_permanent', 'not_personal', None)
    >>> term_from_name("Numéro de fiche"), term_from_name("Nom de l'élève")
    ('file_number', 'person_name')
    """
    folded = fold_name(column_of(name))
    forms = {folded, "_".join(w for w in folded.split("_") if w not in CONNECTORS)}
    for term, patterns in vocabulary().items():
        if term != PLACE_TABLES and any(p.search(form) for p in patterns for form in forms):
            return term
    return None


def column_of(field_path: str) -> str:
    """A column's own name: the last part of a DataHub v2 field path, as DataHub reads it.

    >>> column_of("[version=2.0].[type=string].code_permanent"), column_of("nom")
    ('code_permanent', 'nom')
    """
    return column_name(field_path).rsplit(".", 1)[-1]


def about_places(table: str) -> bool:
    """Whether a table describes schools, buildings or suppliers rather than people.

    >>> about_places("batiments"), about_places("eleves")
    (True, False)
    """
    folded = fold_name(table)
    return any(p.search(folded) for p in vocabulary()[PLACE_TABLES])
