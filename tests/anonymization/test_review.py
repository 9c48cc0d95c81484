"""The stewards' review: pure rules, then decisions over a real catalogue and real rescans."""

import json
from datetime import UTC, datetime

import pytest

from anonymization.classify import ColumnFinding
from anonymization.recording import sensitivity_of
from anonymization.review import PiiReview
from anonymization.review_rules import ReviewDecision, evidence_of, stands, status, support
from anonymization.value_evidence import ValueEvidence
from catalog import pi_terms
from catalog.demo.identifiers import social_insurance_number
from catalog.errors import CartableError, NotFoundError
from catalog.roles import Account, PermissionDenied

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


STEWARD = Account(
    username="intendante.roy",
    display_name="A. Roy",
    roles=["data_steward"],
    organizations=["css-x"],
)


# --- over a real catalogue --------------------------------------------------------------------


@pytest.fixture
def reviewed(any_catalog_url, scanned_contacts):
    table = scanned_contacts(any_catalog_url)
    yield table.catalog, table.urn, table.rescan, table.change
    table.catalog.close()


def queue(review, urn):
    return {i.field_path: (i.term, i.status) for i in review.items(urn)}


def scanned_terms(catalog, urn, column):
    return [a for a in catalog.field_terms(urn).get(column, []) if pi_terms.is_scanned(a)]


def test_decisions_act_on_the_fields_and_survive_rescans(reviewed):
    catalog, urn, rescan, change = reviewed
    review = PiiReview(catalog)
    assert queue(review, urn) == {
        "nas": ("sin", "pending"),
        "nom": ("person_name", "pending"),
        "standard": ("phone_number", "pending"),
    }
    [item] = [i for i in review.items(urn) if i.field_path == "nas"]
    assert item.sampled == 30 and item.matched == {"SIN": 30} and item.confidence >= 0.9

    review.accept(urn, "nas", STEWARD)
    review.reject(urn, "standard", STEWARD, "Numéro du standard de l'école")
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

    change(social_insurance_number)  # the evidence changes
    rescan()
    [reopened] = [i for i in review.items(urn) if i.field_path == "standard"]
    assert (reopened.term, reopened.status) == ("sin", "reopened")
    assert reopened.previous.decision == "rejected"


def test_the_sensitivity_level_follows_the_decisions(reviewed):
    catalog, urn, _rescan, _change = reviewed
    review = PiiReview(catalog)
    assert sensitivity_of(catalog, urn) == "restreint"  # a NAS
    review.accept(urn, "nas", STEWARD)
    assert sensitivity_of(catalog, urn) == "restreint"
    review.reject(urn, "nas", STEWARD, "Colonne vidée en 2025")  # a reversal
    assert sensitivity_of(catalog, urn) == "confidentiel"
    review.reject(urn, "nom", STEWARD, "Noms fictifs de test")
    review.reject(urn, "standard", STEWARD, "Standard de l'école")
    assert sensitivity_of(catalog, urn) == "interne"
    review.accept(urn, "nom", STEWARD)  # a rejection reversed from its evidence
    assert sensitivity_of(catalog, urn) == "confidentiel"
    assert [d.decision for d in review.history(urn)] == [
        "accepted", "rejected", "rejected", "rejected", "accepted",
    ]  # fmt: skip


ANALYST = Account(username="a", display_name="A", roles=["analyst"], organizations=["css-x"])
OTHER_STEWARD = STEWARD.model_copy(update={"organizations": ["css-y"]})


@pytest.mark.parametrize(
    ("column", "reviewer", "reason", "error"),
    [
        ("nom", STEWARD, "  ", CartableError),  # a rejection needs a reason
        ("niveau", STEWARD, "inconnue", NotFoundError),  # no such finding
        ("nom", ANALYST, "pas un nom", PermissionDenied),  # an analyst does not review
        ("nom", OTHER_STEWARD, "pas un nom", PermissionDenied),  # nor another body's steward
    ],
)
def test_a_refused_decision_changes_nothing(reviewed, column, reviewer, reason, error):
    catalog, urn, _rescan, _change = reviewed
    before = catalog.store.latest(urn)
    with pytest.raises(error):
        PiiReview(catalog).reject(urn, column, reviewer, reason)
    if error is PermissionDenied:
        with pytest.raises(error):
            PiiReview(catalog).accept(urn, column, reviewer)
    assert catalog.store.latest(urn) == before and PiiReview(catalog).history() == []


def test_the_cli_lists_accepts_and_rejects(reviewed, any_catalog_url, cli, monkeypatch):
    _catalog, urn, _rescan, _change = reviewed
    url = any_catalog_url
    monkeypatch.setenv("CARTABLE_NEW_PASSWORD", "un mot de passe assez long")
    for account, role in (("intendante.roy", "data_steward"), ("r", "analyst")):
        add = ["accounts", "add", account, "--name", "x", "--role", role, "--org", "css-x"]
        assert cli(["--db-url", url, *add])[0] == 0
    code, out, _ = cli(["--db-url", url, "pii", "review", "--dataset", urn, "--json"])
    assert code == 0 and {i["field_path"] for i in json.loads(out)} == {"nas", "nom", "standard"}
    assert "Traceback" not in out
    code, out, _ = cli(
        ["--db-url", url, "pii", "accept", f"{urn}#nas", "--reviewer", "intendante.roy", "--json"]
    )
    assert code == 0 and json.loads(out)["decision"] == "accepted"
    args = ["--db-url", url, "pii", "reject", f"{urn}#nom", "--reason", "x", "--reviewer"]
    code, _, err = cli([*args, "r"])  # an analyst
    assert code == 2 and "may not review pii" in err and "Traceback" not in err
    assert cli([*args, "nobody"])[0] == 2
    assert cli([*args, "intendante.roy", "--json"])[0] == 0
    code, out, _ = cli(["--db-url", url, "pii", "review", "--status", "accepted", "--json"])
    assert [i["field_path"] for i in json.loads(out)] == ["nas"]
    code, _, err = cli(["--db-url", url, "pii", "review", "--status", "maybe"])
    assert code == 2 and "unknown status" in err and "Traceback" not in err
    code, _, err = cli(["--db-url", url, "pii", "accept", "nope", "--reviewer", "r"])
    assert code == 2 and "URN#column" in err


def test_a_level_a_steward_chose_stands_over_rescans(reviewed):
    from catalog.stewardship import Stewardship

    catalog, urn, rescan, _change = reviewed
    assert sensitivity_of(catalog, urn) == "restreint"  # a SIN column
    Stewardship(catalog).set_sensitivity(STEWARD, urn, "confidentiel")
    rescan()
    assert sensitivity_of(catalog, urn) == "confidentiel"
    PiiReview(catalog).accept(urn, "nas", STEWARD)  # a decision rolls the level up again…
    assert sensitivity_of(catalog, urn) == "confidentiel"  # …but the steward's stands
