"""Trust facts from a dataset's aspects (pure)."""

from catalog.trust import trust_facts


def _owners(*owners: dict) -> dict:
    return {"ownership": {"owners": list(owners)}}


def test_owner_types_named_by_datahub_ownership_type_urns_count():
    aspects = _owners(
        {
            "owner": "urn:li:corpuser:direction",
            "type": "CUSTOM",
            "typeUrn": "urn:li:ownershipType:__system__technical_owner",
        },
        {
            "owner": "urn:li:corpuser:intendant",
            "type": "CUSTOM",
            "typeUrn": "urn:li:ownershipType:__system__data_steward",
        },
    )
    facts = trust_facts(aspects, downstream=False)
    assert facts.owner and facts.steward


def test_a_custom_type_of_the_organization_is_neither_owner_nor_steward():
    aspects = _owners(
        {"owner": "urn:li:corpuser:x", "type": "CUSTOM", "typeUrn": "urn:li:ownershipType:comite"}
    )
    facts = trust_facts(aspects, downstream=False)
    assert not facts.owner and not facts.steward


def test_classic_owner_types_still_count():
    aspects = _owners(
        {"owner": "urn:li:corpuser:a", "type": "BUSINESS_OWNER"},
        {"owner": "urn:li:corpuser:b", "type": "DATA_STEWARD"},
    )
    facts = trust_facts(aspects, downstream=False)
    assert facts.owner and facts.steward
