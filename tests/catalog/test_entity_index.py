import pytest

from catalog.entity_index import dataset_key, entity_type, index_row, instance_of

URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.eleves,PROD)"


@pytest.mark.parametrize(
    ("urn", "kind"),
    [
        (URN, "dataset"),
        ("urn:li:container:abc", "container"),
        ("urn:li:domain:finances", "domain"),
    ],
)
def test_entity_type(urn, kind):
    assert entity_type(urn) == kind


def test_dataset_key_keeps_commas_in_names():
    assert dataset_key("urn:li:dataset:(urn:li:dataPlatform:excel,a/[b,c.xlsx]S,PROD)") == (
        "excel",
        "a/[b,c.xlsx]S",
        "PROD",
    )


def test_instance_of():
    assert instance_of("urn:li:dataPlatformInstance:(urn:li:dataPlatform:sqlite,css-x)") == "css-x"
    assert instance_of(None) is None


def test_index_row_from_aspects():
    aspects = {
        "datasetProperties": {"name": "eleves"},
        "dataPlatformInstance": {
            "platform": "urn:li:dataPlatform:sqlite",
            "instance": "urn:li:dataPlatformInstance:(urn:li:dataPlatform:sqlite,css-x)",
        },
        "domains": {"domains": ["urn:li:domain:reussite-educative"]},
        "container": {"container": "urn:li:container:c1"},
        "subTypes": {"typeNames": ["Table"]},
        "status": {"removed": True},
    }
    row = index_row(URN, aspects)
    assert row == {
        "urn": URN,
        "entity_type": "dataset",
        "platform": "sqlite",
        "qualified_name": "css-x.sis.eleves",
        "name": "eleves",
        "subtype": "Table",
        "organization": "css-x",
        "container_urn": "urn:li:container:c1",
        "domain_urn": "urn:li:domain:reussite-educative",
        "removed": True,
    }


def test_an_organization_container_names_its_organization():
    aspects = {
        "containerProperties": {"name": "CSS X", "customProperties": {"code": "css-x"}},
        "subTypes": {"typeNames": ["Organization"]},
    }
    row = index_row("urn:li:container:o", aspects)
    assert (row["organization"], row["name"]) == ("css-x", "CSS X")
