"""Extract policies: reading the YAML, the problems named in one line, and the plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from anonymization.extract_plan import SourceColumn, plan_extract
from anonymization.operators import (
    GeneralizeDate,
    GeneralizePostalCode,
    Keep,
    OperatorContext,
    Pseudonym,
    Remove,
    Scrub,
    SuppressRare,
)
from anonymization.policy import ExtractPolicy, load_policy, parse_policy
from anonymization.risk import ClassCounter
from catalog.errors import CartableError

GOOD = """\
name: recherche-resultats
description: Suivi des résultats pour un projet de recherche
key: {file: /etc/cartable/cles/recherche.keyring}
types:
  code_permanent: {operator: pseudonym}
  person_name: {operator: remove}
  birth_date: {operator: generalize, to: year}
  postal_code: [{operator: generalize, to: postal_prefix}, {operator: suppress_rare, min_count: 3}]
  free_text: {operator: scrub}
columns:
  date_naissance: {operator: generalize, to: age_band, width: 5}
  courriel: {operator: mask, keep_last: 4}
risk:
  quasi_identifiers: [date_naissance, code_postal]
  sensitive: [code_difficulte]
"""


def policy(**changes: str) -> ExtractPolicy:
    """The good policy with some top-level sections replaced (YAML flow text)."""
    text = GOOD
    for section, value in changes.items():
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{section}:"))
        end = next(
            (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
        )
        text = "\n".join([*lines[:start], f"{section}: {value}", *lines[end:]]) + "\n"
    return parse_policy(text)


# reading ------------------------------------------------------------------------------------


def test_a_good_policy():
    read = parse_policy(GOOD)
    assert read.name == "recherche-resultats"
    assert read.key is not None and read.key.file == Path("/etc/cartable/cles/recherche.keyring")
    assert read.key.env is None
    assert set(read.types) == {
        "code_permanent",
        "person_name",
        "birth_date",
        "postal_code",
        "free_text",
    }
    assert isinstance(read.types["code_permanent"], Pseudonym)
    assert isinstance(read.types["person_name"], Remove)
    assert read.types["birth_date"] == GeneralizeDate(to="year")
    assert read.types["postal_code"] == [
        GeneralizePostalCode(to="postal_prefix"),
        SuppressRare(min_count=3),
    ]
    assert isinstance(read.types["free_text"], Scrub)
    assert read.columns["date_naissance"] == GeneralizeDate(to="age_band", width=5)
    assert read.columns["courriel"].keep_last == 4  # type: ignore[union-attr]
    assert read.risk.quasi_identifiers == ["date_naissance", "code_postal"]
    assert read.risk.sensitive == ["code_difficulte"]
    assert read.unlisted == "keep"


def test_a_key_in_the_environment():
    read = policy(key="{env: CARTABLE_RECHERCHE_KEY}")
    assert read.key is not None
    assert (read.key.env, read.key.file) == ("CARTABLE_RECHERCHE_KEY", None)


def test_a_policy_without_key_or_rules():
    read = parse_policy("name: vide\n")
    assert (read.key, read.types, read.columns) == (None, {}, {})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\ncolumns: {a: [\n  b: c\n", r"^policy is not valid YAML \(line 4\)$"),
        ("name: x\n\tcolumns: {}\n", r"not valid YAML \(line 2\)"),
        ("- name: x\n", r"^policy is not a policy \(a YAML mapping\)$"),
        ("just text\n", "not a policy"),
        ("", "not a policy"),
        ("columns: {}\n", "^policy: name: Field required$"),
        ("name: x\ncolumns: {a: {operator: shred}}\n", "^policy: columns.a: unknown operator"),
        ("name: x\ncolumns: {a: {operator: generalize, to: week}}\n", "generalize to: age_band"),
        ("name: x\ncolumns: {a: [{operator: keep}, {operator: shred}]}\n", "unknown operator"),
        ("name: x\ncolumns: {a: keep}\n", "columns.a: unknown operator"),
        ("name: x\ncolumns: {a: {operator: mask, keep_middle: 2}}\n", "keep_middle: Extra inputs"),
        ("name: x\ntypes: {nas: {operator: remove}}\n", "unknown personal-information type 'nas'"),
        ("name: x\nkey: {file: /k, env: K}\n", "^policy: key: give exactly one of file and env$"),
        ("name: x\nkey: {}\n", "^policy: key: give exactly one of file and env$"),
        ("name: x\nkey: {path: /k}\n", "key.path: Extra inputs are not permitted"),
        (
            "name: x\ncolumns: {a: [{operator: generalize, to: year}, {operator: remove}]}\n",
            "^policy: columns: a: a list of steps is not empty and never removes$",
        ),
        ("name: x\ntypes: {postal_code: []}\n", "postal_code: a list of steps is not empty"),
        (
            "name: x\nrisk:\n  very_low: {k: 3, below_k_share: 0, linkable_share: 0, l: 3,"
            " inference_share: 0}\n",
            "^policy: risk: risk limits: very_low must be at least as strict as low; laxer on k$",
        ),
        (
            "name: x\nrisk:\n  low: {k: 5, below_k_share: 0.01, linkable_share: 0.05, l: 4,"
            " inference_share: 0.05}\n",
            "laxer on l",
        ),
        ("name: x\nrisk: {quasi_identifiers: [a], sensitive: [a]}\n", "declared more than once"),
        ("name: x\nfoo: 1\n", "^policy: foo: Extra inputs are not permitted$"),
        ("name: x\nunlisted: hide\n", "unlisted"),
        ("name: x\ncolumns: {a: {operator: top_bottom}}\n", "give top, bottom or both"),
    ],
    ids=[
        "invalid-yaml",
        "tab-indent",
        "a-list",
        "a-scalar",
        "empty",
        "no-name",
        "unknown-operator",
        "unknown-target",
        "unknown-operator-in-list",
        "a-bare-word",
        "extra-key-of-a-step",
        "unknown-pi-type",
        "both-key-sources",
        "no-key-source",
        "extra-key-of-key",
        "list-with-remove",
        "empty-list",
        "very-low-laxer-k",
        "very-low-laxer-l",
        "risk-column-twice",
        "unknown-top-level-key",
        "bad-unlisted",
        "bad-step-settings",
    ],
)
def test_every_problem_is_named_in_one_line(text, problem):
    with pytest.raises(CartableError, match=problem) as caught:
        parse_policy(text)
    assert "\n" not in str(caught.value)


def test_a_single_remove_is_a_rule():
    read = parse_policy("name: x\ncolumns: {a: [{operator: remove}]}\n")
    assert read.steps("a", []) == (Remove(),)


def test_load_policy(tmp_path):
    path = tmp_path / "policies" / "recherche.yml"
    with pytest.raises(CartableError, match="not found"):
        load_policy(path)
    path.parent.mkdir()
    path.write_text(GOOD, encoding="utf-8")
    assert load_policy(path) == parse_policy(GOOD)
    path.write_text("name: x\nfoo: 1\n", encoding="utf-8")
    with pytest.raises(CartableError, match=f"^{path}: foo: Extra inputs"):
        load_policy(path)


def test_a_relative_key_file_is_read_from_the_policy_folder(tmp_path):
    path = tmp_path / "policies" / "recherche.yml"
    path.parent.mkdir()
    path.write_text("name: x\nkey: {file: ../cles/recherche.keyring}\n", encoding="utf-8")
    read = load_policy(path)
    assert read.key is not None
    assert read.key.file == (tmp_path / "cles" / "recherche.keyring").resolve()


# digest and steps ---------------------------------------------------------------------------


def test_digest_is_stable_and_follows_the_rules():
    digest = parse_policy(GOOD).digest()
    assert len(digest) == 64 and set(digest) <= set("0123456789abcdef")
    assert parse_policy(GOOD).digest() == digest
    # the order of the YAML's keys does not matter
    reordered = GOOD.replace(
        "  date_naissance: {operator: generalize, to: age_band, width: 5}\n"
        "  courriel: {operator: mask, keep_last: 4}\n",
        "  courriel: {keep_last: 4, operator: mask}\n"
        "  date_naissance: {width: 5, to: age_band, operator: generalize}\n",
    )
    assert reordered != GOOD
    assert parse_policy(reordered).digest() == digest
    changed = {
        GOOD.replace("width: 5", "width: 10"),
        GOOD.replace("min_count: 3", "min_count: 4"),
        GOOD.replace("person_name: {operator: remove}", "person_name: {operator: redact}"),
        GOOD.replace("/etc/cartable/cles/recherche.keyring", "/etc/cartable/cles/autre.keyring"),
        GOOD.replace("sensitive: [code_difficulte]", "sensitive: []"),
    }
    assert len(changed) == 5
    digests = {parse_policy(text).digest() for text in changed}
    assert len(digests) == 5 and digest not in digests


def test_steps_prefer_the_column_rule():
    read = parse_policy(GOOD)
    # date_naissance has a rule of its own, and holds a birth date (a type with a rule)
    assert read.steps("date_naissance", ["birth_date"]) == (GeneralizeDate(to="age_band", width=5),)
    assert read.steps("naissance", ["birth_date"]) == (GeneralizeDate(to="year"),)
    assert read.steps("code_postal", ["postal_code"]) == (
        GeneralizePostalCode(to="postal_prefix"),
        SuppressRare(min_count=3),
    )
    # the first of the column's terms that has a rule
    assert read.steps("x", ["gender", "person_name", "code_permanent"]) == (Remove(),)
    assert read.steps("sexe", ["gender"]) is None
    assert read.steps("niveau", []) is None


# the plan -----------------------------------------------------------------------------------

SOURCE = [
    SourceColumn(name="code_permanent", terms=["code_permanent"]),
    SourceColumn(name="nom", terms=["person_name"]),
    SourceColumn(name="date_naissance", kind="date", terms=["birth_date"]),
    SourceColumn(name="code_postal", terms=["postal_code"]),
    SourceColumn(name="courriel", terms=["email"]),
    SourceColumn(name="note", terms=["free_text"]),
    SourceColumn(name="niveau", kind="integer"),
    SourceColumn(name="code_difficulte", terms=["special_needs"]),
    SourceColumn(name="moyenne", kind="float"),
]
POLICY = GOOD.replace(
    "  free_text: {operator: scrub}\n",
    "  free_text: {operator: scrub}\n  special_needs: {operator: keep}\n",
)


def test_a_correct_plan():
    plan = plan_extract(parse_policy(POLICY), SOURCE)
    assert [c.name for c in plan.columns] == [
        "code_permanent",
        "date_naissance",
        "code_postal",
        "courriel",
        "note",
        "niveau",
        "code_difficulte",
        "moyenne",
    ]
    assert plan.removed == ["nom"]
    kinds = {c.name: c.kind for c in plan.columns}
    assert kinds == {
        "code_permanent": "string",
        "date_naissance": "string",
        "code_postal": "string",
        "courriel": "string",
        "note": "string",
        "niveau": "integer",  # kept: the source's kind
        "code_difficulte": "string",
        "moyenne": "float",
    }
    assert plan.quasi_identifiers == ["date_naissance", "code_postal"]
    assert plan.sensitive == ["code_difficulte"]
    assert plan.needs_key and plan.needs_analyzer
    assert plan.counted_steps() == {"code_postal": (GeneralizePostalCode(to="postal_prefix"),)}
    labels = {c.name: c.label for c in plan.columns}
    assert labels["code_postal"] == (
        "generalize(postal code, 3 characters) → suppress rare values (< 3)"
    )
    assert labels["niveau"] == "keep"
    transformed = {c.name for c in plan.columns if c.transformed}
    assert transformed == {"code_permanent", "date_naissance", "code_postal", "courriel", "note"}


def test_default_quasi_identifiers_are_the_generalized_columns():
    read = parse_policy(POLICY.replace("  quasi_identifiers: [date_naissance, code_postal]\n", ""))
    assert read.risk.quasi_identifiers == []
    plan = plan_extract(read, SOURCE)
    assert plan.quasi_identifiers == ["date_naissance", "code_postal"]
    coarseners = plan.coarseners()
    # code_postal ends with suppress_rare, which keeps the prefixes: they are coarsened
    assert set(coarseners) == {"date_naissance", "code_postal"}
    assert coarseners["date_naissance"]("15-19") == "10-19"
    assert coarseners["code_postal"]("H2X") == "H2"
    assert plan.counted_steps() == {"code_postal": (GeneralizePostalCode(to="postal_prefix"),)}


def test_a_sensitive_column_that_is_generalized_is_not_a_default_quasi_identifier():
    policy = POLICY.replace("  quasi_identifiers: [date_naissance, code_postal]\n", "").replace(
        "special_needs: {operator: keep}", "special_needs: {operator: suppress_rare}"
    )
    plan = plan_extract(parse_policy(policy), SOURCE)
    assert plan.sensitive == ["code_difficulte"]
    assert plan.quasi_identifiers == ["date_naissance", "code_postal"]
    ClassCounter(plan.quasi_identifiers, plan.sensitive)  # the risk report can count them


def test_a_plan_without_key_or_analyzer():
    read = parse_policy(
        "name: x\ncolumns: {date_naissance: {operator: generalize, to: year}}\n"
        "types: {code_permanent: {operator: remove}}\nunlisted: remove\n"
    )
    plan = plan_extract(read, [SOURCE[0], SOURCE[2], SourceColumn(name="niveau", kind="integer")])
    assert [c.name for c in plan.columns] == ["date_naissance"]
    assert plan.removed == ["code_permanent", "niveau"]
    assert not plan.needs_key and not plan.needs_analyzer
    assert plan.counted_steps() == {}
    assert plan.quasi_identifiers == ["date_naissance"]


def test_suppress_rare_first_counts_the_raw_values():
    read = parse_policy("name: x\ncolumns: {ecole: {operator: suppress_rare}}\n")
    plan = plan_extract(read, [SourceColumn(name="ecole")])
    assert plan.counted_steps() == {"ecole": ()}


@pytest.mark.parametrize(
    ("text", "columns", "problem"),
    [
        (
            "name: p\ncolumns: {inconnue: {operator: keep}, autre: {operator: keep}}\n",
            [SourceColumn(name="niveau")],
            "^policy p: no column autre, inconnue in the source$",
        ),
        (
            "name: p\n",
            [SourceColumn(name="nom", terms=["person_name"]), SourceColumn(name="niveau")],
            r"^policy p: no rule for personal information in nom \(person_name\)",
        ),
        (
            "name: p\ntypes: {person_name: {operator: keep}}\n",
            [
                SourceColumn(name="nom", terms=["person_name"]),
                SourceColumn(name="cp", terms=["code_permanent", "derived"]),
                SourceColumn(name="nas", terms=["sin"]),
            ],
            r"no rule for personal information in cp \(code_permanent, derived\); nas \(sin\)",
        ),
        (
            "name: p\ncolumns: {nom: {operator: remove}}\nrisk: {quasi_identifiers: [nom]}\n",
            [SourceColumn(name="nom", terms=["person_name"]), SourceColumn(name="niveau")],
            "^policy p: quasi-identifier nom is not a column of the extract$",
        ),
        (
            "name: p\nrisk: {quasi_identifiers: [niveau], sensitive: [absente]}\n",
            [SourceColumn(name="niveau")],
            "^policy p: sensitive attribute absente is not a column of the extract$",
        ),
        (
            "name: p\nunlisted: remove\nrisk: {quasi_identifiers: [niveau]}\n",
            [SourceColumn(name="niveau")],
            "quasi-identifier niveau is not a column",
        ),
        (
            "name: p\ntypes: {code_permanent: {operator: pseudonym}}\n",
            [SourceColumn(name="cp", terms=["code_permanent"])],
            "^policy p: pseudonyms and encryption need a key$",
        ),
        (
            "name: p\ncolumns: {cp: [{operator: keep}, {operator: encrypt}]}\n",
            [SourceColumn(name="cp", terms=["code_permanent"])],
            "need a key",
        ),
    ],
    ids=[
        "unknown-columns",
        "personal-column-without-rule",
        "several-without-rule",
        "quasi-identifier-removed",
        "sensitive-missing",
        "quasi-identifier-unlisted-removed",
        "pseudonym-without-key",
        "encrypt-without-key",
    ],
)
def test_plan_errors(text, columns, problem):
    with pytest.raises(CartableError, match=problem) as caught:
        plan_extract(parse_policy(text), columns)
    assert "\n" not in str(caught.value)


def test_a_keyed_operator_removed_needs_no_key():
    read = parse_policy("name: p\ncolumns: {cp: {operator: remove}}\n")
    plan = plan_extract(read, [SourceColumn(name="cp", terms=["code_permanent"])])
    assert plan.removed == ["cp"] and not plan.needs_key


# transform ----------------------------------------------------------------------------------


def test_transform_a_small_frame():
    read = parse_policy(
        """\
name: petit
types:
  person_name: {operator: remove}
  postal_code: [{operator: generalize, to: postal_prefix}, {operator: suppress_rare, min_count: 2,
                replacement: autre}]
columns:
  date_naissance: {operator: generalize, to: age_band, width: 5}
  courriel: {operator: redact, replacement: "[courriel]"}
  telephone: {operator: mask, keep_last: 4}
  age: {operator: top_bottom, top: 18, bottom: 12}
  ecole: {operator: generalize, to: organization, mapping: {"123": CSSDM, "456": CSSMB}}
"""
    )
    plan = plan_extract(
        read,
        [
            SourceColumn(name="nom", terms=["person_name"]),
            SourceColumn(name="date_naissance", terms=["birth_date"]),
            SourceColumn(name="code_postal", terms=["postal_code"]),
            SourceColumn(name="courriel", terms=["email"]),
            SourceColumn(name="telephone", terms=["phone_number"]),
            SourceColumn(name="age", kind="integer"),
            SourceColumn(name="ecole"),
            SourceColumn(name="niveau", kind="integer"),
        ],
    )
    chunk = pd.DataFrame(
        {
            "nom": ["Côté", "Roy", "Tremblay"],
            "date_naissance": ["2011-06-30", "2011-07-01", None],
            "code_postal": ["h2x 1y4", "H2X3A1", "G1R 4P5"],
            "courriel": ["a@example.org", None, "b@example.org"],
            "telephone": ["514-555-1234", "123", None],
            "age": [11, 15, 21],
            "ecole": ["123", "456", "789"],
            "niveau": [1, 2, 3],
        },
        index=[10, 11, 12],
        dtype=object,
    )
    # counted over the whole extract after the generalization: H2X twice, G1R once
    context = OperatorContext(as_of=date(2026, 6, 30), frequencies={"code_postal": {"H2X": 2}})
    out = plan.transform(chunk, context)
    assert list(out.columns) == [
        "date_naissance",
        "code_postal",
        "courriel",
        "telephone",
        "age",
        "ecole",
        "niveau",
    ]
    assert list(out.index) == [10, 11, 12]
    assert out["date_naissance"].tolist() == ["15-19", "10-14", None]
    assert out["code_postal"].tolist() == ["H2X", "H2X", "autre"]
    assert out["courriel"].tolist() == ["[courriel]", None, "[courriel]"]
    assert out["telephone"].tolist() == ["********1234", "***", None]
    assert out["age"].tolist() == [12, 15, 18]
    assert out["ecole"].tolist() == ["CSSDM", "CSSMB", None]
    assert out["niveau"].tolist() == [1, 2, 3]
    assert out.dtypes["age"] == "Int64"
    assert context.column == "niveau"  # the context names the column being transformed


def test_plan_from_a_constructed_policy():
    """A policy built in Python (without YAML) plans the same."""
    built = ExtractPolicy(
        name="p",
        columns={"a": Keep(), "b": [GeneralizeDate(to="month"), SuppressRare(min_count=2)]},
    )
    plan = plan_extract(built, [SourceColumn(name="a"), SourceColumn(name="b", kind="date")])
    assert plan.counted_steps() == {"b": (GeneralizeDate(to="month"),)}
    assert plan.quasi_identifiers == ["b"]
