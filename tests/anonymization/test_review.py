"""The stewards' review: pure rules, then decisions over a real catalogue and real rescans."""

import json
import random
import sqlite3
from datetime import UTC, datetime

import pytest
import yaml
from faker import Faker

from anonymization.analyzer import network_analyzer
from anonymization.classify import ColumnFinding
from anonymization.recording import sensitivity_of
from anonymization.review import PiiReview
from anonymization.review_rules import ReviewDecision, evidence_of, stands, status, support
from anonymization.scan import PiiScanner
from anonymization.value_evidence import ValueEvidence
from catalog import pi_terms
from catalog.demo.identifiers import phone_number, social_insurance_number
from catalog.errors import CartableError, NotFoundError
from catalog.ingest import ingest_recipe_file
from catalog.network import Network
from catalog.service import Catalog

# --- the rules --------------------------------------------------------------------------------


def finding(term="phone_number", matched=None, sampled=100, name_term=None, entities=None):
    matched = {"PHONE_NUMBER": 90} if matched is None else matched
    return ColumnFinding(
        column="standard",
        term=term,
        confidence=0.9,
        entities=entities if entities is not None else sorted(matched),
        name_term=name_term,
        evidence=ValueEvidence(sampled=sampled, matched=matched),
    )


def decided(decision, on) -> ReviewDecision:
    evidence = evidence_of(on)
    return ReviewDecision(
        dataset="urn:x",
        field_path=on.column,
        term=evidence.term,
        decision=decision,
        fingerprint=evidence.fingerprint,
        evidence=evidence,
        reviewer="urn:li:corpuser:x",
        decided_on=datetime.now(UTC),
    )


def test_support_is_counted_in_three_steps():
    assert [support(n, 100) for n in (0, 1, 49, 50, 100)] == [
        "none",
        "some",
        "some",
        "most",
        "most",
    ]
    assert support(3, 0) == "none"


def test_counts_that_move_between_samples_do_not_change_the_fingerprint():
    assert evidence_of(finding(matched={"PHONE_NUMBER": 90})).fingerprint == (
        evidence_of(finding(matched={"PHONE_NUMBER": 72}, sampled=80)).fingerprint
    )


@pytest.mark.parametrize(
    "changed",
    [
        finding(term="sin", matched={"SIN": 90}),  # another term
        finding(matched={"PHONE_NUMBER": 20}),  # the sample no longer mostly supports it
        finding(name_term="phone_number"),  # the column was renamed into a personal name
        finding(entities=["PERSON", "PHONE_NUMBER"]),  # another entity type in the values
    ],
)
def test_a_rejection_stands_until_the_evidence_changes(changed):
    rejected = decided("rejected", finding())
    assert stands(rejected, evidence_of(finding(matched={"PHONE_NUMBER": 60}, sampled=70)))
    assert not stands(rejected, evidence_of(changed))
    assert status(rejected, evidence_of(changed)) == "reopened"


def test_an_acceptance_stands_while_the_term_is_the_same():
    accepted = decided("accepted", finding())
    assert status(accepted, evidence_of(finding(matched={"PHONE_NUMBER": 20}))) == "accepted"
    assert status(accepted, evidence_of(finding(term="sin", matched={"SIN": 9}))) == "reopened"
    assert status(None, evidence_of(finding())) == "pending"


# --- over a real catalogue --------------------------------------------------------------------


def write_source(path, values_of_standard) -> None:
    fake, rng = Faker("fr_CA"), random.Random(11)
    fake.seed_instance(11)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE IF EXISTS contacts")
        conn.execute("CREATE TABLE contacts (nas TEXT, nom TEXT, standard TEXT)")
        conn.executemany(
            "INSERT INTO contacts VALUES (?, ?, ?)",
            [
                (social_insurance_number(rng), fake.name(), values_of_standard(rng))
                for _ in range(30)
            ],
        )


@pytest.fixture
def reviewed(tmp_path, any_catalog_url):
    """A scanned table (SIN, names, and the school switchboard's phone numbers)."""
    path = tmp_path / "rh.db"
    write_source(path, phone_number)
    source = {"type": "sqlite", "config": {"path": str(path), "platform_instance": "css-x"}}
    recipe = tmp_path / "recipe.yml"
    recipe.write_text(yaml.safe_dump({"source": source}))
    assert ingest_recipe_file(recipe, db_url=any_catalog_url).ok
    network = Network.model_validate(
        {
            "name": "test",
            "domains": [{"id": "d", "name": {"fr": "D", "en": "D"}}],
            "organizations": [
                {
                    "code": "css-x",
                    "name": "x",
                    "kind": "css",
                    "language": "fr",
                    "region": "r",
                    "recipes": [{"name": "s", "domain": "d", "source": source}],
                }
            ],
        }
    )
    catalog = Catalog.open(any_catalog_url)
    scanner = PiiScanner(catalog, network, network_analyzer, sample_size=30)
    urn = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.rh.contacts,PROD)"

    def rescan() -> None:
        scanner.record([scanner.scan(urn)])

    rescan()
    yield catalog, urn, rescan, path
    catalog.close()


def queue(review, urn):
    return {i.field_path: (i.term, i.status) for i in review.items(urn)}


def scanned_terms(catalog, urn, column):
    return [a for a in catalog.field_terms(urn).get(column, []) if pi_terms.is_scanned(a)]


def test_decisions_act_on_the_fields_and_survive_rescans(reviewed):
    catalog, urn, rescan, path = reviewed
    review = PiiReview(catalog)
    assert queue(review, urn) == {
        "nas": ("sin", "pending"),
        "nom": ("person_name", "pending"),
        "standard": ("phone_number", "pending"),
    }
    [item] = [i for i in review.items(urn) if i.field_path == "nas"]
    assert item.sampled == 30 and item.matched == {"SIN": 30} and item.confidence >= 0.9

    review.accept(urn, "nas", "intendante.roy")
    review.reject(urn, "standard", "intendante.roy", "Numéro du standard de l'école")
    assert queue(review, urn) == {"nom": ("person_name", "pending")}
    [accepted] = catalog.field_terms(urn)["nas"]
    assert pi_terms.is_reviewed(accepted) and accepted["actor"] == "urn:li:corpuser:intendante.roy"
    assert catalog.field_terms(urn).get("standard", []) == []
    rejected = review.items(urn, ["rejected"])
    assert [(i.field_path, i.previous.reason) for i in rejected] == [
        ("standard", "Numéro du standard de l'école")
    ]

    rescan()  # same evidence: nothing raised again, the acceptance kept
    assert queue(review, urn) == {"nom": ("person_name", "pending")}
    assert (
        scanned_terms(catalog, urn, "nas") == [] and scanned_terms(catalog, urn, "standard") == []
    )
    assert [a["urn"] for a in catalog.field_terms(urn)["nas"]] == [pi_terms.term_urn("sin")]

    write_source(path, lambda rng: social_insurance_number(rng))  # the evidence changes
    rescan()
    [reopened] = [i for i in review.items(urn) if i.field_path == "standard"]
    assert (reopened.term, reopened.status) == ("sin", "reopened")
    assert reopened.previous.decision == "rejected"


def test_the_sensitivity_level_follows_the_decisions(reviewed):
    catalog, urn, _rescan, _path = reviewed
    review = PiiReview(catalog)
    assert sensitivity_of(catalog, urn) == "restreint"  # a NAS
    review.accept(urn, "nas", "intendante.roy")
    assert sensitivity_of(catalog, urn) == "restreint"
    review.reject(urn, "nas", "intendante.roy", "Colonne vidée en 2025")  # a reversal
    assert sensitivity_of(catalog, urn) == "confidentiel"
    review.reject(urn, "nom", "intendante.roy", "Noms fictifs de test")
    review.reject(urn, "standard", "intendante.roy", "Standard de l'école")
    assert sensitivity_of(catalog, urn) == "interne"
    review.accept(urn, "nom", "intendante.roy")  # a rejection reversed from its evidence
    assert sensitivity_of(catalog, urn) == "confidentiel"
    assert [d.decision for d in review.history(urn)] == [
        "accepted", "rejected", "rejected", "rejected", "accepted",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("column", "reviewer", "reason", "error"),
    [
        ("nom", "intendante.roy", "  ", CartableError),  # a rejection needs a reason
        ("nom", " ", "pas un nom", CartableError),  # and a reviewer
        ("niveau", "intendante.roy", "inconnue", NotFoundError),  # no such finding
    ],
)
def test_a_refused_decision_changes_nothing(reviewed, column, reviewer, reason, error):
    catalog, urn, _rescan, _path = reviewed
    before = catalog.store.latest(urn)
    with pytest.raises(error):
        PiiReview(catalog).reject(urn, column, reviewer, reason)
    assert catalog.store.latest(urn) == before and PiiReview(catalog).history() == []


def test_the_cli_lists_accepts_and_rejects(reviewed, any_catalog_url, cli):
    _catalog, urn, _rescan, _path = reviewed
    url = any_catalog_url
    code, out, _ = cli(["--db-url", url, "pii", "review", "--dataset", urn, "--json"])
    assert code == 0 and {i["field_path"] for i in json.loads(out)} == {"nas", "nom", "standard"}
    assert "Traceback" not in out
    code, out, _ = cli(
        ["--db-url", url, "pii", "accept", f"{urn}#nas", "--reviewer", "intendante.roy", "--json"]
    )
    assert code == 0 and json.loads(out)["decision"] == "accepted"
    args = ["--db-url", url, "pii", "reject", f"{urn}#nom", "--reviewer", "r", "--reason", "x"]
    assert cli([*args, "--json"])[0] == 0
    code, out, _ = cli(["--db-url", url, "pii", "review", "--status", "accepted", "--json"])
    assert [i["field_path"] for i in json.loads(out)] == ["nas"]
    code, _, err = cli(["--db-url", url, "pii", "review", "--status", "maybe"])
    assert code == 2 and "unknown status" in err and "Traceback" not in err
    code, _, err = cli(["--db-url", url, "pii", "accept", "nope", "--reviewer", "r"])
    assert code == 2 and "URN#column" in err
