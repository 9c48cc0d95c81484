"""A small synthetic network of datasets, written through the real catalogue store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
from datahub.metadata import schema_classes as dh

from catalog.accounts import AccountStore
from catalog.glossary import glossary_writes
from catalog.records import aspect_writes
from catalog.roles import Account
from catalog.service import Catalog

# name: (organization, description, columns)
DATASETS = {
    "sis.eleves_hdaa": (
        "css-a",
        "Élèves handicapés ou en difficulté d'adaptation ou d'apprentissage",
        ["code_permanent", "code_difficulte", "date_plan"],
    ),
    "sis.eleves": ("css-a", "Élèves inscrits à l'école", ["code_permanent", "nom", "prenom"]),
    "sis.eleves_b": ("css-b", "Élèves inscrits à l'école", ["code_permanent", "nom", "prenom"]),
    "immeubles.batiments": (
        "css-a",
        "Bâtiments et leur état",
        ["no_batiment", "indice_vetuste", "annee_construction"],
    ),
    "sis.students": ("cs-c", "Students enrolled in the board's schools", ["student_id", "grade"]),
    "declarations.declaration_clientele": (
        "meq",
        "Déclaration de clientèle transmise par les organismes",
        ["organisme", "nombre_eleves"],
    ),
    "rh.employes": ("css-a", "Personnel et corps d'emploi", ["matricule", "nas", "corps_emploi"]),
    "finances.budget_ecoles": ("css-a", "Budget de fonctionnement par école", ["ecole", "montant"]),
}
DOMAIN = "urn:li:domain:reussite"
STEWARD_PASSWORD = "correct horse battery"


def dataset_urn(name: str) -> str:
    organization = DATASETS[name][0]
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{organization}.{name},PROD)"


def _proposals(name: str) -> list[MCPW]:
    organization, description, columns = DATASETS[name]
    urn = dataset_urn(name)
    fields = [
        dh.SchemaFieldClass(
            fieldPath=column,
            type=dh.SchemaFieldDataTypeClass(type=dh.StringTypeClass()),
            nativeDataType="TEXT",
        )
        for column in columns
    ]
    return [
        MCPW(entityUrn=urn, aspect=dh.StatusClass(removed=False)),
        MCPW(
            entityUrn=urn,
            aspect=dh.DatasetPropertiesClass(name=name.split(".")[-1], description=description),
        ),
        MCPW(
            entityUrn=urn,
            aspect=dh.SchemaMetadataClass(
                schemaName=name,
                platform="urn:li:dataPlatform:sqlite",
                version=0,
                hash="",
                platformSchema=dh.OtherSchemaClass(rawSchema=""),
                fields=fields,
            ),
        ),
        MCPW(
            entityUrn=urn,
            aspect=dh.DataPlatformInstanceClass(
                platform="urn:li:dataPlatform:sqlite",
                instance=f"urn:li:dataPlatformInstance:(urn:li:dataPlatform:sqlite,{organization})",
            ),
        ),
    ]


def write_network(catalog: Catalog, run_id: str | None = "ingest-1") -> None:
    """Every dataset, as an ingestion run writes it; the glossary and a domain."""
    writes = glossary_writes()
    domain = MCPW(entityUrn=DOMAIN, aspect=dh.DomainPropertiesClass(name="Réussite éducative"))
    writes += aspect_writes(domain)
    catalog.write(writes, actor="urn:li:corpuser:cartable")
    dataset_writes = [w for name in DATASETS for p in _proposals(name) for w in aspect_writes(p)]
    catalog.write(dataset_writes, actor="urn:li:corpuser:datahub", run_id=run_id)


ACCOUNTS = {
    username: Account(
        username=username, display_name=username.title(), roles=roles, organizations=orgs
    )
    for username, roles, orgs in (
        ("analyste", ["analyst"], ["css-a"]),
        ("intendant_a", ["data_steward"], ["css-a"]),
        ("intendant_b", ["data_steward"], ["css-b"]),
        ("rprp", ["privacy_officer"], ["css-a"]),
        ("ethique", ["ethics_member"], ["css-a"]),
        ("admin", ["admin"], []),
    )
}


@pytest.fixture
def network_catalog(any_catalog_url: str) -> Iterator[Catalog]:
    """The synthetic network on each backend."""
    catalog = Catalog.open(any_catalog_url)
    write_network(catalog)
    yield catalog
    catalog.close()


def store_accounts(catalog: Catalog) -> None:
    """Save ACCOUNTS in the catalogue (for the command line, which signs in by name)."""
    store = AccountStore(catalog)
    for account in ACCOUNTS.values():
        store.add(account, STEWARD_PASSWORD)


@pytest.fixture
def sqlite_network_catalog(tmp_path) -> Iterator[Catalog]:
    """The synthetic network on SQLite only (for the many-case tests)."""
    catalog = Catalog.open(f"sqlite:///{tmp_path / 'catalog.db'}")
    write_network(catalog)
    yield catalog
    catalog.close()
