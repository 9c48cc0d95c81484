"""The preview of a policy on synthetic rows, and the library of policies offered."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from anonymization.checks import (
    code_permanent_date_valid,
    luhn_valid,
    quebec_phone_valid,
    ramq_date_valid,
)
from anonymization.extract_plan import SourceColumn, plan_extract
from anonymization.keys import create_keyring, load_keyring
from anonymization.operators import OperatorContext
from anonymization.policy import parse_policy
from anonymization.policy_library import (
    PolicyFile,
    load_library,
    policy_folder,
    policy_rules,
)
from anonymization.preview import preview, synthetic_rows
from anonymization.source_columns import field_kind
from catalog.errors import CartableError

COLUMNS = [
    SourceColumn(name="code_permanent", terms=["code_permanent"]),
    SourceColumn(name="nam", terms=["ramq_number"]),
    SourceColumn(name="nas", terms=["sin"]),
    SourceColumn(name="no_fiche", kind="integer", terms=["file_number"]),
    SourceColumn(name="nom", terms=["person_name"]),
    SourceColumn(name="prenom", terms=["person_name"]),
    SourceColumn(name="nom_parent", terms=["person_name"]),
    SourceColumn(name="courriel", terms=["email"]),
    SourceColumn(name="telephone", terms=["phone_number"]),
    SourceColumn(name="date_naissance", kind="date", terms=["birth_date"]),
    SourceColumn(name="code_postal", terms=["postal_code"]),
    SourceColumn(name="sexe", terms=["gender"]),
    SourceColumn(name="code_difficulte", terms=["special_needs"]),
    SourceColumn(name="note", terms=["free_text"]),
    SourceColumn(name="niveau", kind="integer"),
    SourceColumn(name="moyenne", kind="float"),
    SourceColumn(name="actif", kind="boolean"),
    SourceColumn(name="date_plan", kind="date"),
    SourceColumn(name="modifie", kind="datetime"),
    SourceColumn(name="code_ecole"),
    SourceColumn(name="resultat", kind="float", terms=["derived"]),
]
STUDENTS = [
    c
    for c in COLUMNS
    if c.name
    in ("code_permanent", "nom", "prenom", "date_naissance", "code_postal", "sexe", "niveau")
]
POSTAL = re.compile(r"[GHJ]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d")
POLICY = """
name: recherche
key: {env: CARTABLE_TEST_KEY}
types:
  code_permanent: {operator: pseudonym}
  person_name: {operator: remove}
  birth_date: {operator: generalize, to: year}
  postal_code: {operator: generalize, to: postal_prefix}
  gender: {operator: keep}
"""


def test_synthetic_rows_have_the_shape_of_the_source():
    rows = synthetic_rows(COLUMNS, n=7)
    assert list(rows.columns) == [c.name for c in COLUMNS]
    assert len(rows) == 7 and all(dtype.kind == "O" for dtype in rows.dtypes)
    assert rows.notna().all().all()


def test_identifiers_are_valid_and_each_row_is_one_person():
    rows = synthetic_rows(COLUMNS, n=20)
    for row in rows.itertuples():
        code = row.code_permanent
        assert re.fullmatch(r"[A-Z]{4}\d{8}", code) and code_permanent_date_valid(code)
        assert ramq_date_valid(row.nam) and row.nam[:4] == code[:4]
        assert luhn_valid(row.nas.replace(" ", "")) and row.nas[0] in "23"
        assert isinstance(row.no_fiche, int)
        assert POSTAL.fullmatch(row.code_postal)
        assert quebec_phone_valid(row.telephone)
        birth = date.fromisoformat(row.date_naissance)
        female = int(code[6:8]) > 50
        assert (row.sexe == "F") == female
        assert code[4:6] == f"{birth.day:02d}" and code[8:10] == f"{birth.year % 100:02d}"
        assert row.nom_parent.endswith(row.nom) and row.nom_parent != row.nom
        assert row.prenom in row.note and row.nom in row.note
        assert re.search(r"\(\d{3}\) 555-\d{4}", row.note)
        assert row.courriel.endswith("@example.com")


def test_columns_without_personal_information_get_values_of_their_kind():
    rows = synthetic_rows(COLUMNS)
    assert all(isinstance(v, int) and not isinstance(v, bool) for v in rows["niveau"])
    assert all(isinstance(v, float) for v in rows["moyenne"])
    assert all(isinstance(v, float) for v in rows["resultat"])  # a lineage mark: by kind
    assert all(isinstance(v, bool) for v in rows["actif"])
    assert all(date.fromisoformat(v) for v in rows["date_plan"])
    assert all(pd.Timestamp(v) for v in rows["modifie"])
    assert all(re.fullmatch(r"COD-\d\d", v) for v in rows["code_ecole"])


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    assert synthetic_rows(COLUMNS).equals(synthetic_rows(COLUMNS))
    assert synthetic_rows(COLUMNS, seed=1).equals(synthetic_rows(COLUMNS, seed=1))
    assert not synthetic_rows(COLUMNS, seed=1).equals(synthetic_rows(COLUMNS))


def _never() -> None:
    raise AssertionError("the analyzer is built only for a plan that scrubs")


def test_the_preview_generalizes_removes_and_never_shows_a_real_pseudonym(tmp_path, monkeypatch):
    plan = plan_extract(parse_policy(POLICY), STUDENTS)
    rows = synthetic_rows(STUDENTS)
    shown = preview(plan, rows, _never)  # type: ignore[arg-type]
    assert "nom" not in shown.columns and "prenom" not in shown.columns
    assert list(shown.columns) == [c.name for c in plan.columns]
    assert list(shown["date_naissance"]) == [d[:4] for d in rows["date_naissance"]]
    assert list(shown["code_postal"]) == [c[:3] for c in rows["code_postal"]]
    assert list(shown["sexe"]) == list(rows["sexe"])

    folder = tmp_path / "cles"
    folder.mkdir()
    create_keyring(folder / "vraie.keyring")
    real = plan.transform(
        rows, OperatorContext(keyring=load_keyring(file=folder / "vraie.keyring"))
    )
    assert all(re.fullmatch(r"[0-9a-f]{16}", p) for p in shown["code_permanent"])
    assert not set(shown["code_permanent"]) & set(real["code_permanent"])
    again = preview(plan, rows, _never)  # type: ignore[arg-type]
    assert not set(again["code_permanent"]) & set(shown["code_permanent"])  # a new key each time


def test_the_preview_counts_rare_values_over_its_rows_and_knows_the_holder():
    columns = [SourceColumn(name="ecole"), SourceColumn(name="langue")]
    rows = pd.DataFrame({"ecole": ["E1", "E2", "E3"], "langue": ["fr", "fr", "en"]}, dtype=object)
    policy = parse_policy(
        "name: p\ncolumns:\n  ecole: {operator: generalize, to: organization}\n"
        "  langue: {operator: suppress_rare, min_count: 2, replacement: autre}"
    )
    shown = preview(plan_extract(policy, columns), rows, None, organization="css-a")
    assert list(shown["ecole"]) == ["css-a"] * 3
    assert list(shown["langue"]) == ["fr", "fr", "autre"]


def test_the_preview_scrubs_the_synthetic_notes_with_the_analyzer(analyzer):
    columns = [SourceColumn(name="note", terms=["free_text"])]
    plan = plan_extract(parse_policy("name: p\ntypes: {free_text: {operator: scrub}}"), columns)
    rows = synthetic_rows(columns, n=3)
    shown = preview(plan, rows, lambda: analyzer)
    for before, after in zip(rows["note"], shown["note"], strict=True):
        assert "555-" in before and "555-" not in after
        assert "<PERSON>" in after


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ({"nativeDataType": "INTEGER"}, "integer"),
        ({"nativeDataType": "BIGINT"}, "integer"),
        ({"nativeDataType": "REAL"}, "float"),
        ({"nativeDataType": "NUMERIC(10, 2)"}, "float"),
        ({"nativeDataType": "BOOLEAN"}, "boolean"),
        ({"nativeDataType": "DATE"}, "date"),
        ({"nativeDataType": "TIMESTAMP WITHOUT TIME ZONE"}, "datetime"),
        ({"nativeDataType": "VARCHAR(12)"}, "string"),
        ({"type": {"type": {"com.linkedin.pegasus2avro.schema.NumberType": {}}}}, "float"),
        ({"type": {"type": {"com.linkedin.pegasus2avro.schema.DateType": {}}}}, "date"),
        ({}, "string"),
    ],
)
def test_the_kind_of_a_catalogue_field(field, kind):
    assert field_kind(field) == kind


def test_the_policy_folder_comes_from_the_environment(tmp_path):
    assert policy_folder({}) is None
    assert policy_folder({"CARTABLE_POLICIES": "  "}) is None
    assert policy_folder({"CARTABLE_POLICIES": str(tmp_path)}) == tmp_path
    assert load_library(None) == []
    with pytest.raises(CartableError, match="not found"):
        load_library(tmp_path / "absent")


def test_the_library_lists_every_policy_file_and_why_a_broken_one_does_not_read(tmp_path):
    (tmp_path / "recherche.yml").write_text(POLICY)
    (tmp_path / "brisee.yaml").write_text("name: brisee\ntypes: {sin: {operator: shred}}\n")
    (tmp_path / "pas-du-yaml.yml").write_text("name: [ouvert\n")
    (tmp_path / "notes.txt").write_text("pas une politique")
    (tmp_path / "dossier.yml").mkdir()
    found = load_library(tmp_path)
    assert [f.path.name for f in found] == ["brisee.yaml", "pas-du-yaml.yml", "recherche.yml"]
    broken, not_yaml, research = found
    assert broken.policy is None and "unknown operator" in str(broken.error)
    assert broken.name == "brisee"
    assert not_yaml.policy is None and "not valid YAML" in str(not_yaml.error)
    assert research == PolicyFile(path=tmp_path / "recherche.yml", policy=parse_policy(POLICY))
    assert research.name == "recherche" and research.error is None


def test_the_rules_of_a_policy_read_columns_first():
    policy = parse_policy(
        POLICY + "columns:\n  code_postal: [{operator: generalize, to: postal_prefix},"
        " {operator: suppress_rare}]\n"
    )
    rules = [(r.scope, r.target, r.steps) for r in policy_rules(policy)]
    assert rules[0] == (
        "column",
        "code_postal",
        "generalize(postal code, 3 characters) → suppress rare values (< 5)",
    )
    assert rules[1:3] == [
        ("type", "code_permanent", "pseudonym(hmac-sha256)"),
        ("type", "person_name", "remove"),
    ]
