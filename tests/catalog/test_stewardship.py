"""Stewardship: each edit is a versioned aspect with actor and time; only the holder
organization's stewards and administrators may edit, and a refused edit changes nothing."""

from __future__ import annotations

import json

import pytest

from catalog.errors import CartableError
from catalog.glossary import BUSINESS_PREFIX
from catalog.roles import PermissionDenied
from catalog.search import Search
from catalog.stewarded import descriptions, is_certified
from catalog.stewardship import Owner, Stewardship
from tests.catalog.conftest import ACCOUNTS, DOMAIN, dataset_urn

URN = dataset_urn("sis.eleves_hdaa")  # held by css-a
EDITS = {
    "describe": lambda s, a: s.describe(a, URN, french="Élèves HDAA du CSS", english="Students"),
    "owners": lambda s, a: s.set_owners(
        a, URN, [Owner(urn="urn:li:corpuser:direction", type="BUSINESS_OWNER")]
    ),
    "domain": lambda s, a: s.set_domain(a, URN, DOMAIN),
    "terms": lambda s, a: s.set_terms(a, URN, [BUSINESS_PREFIX + "eleve_hdaa"]),
    "tags": lambda s, a: s.set_tags(a, URN, ["prioritaire"]),
    "sensitivity": lambda s, a: s.set_sensitivity(a, URN, "restreint"),
    "certify": lambda s, a: s.certify(a, URN),
}
ALLOWED = {"intendant_a", "admin"}


def snapshot(catalog) -> tuple[dict, dict, list]:
    """Everything an edit could change: latest aspects, version counts, search results."""
    hits = [h.model_dump() for h in Search(catalog).query("hdaa").hits]
    return catalog.store.latest(URN), catalog.store.version_counts(URN), hits


@pytest.mark.parametrize("username", list(ACCOUNTS))
@pytest.mark.parametrize("edit", list(EDITS))
def test_each_role_and_each_edit(sqlite_network_catalog, username, edit):
    catalog = sqlite_network_catalog
    service = Stewardship(catalog)
    before = snapshot(catalog)
    if username in ALLOWED:
        assert EDITS[edit](service, ACCOUNTS[username]) is True
        assert snapshot(catalog) != before
        newest = service.history(URN)[0]
        assert newest.actor == ACCOUNTS[username].urn and newest.version == 0
    else:
        with pytest.raises(PermissionDenied):
            EDITS[edit](service, ACCOUNTS[username])
        assert snapshot(catalog) == before


def test_edits_are_versions_with_actor_and_time(network_catalog):
    service = Stewardship(network_catalog)
    steward, admin = ACCOUNTS["intendant_a"], ACCOUNTS["admin"]
    assert service.describe(steward, URN, french="Première version")
    assert service.describe(admin, URN, french="Deuxième version", english="Second version")
    assert service.describe(admin, URN, french="Deuxième version") is False  # no change
    latest = {k: json.loads(v) for k, v in network_catalog.store.latest(URN).items()}
    assert descriptions(latest) == {"fr": "Deuxième version", "en": "Second version"}
    history = [
        (c.aspect, c.actor, c.value.get("description"))
        for c in service.history(URN)
        if c.aspect == "editableDatasetProperties"
    ]
    assert history == [
        ("editableDatasetProperties", admin.urn, "Deuxième version"),
        ("editableDatasetProperties", steward.urn, "Première version"),
    ]


def test_business_terms_keep_the_sensitivity_level(network_catalog):
    service = Stewardship(network_catalog)
    steward = ACCOUNTS["intendant_a"]
    service.set_sensitivity(steward, URN, "restreint")
    service.set_terms(
        steward, URN, [BUSINESS_PREFIX + "eleve_hdaa", BUSINESS_PREFIX + "plan_intervention"]
    )
    service.set_terms(steward, URN, [BUSINESS_PREFIX + "plan_intervention"])
    terms = json.loads(network_catalog.store.latest_aspect(URN, "glossaryTerms"))["terms"]
    assert [t["urn"].rsplit(".", 1)[-1] for t in terms] == ["restreint", "plan_intervention"]
    hit = Search(network_catalog).query("plan d'intervention").hits[0]
    assert hit.urn == URN and "terms" in hit.matched
    assert Search(network_catalog).query("", filters={"sensitivity": ["restreint"]}).total == 1


def test_certification_and_withdrawal(network_catalog):
    service = Stewardship(network_catalog)
    steward = ACCOUNTS["intendant_a"]
    service.certify(steward, URN)
    latest = {k: json.loads(v) for k, v in network_catalog.store.latest(URN).items()}
    assert is_certified(latest)
    service.certify(steward, URN, certified=False)
    latest = {k: json.loads(v) for k, v in network_catalog.store.latest(URN).items()}
    assert not is_certified(latest)


BAD = {
    "unknown domain": (lambda s, a: s.set_domain(a, URN, "urn:li:domain:nope"), "unknown domain"),
    "unknown term": (
        lambda s, a: s.set_terms(a, URN, [BUSINESS_PREFIX + "nope"]),
        "unknown business glossary term",
    ),
    "pi term as business term": (
        lambda s, a: s.set_terms(a, URN, ["urn:li:glossaryTerm:cartable.pi.sin"]),
        "unknown business glossary term",
    ),
    "unknown level": (lambda s, a: s.set_sensitivity(a, URN, "secret"), "unknown sensitivity"),
    "bad owner": (
        lambda s, a: s.set_owners(a, URN, [Owner(urn="bob", type="DATA_STEWARD")]),
        "not a person or group",
    ),
    "bad tag": (lambda s, a: s.set_tags(a, URN, ["<script>"]), "bad tag"),
    "too long": (lambda s, a: s.describe(a, URN, french="x" * 6000), "too long"),
    "unknown dataset": (
        lambda s, a: s.certify(a, URN.replace("eleves_hdaa", "nope")),
        "no entity",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_edits_are_refused_and_write_nothing(sqlite_network_catalog, case):
    edit, message = BAD[case]
    before = snapshot(sqlite_network_catalog)
    with pytest.raises(CartableError, match=message):
        edit(Stewardship(sqlite_network_catalog), ACCOUNTS["admin"])
    assert snapshot(sqlite_network_catalog) == before


def test_a_stewards_edit_survives_the_next_ingestion(network_catalog):
    from tests.catalog.conftest import write_network

    Stewardship(network_catalog).set_domain(ACCOUNTS["intendant_a"], URN, DOMAIN)
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as dh

    from catalog.records import aspect_writes

    # a later run re-emits the dataset and a transformer's domain (none)
    write_network(network_catalog, run_id="ingest-2")
    rerun = aspect_writes(MCPW(entityUrn=URN, aspect=dh.DomainsClass(domains=[])))
    network_catalog.write(rerun, actor="urn:li:corpuser:datahub", run_id="ingest-2")
    domains = json.loads(network_catalog.store.latest_aspect(URN, "domains"))
    assert domains == {"domains": [DOMAIN]}
