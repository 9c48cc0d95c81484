"""The ``cartable-excel`` source inside a real DataHub pipeline: header rows in French."""

import random

import pytest
import yaml
from faker import Faker
from openpyxl import Workbook

from catalog.demo.identifiers import code_permanent
from catalog.ingest import ingest_recipe_file
from catalog.service import Catalog
from catalog.sources.excel import is_label

HEADER = ["code_permanent", "Nom", "Prénom", "École"]


def students(count: int = 4) -> list[list[str]]:
    """Synthetic rows of an English school board (Faker en_CA, fixed seed): plain English
    names score as header labels in DataHub's ASCII pattern."""
    fake, rng = Faker("en_CA"), random.Random(4)
    fake.seed_instance(4)
    rows = []
    while len(rows) < count:
        surname, given = fake.last_name(), fake.first_name()
        if not (surname + given).isascii() or not (surname + given).isalpha():  # O'Neil, Zoë
            continue
        birth = fake.date_of_birth(minimum_age=6, maximum_age=17)
        code = code_permanent(surname, given, birth, rng.random() < 0.5, rng)
        rows.append([code, surname, given, f"{fake.last_name()} Elementary"])
    return rows


STUDENTS = students()


def workbook(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def ingest(tmp_path, source_type, path):
    recipe = tmp_path / f"{source_type}.yml"
    recipe.write_text(
        yaml.safe_dump({"source": {"type": source_type, "config": {"path_list": [str(path)]}}})
    )
    url = f"sqlite:///{tmp_path / source_type}.db"
    outcome = ingest_recipe_file(recipe, db_url=url)
    assert outcome.ok, outcome.error
    [dataset] = Catalog.open(url).entities()
    schema = Catalog.open(url).entity(dataset.urn).aspects["schemaMetadata"]
    return dataset, [f["fieldPath"] for f in schema["fields"]]


def test_the_header_row_is_found_where_its_labels_are_french(tmp_path):
    path = workbook(tmp_path / "liste.xlsx", [HEADER, *STUDENTS])
    dataset, columns = ingest(tmp_path, "cartable-excel", path)
    assert columns == HEADER and dataset.platform == "excel"
    # DataHub's own source took the first student for the header (if this starts failing,
    # DataHub reads such headers itself and cartable-excel can go)
    _, datahubs = ingest(tmp_path, "excel", path)
    assert datahubs == STUDENTS[0]


def test_a_title_above_the_table_is_still_left_out(tmp_path):
    # DataHub's own scoring of the rows is kept: a title and a blank row above the header
    rows = [["Élèves avec un plan d'intervention — 2025-2026"], [], HEADER, *STUDENTS]
    _, columns = ingest(tmp_path, "cartable-excel", workbook(tmp_path / "titre.xlsx", rows))
    assert columns == HEADER


def test_headers_with_signs_and_numbers_are_found(tmp_path):
    header = ["N° fiche", "Nom", "Prénom", "Résultat étape 1", "Taux (%)"]
    # an English board's results as text: each row's words count as labels for DataHub
    rows = [[f"{100 + i}", *student[1:3], "Passed", "High"] for i, student in enumerate(STUDENTS)]
    _, columns = ingest(
        tmp_path, "cartable-excel", workbook(tmp_path / "signes.xlsx", [header, *rows])
    )
    assert columns == header


@pytest.mark.parametrize(
    ("cell", "label"),
    [
        ("Prénom", True),
        ("École", True),
        ("code_permanent", True),
        ("Date de naissance", True),
        ("d’inscription", True),
        ("N° fiche", True),
        ("Taux (%)", True),
        ("Courriel/Email", True),
        ("Résultat étape 1", True),
        ("B101", False),
        ("eleve@exemple.ca", False),
        ("GARJ02111449", False),
        ("2025-11-01", False),
        ("", False),
        (50, False),
        (None, False),
    ],
)
def test_a_label_is_text_of_letters_in_any_language(cell, label):
    assert is_label(cell) is label
