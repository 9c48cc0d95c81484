"""The review service on a real catalogue (SQLite and PostgreSQL): whole flows, what the
journal records, refusals that record nothing, concurrent votes and decisions."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh

from catalog.errors import CartableError, NotFoundError
from catalog.records import aspect_writes
from ethics_review.audit import AuditJournal
from ethics_review.levels import level_requirements
from ethics_review.models import Condition, DatasetAccess, Declaration, State
from ethics_review.service import ReviewService
from ethics_review.workflow import WorkflowError

from .conftest import MART, ORG, PLANS, account, answers

NONE = Declaration(conflict=False)
DIGEST = "ab" * 32


def body(datasets, **changes):
    values = {
        "datasets": datasets,
        "purpose": "Mesurer l'effet du tutorat sur la réussite en mathématique.",
        "legal_basis": "65.1",
        "recipients": [{"name": "Équipe analytique", "organization": ORG}],
        "starts": date(2026, 12, 1),
        "ends": date(2028, 12, 1),
        "setting": "cartable_extract",
        "expected_outputs": "Tableaux agrégés par école",
    }
    return DatasetAccess.model_validate(values | changes)


def conditions(level):
    return [
        Condition(code=c, policy="recherche", policy_digest=DIGEST) if c == "deidentify"
        else Condition(code=c)
        for c in level_requirements(level).condition_codes("dataset_access")
    ]  # fmt: skip


@pytest.fixture
def service(review_catalog):
    return ReviewService(review_catalog)


def who(service, name):
    return account(service.catalog, name)


def journal(service):
    return AuditJournal(service.catalog.database)


def to_privacy_review(service, datasets):
    analyst = who(service, "analyste")
    request = service.create(analyst, "Effet du tutorat", body(datasets), answers("dataset_access"))
    service.submit(analyst, request.id)
    rprp = who(service, "rprp")
    service.act(rprp, request.id, "triage")
    assessed = service.assess(rprp, request.id)
    service.act(rprp, request.id, "send_to_privacy_review")
    service.review(rprp, request.id, declaration=NONE, recommendation="approve")
    return assessed


def test_a_low_level_access_goes_from_draft_to_expiry_and_the_journal_holds_it_all(service):
    assessed = to_privacy_review(
        service, [{"urn": MART, "columns": ["moyenne_generale", "niveau"]}]
    )
    assert assessed.level == 1 and assessed.assessment["floors"] == []
    with pytest.raises(WorkflowError, match="wrote the privacy impact assessment"):
        service.decide(who(service, "rprp"), assessed.id, outcome="approved", grounds="ok!",
                       conditions=conditions(1))  # fmt: skip
    decided = service.decide(
        who(service, "delegue"), assessed.id, outcome="approved", grounds="Usage interne.",
        conditions=conditions(1),
    )  # fmt: skip
    assert decided.state == State.APPROVED and decided.grant.ends == date(2028, 12, 1)
    active = service.activate(who(service, "intendance"), assessed.id)
    assert active.state == State.ACTIVE
    assert service.expire_due(date(2028, 12, 1)) == []
    assert service.expire_due(date(2028, 12, 2)) == [assessed.id]
    assert service.get(assessed.id).state == State.EXPIRED
    entries = journal(service).entries(subject=assessed.id)
    assert [e.action for e in entries] == [
        "create", "submit", "triage", "assess", "send_to_privacy_review", "review", "decide",
        "activate", "expire",
    ]  # fmt: skip
    assert [e.actor for e in entries][-3:] == ["delegue", "intendance", "cartable"]
    assert entries[6].role == "privacy_officer" and entries[6].after["state"] == "approved"
    assert journal(service).verify().ok


def register_extract(service, source, digest, made_at):
    extract = "urn:li:dataset:(urn:li:dataPlatform:file,css-x.extraits/tutorat.csv,PROD)"
    properties = dh.DatasetPropertiesClass(
        name="tutorat.csv",
        customProperties={
            "cartable.extract.source": source,
            "cartable.extract.policyDigest": digest,
        },
        created=dh.TimeStampClass(time=int(made_at.timestamp() * 1000)),
    )
    writes = aspect_writes(MetadataChangeProposalWrapper(entityUrn=extract, aspect=properties))
    service.catalog.write(writes, actor="urn:li:corpuser:intendance")
    return extract


def through_the_committee(service, datasets):
    assessed = to_privacy_review(service, datasets)
    service.refer(who(service, "rprp"), assessed.id)
    service.review(
        who(service, "ethique1"), assessed.id, declaration=NONE, recommendation="approve"
    )
    for member in ("delegue", "ethique2", "ethique3"):
        service.vote(who(service, member), assessed.id, "approve", NONE)
    return assessed


def test_hdaa_data_goes_to_the_committee_and_only_the_approved_extract_delivers_it(service):
    assessed = through_the_committee(service, [{"urn": PLANS, "columns": ["code_difficulte"]}])
    assert assessed.level == 3 and assessed.assessment["floors"] == ["hdaa_or_health"]
    decided = service.decide(
        who(service, "ethique2"), assessed.id, outcome="approved", grounds="Intérêt public.",
        conditions=conditions(3),
    )  # fmt: skip
    assert decided.state == State.APPROVED
    assert decided.grant.ends == date(2027, 12, 1)  # level III: twelve months
    later = datetime.now(UTC) + timedelta(minutes=1)
    wrong = register_extract(service, PLANS, "cd" * 32, later)
    with pytest.raises(WorkflowError, match="approved policy"):
        service.fulfil(who(service, "intendance"), assessed.id, wrong)
    with pytest.raises(WorkflowError, match="only as an extract"):
        service.activate(who(service, "intendance"), assessed.id)
    right = register_extract(service, PLANS, DIGEST, later)
    service.fulfil(who(service, "intendance"), assessed.id, right)
    assert service.activate(who(service, "rprp"), assessed.id).state == State.ACTIVE
    with pytest.raises(WorkflowError, match="cannot decide"):
        service.decide(who(service, "ethique3"), assessed.id, outcome="refused", grounds="non")


def test_refusals_record_nothing(service):
    analyst = who(service, "analyste")
    with pytest.raises(NotFoundError):
        service.create(analyst, "Inconnu", body([{"urn": MART.replace("suivi", "absent")}]))
    with pytest.raises(CartableError, match="has no column absente"):
        service.create(analyst, "Colonne", body([{"urn": MART, "columns": ["absente"]}]))
    assert journal(service).entries() == []
    request = service.create(analyst, "Incomplète", body([{"urn": MART}]), {"purpose": "research"})
    with pytest.raises(CartableError, match="missing"):
        service.submit(analyst, request.id)
    with pytest.raises(WorkflowError, match="cannot triage"):
        service.act(who(service, "rprp"), request.id, "triage")
    with pytest.raises(WorkflowError, match="only its requester"):
        service.submit(who(service, "rprp"), request.id)
    assert service.get(request.id).state == State.DRAFT and service.get(request.id).version == 0
    assert [e.action for e in journal(service).entries()] == ["create"]


def test_an_officer_of_another_centre_and_the_requester_are_refused(service):
    analyst = who(service, "analyste")
    request = service.create(analyst, "Tutorat", body([{"urn": MART}]), answers("dataset_access"))
    service.submit(analyst, request.id)
    with pytest.raises(WorkflowError, match="does not act for css-x"):
        service.act(who(service, "rprp-y"), request.id, "triage")
    with pytest.raises(WorkflowError, match="nobody may triage their own request"):
        service.act(analyst, request.id, "triage")
    with pytest.raises(WorkflowError, match="may not triage"):
        service.act(who(service, "intendance"), request.id, "triage")


def test_a_member_votes_once_and_a_material_change_goes_back_to_triage(service):
    assessed = through_the_committee(service, [{"urn": PLANS}])
    with pytest.raises(WorkflowError, match="already voted"):
        service.vote(who(service, "ethique2"), assessed.id, "refuse", NONE)
    assert len(service.votes(assessed.id)) == 3
    wider = body([{"urn": PLANS}, {"urn": MART}])
    back = service.amend(who(service, "analyste"), assessed.id, wider, answers("dataset_access"))
    assert back.state == State.TRIAGE and back.round == 2 and back.level is None
    assert service.votes(assessed.id) == []  # a new round: votes start again
    again = service.assess(who(service, "rprp"), assessed.id)
    assert set(again.assessment["floors"]) == {"hdaa_or_health", "linkage"}


def test_concurrent_votes_are_all_kept_and_one_decision_wins(service):
    assessed = to_privacy_review(service, [{"urn": PLANS}])
    service.refer(who(service, "rprp"), assessed.id)
    service.review(
        who(service, "ethique1"), assessed.id, declaration=NONE, recommendation="approve"
    )
    members = ["delegue", "ethique1", "ethique2", "ethique3", "rprp"]
    errors: list[Exception] = []

    def cast(name):
        try:
            service.vote(who(service, name), assessed.id, "approve", NONE)
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=cast, args=(m,)) for m in members * 2]  # each twice
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(v.member for v in service.votes(assessed.id)) == sorted(members)
    assert len(errors) == len(members) and all("already voted" in str(e) for e in errors)
    outcomes: list[str] = []

    def decide(name):
        try:
            service.decide(who(service, name), assessed.id, outcome="approved",
                           grounds="Intérêt public.", conditions=conditions(3))  # fmt: skip
            outcomes.append(name)
        except WorkflowError:
            pass

    deciders = [
        threading.Thread(target=decide, args=(n,)) for n in ("ethique2", "ethique3", "delegue")
    ]
    for thread in deciders:
        thread.start()
    for thread in deciders:
        thread.join()
    assert len(outcomes) == 1
    assert service.repository.decision_count(assessed.id) == 1
    assert [d.by for d in service.get(assessed.id).decisions] == outcomes
    assert journal(service).verify().ok


def test_a_grant_is_revoked_by_the_privacy_officer_only_and_closed(service):
    assessed = to_privacy_review(service, [{"urn": MART, "columns": ["moyenne_generale"]}])
    service.decide(
        who(service, "delegue"), assessed.id, outcome="approved", grounds="Usage interne.",
        conditions=conditions(1),
    )  # fmt: skip
    service.activate(who(service, "intendance"), assessed.id)
    with pytest.raises(WorkflowError, match="nobody may revoke their own request"):
        service.act(who(service, "analyste"), assessed.id, "revoke")
    with pytest.raises(WorkflowError, match="may not revoke"):
        service.act(who(service, "intendance"), assessed.id, "revoke")
    revoked = service.act(who(service, "rprp"), assessed.id, "revoke")
    assert revoked.state == State.REVOKED
    assert service.expire_due(date(2030, 1, 1)) == []  # a revoked grant does not expire again
    assert service.act(who(service, "rprp"), assessed.id, "close").state == State.CLOSED
    actions = [e.action for e in journal(service).entries(subject=assessed.id)]
    assert actions[-2:] == ["revoke", "close"]


def test_the_journal_names_each_actors_own_role(service):
    assessed = through_the_committee(service, [{"urn": PLANS}])
    roles = {(e.actor, e.action): e.role for e in journal(service).entries(subject=assessed.id)}
    assert roles[("delegue", "vote")] == "privacy_officer"
    assert roles[("ethique2", "vote")] == "ethics_member"
    assert roles[("rprp", "review")] == "privacy_officer"
    assert roles[("analyste", "submit")] == "requester"


def test_a_request_goes_to_the_privacy_review_only_once_assessed(service):
    analyst = who(service, "analyste")
    request = service.create(analyst, "Tutorat", body([{"urn": MART}]), answers("dataset_access"))
    service.submit(analyst, request.id)
    service.act(who(service, "rprp"), request.id, "triage")
    with pytest.raises(WorkflowError, match="assess it first"):
        service.act(who(service, "rprp"), request.id, "send_to_privacy_review")


def test_the_journal_says_what_each_action_changed(service):
    assessed = through_the_committee(service, [{"urn": PLANS}])
    service.decide(who(service, "ethique2"), assessed.id, outcome="approved", grounds="Intérêt.",
                   conditions=conditions(3))  # fmt: skip
    entries = journal(service).entries(subject=assessed.id)
    by_action = {}
    for entry in entries:
        by_action.setdefault(entry.action, []).append(entry.after)
    assert by_action["review"][0]["reviews"][0] == {
        "stage": "privacy", "reviewer": "rprp", "recommendation": "approve", "conflict": False,
        "conditions": [],
    }  # fmt: skip
    assert {v["vote"] for v in by_action["vote"]} == {"approve"}
    [decision] = by_action["decide"][0]["decisions"]
    assert decision["outcome"] == "approved" and decision["policy_digest"] == DIGEST
    assert by_action["decide"][0]["grant"]["ends"] == "2027-12-01"
    assert by_action["assess"][0]["level"] == 3 and by_action["create"][0]["state"] == "draft"
