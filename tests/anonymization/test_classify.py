"""Column classification rules, one case per row (pure: no database, no NLP)."""

import pytest

from anonymization.classify import classify_column
from anonymization.column_names import term_from_name
from anonymization.value_evidence import ValueEvidence


def evidence(sampled: int = 0, **matched: int) -> ValueEvidence:
    return ValueEvidence(sampled=sampled, matched=matched)


@pytest.mark.parametrize(
    ("column", "native", "values", "place", "term", "minimum"),
    [
        # the name alone: a name, a birth date, a sex
        ("prenom", "TEXT", evidence(), False, "person_name", 0.8),
        ("DDN", "TEXT", evidence(50, BIRTH_DATE=50), False, "birth_date", 0.8),
        ("sexe", "TEXT", evidence(50), False, "gender", 0.8),
        # values that prove themselves, whatever the name
        ("identifiant", "TEXT", evidence(100, CODE_PERMANENT=97), False, "code_permanent", 0.9),
        ("col_7", "TEXT", evidence(100, SIN=95), False, "sin", 0.9),
        # same shape: the name tells the code permanent from the NAM
        (
            "nam",
            "TEXT",
            evidence(100, CODE_PERMANENT=100, RAMQ_NUMBER=100),
            False,
            "ramq_number",
            0.9,
        ),
        (
            "code_permanent",
            "TEXT",
            evidence(100, CODE_PERMANENT=100, RAMQ_NUMBER=100),
            False,
            "code_permanent",
            0.9,
        ),
        # a name that says an identifier the values deny: kept, with low confidence
        ("nas", "TEXT", evidence(100), False, "sin", 0.5),
        # dates and local numbers prove nothing without a name
        ("date_absence", "DATE", evidence(100, BIRTH_DATE=100), False, None, 0.0),
        ("salaire_annuel", "INTEGER", evidence(100, FILE_NUMBER=100), False, None, 0.0),
        # a school's columns, a building's address
        ("adresse_ecole", "TEXT", evidence(20, HOME_ADDRESS=20), False, None, 0.0),
        ("adresse", "TEXT", evidence(20, HOME_ADDRESS=20), True, None, 0.0),
        # a number is not a name
        ("nom", "INTEGER", evidence(20), False, None, 0.0),
        # nine digits passing Luhn half the time: order numbers, not NAS (1 in 10 by chance)
        ("no_bon", "TEXT", evidence(30, SIN=15), False, None, 0.0),
        ("colonne_3", "TEXT", evidence(30, SIN=30), False, "sin", 0.9),
        # in a table of schools or buildings, « nom » and « matricule » are the place's…
        ("nom", "TEXT", evidence(30), True, None, 0.0),
        ("matricule", "TEXT", evidence(30), True, None, 0.0),
        # …unless the values show people
        ("responsable", "TEXT", evidence(30, PERSON=28), True, "person_name", 0.9),
        # names of the network's systems and spreadsheets
        ("DATE_NAISS", "TEXT", evidence(30), False, "birth_date", 0.8),
        ("Nom de famille", "TEXT", evidence(30), False, "person_name", 0.8),
        ("Prénom du parent", "TEXT", evidence(30), False, "person_name", 0.8),
        ("allergies", "TEXT", evidence(30), False, "health", 0.8),
        ("Employee #", "TEXT", evidence(30), False, "file_number", 0.8),
        # labels written as people write them, with « de », « d' », « l' » and « N° »
        ("Numéro de fiche", "VARCHAR(10)", evidence(20, FILE_NUMBER=20), False, "file_number", 0.8),
        ("N° fiche", "TEXT", evidence(20, FILE_NUMBER=20), False, "file_number", 0.8),
        ("Numéro d'employé", "TEXT", evidence(20), False, "file_number", 0.8),
        ("Matricule de l'employé", "TEXT", evidence(20), False, "file_number", 0.8),
        ("Nom de l'élève", "TEXT", evidence(20), False, "person_name", 0.8),
        ("Code permanent de l'élève", "TEXT", evidence(20), False, "code_permanent", 0.5),
        ("Adresse du domicile", "TEXT", evidence(20), False, "home_address", 0.5),
        ("Nom de l'école", "TEXT", evidence(20), False, None, 0.0),
        # a DataHub v2 field path (files, nested records) names its column last
        (
            "[version=2.0].[type=string].code_permanent",
            "TEXT",
            evidence(20, CODE_PERMANENT=20),
            False,
            "code_permanent",
            0.9,
        ),
        (
            "NO_ASS_MALADIE",
            "TEXT",
            evidence(30, CODE_PERMANENT=30, RAMQ_NUMBER=30),
            False,
            "ramq_number",
            0.9,
        ),
        ("medicare_number", "TEXT", evidence(30, RAMQ_NUMBER=30), False, "ramq_number", 0.9),
        ("code_maladie_chronique", "TEXT", evidence(30), False, None, 0.0),
    ],
)
def test_rules(column, native, values, place, term, minimum):
    finding = classify_column(column, native, term_from_name(column), values, place_table=place)
    assert finding.term == term
    assert finding.confidence >= minimum
    if term == "sin" and not values.matched:
        assert finding.confidence < 0.6


def test_free_text_lists_the_entities_found():
    notes = ValueEvidence(
        sampled=10, free_text=True, texts_with_pi=6, text_entities={"PERSON": 9, "PHONE_NUMBER": 2}
    )
    finding = classify_column("observations", "TEXT", term_from_name("observations"), notes)
    assert finding.term == "free_text" and finding.entities == ["PERSON", "PHONE_NUMBER"]
    clean = ValueEvidence(sampled=10, free_text=True)
    assert classify_column("description", "TEXT", None, clean).term is None
