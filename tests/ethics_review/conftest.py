"""A small real catalogue for the review: two datasets of one centre with personal
information on their columns, a dataset of another, accounts for every role."""

from datetime import UTC, datetime

import pytest
from datahub.emitter.mce_builder import make_data_platform_urn
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh

from catalog import pi_terms
from catalog.accounts import AccountStore
from catalog.records import aspect_writes
from catalog.roles import Account
from catalog.service import Catalog
from ethics_review.questionnaire import load_questionnaire
from ethics_review.scoring import points

ORG = "css-x"


def urn(name, org=ORG):
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{org}.{name},PROD)"


MART = urn("entrepot.mart_suivi_resultats")
PLANS = urn("hdaa.plans_intervention")
ELSEWHERE = urn("sis.eleves", "css-y")
# dataset: {column: personal-information term or None}
DATASETS = {
    MART: {"code_permanent": "code_permanent", "moyenne_generale": None, "niveau": None,
           "date_naissance": "birth_date"},
    PLANS: {"no_fiche": "file_number", "code_difficulte": "special_needs",
            "note_professionnelle": "free_text"},
    ELSEWHERE: {"code_permanent": "code_permanent", "nom": "person_name"},
}  # fmt: skip
PEOPLE = {
    "analyste": (["analyst"], [ORG]),
    "rprp": (["privacy_officer"], [ORG]),
    "delegue": (["privacy_officer"], [ORG]),
    "ethique1": (["ethics_member"], [ORG]),
    "ethique2": (["ethics_member"], [ORG]),
    "ethique3": (["ethics_member"], [ORG]),
    "intendance": (["data_steward"], [ORG]),
    "dg": (["admin"], []),
    "rprp-y": (["privacy_officer"], ["css-y"]),
}


def _aspects(dataset, columns):
    org = dataset.split(",")[1].split(".")[0]
    stamp = dh.AuditStampClass(time=0, actor="urn:li:corpuser:test")
    platform = make_data_platform_urn("sqlite")
    yield dh.DataPlatformInstanceClass(
        platform=platform, instance=f"urn:li:dataPlatformInstance:({platform},{org})"
    )
    yield dh.SchemaMetadataClass(
        schemaName="t", platform=platform, version=0, hash="",
        platformSchema=dh.OtherSchemaClass(rawSchema=""),
        fields=[
            dh.SchemaFieldClass(
                fieldPath=c, nativeDataType="TEXT",
                type=dh.SchemaFieldDataTypeClass(type=dh.StringTypeClass()),
            )
            for c in columns
        ],
    )  # fmt: skip
    yield dh.EditableSchemaMetadataClass(
        editableSchemaFieldInfo=[
            dh.EditableSchemaFieldInfoClass(
                fieldPath=c,
                glossaryTerms=dh.GlossaryTermsClass(
                    terms=[dh.GlossaryTermAssociationClass(urn=pi_terms.term_urn(t))],
                    auditStamp=stamp,
                ),
            )
            for c, t in columns.items()
            if t
        ],
        created=stamp,
    )


ACCOUNTS = {
    username: Account(username=username, display_name=username.title(), roles=roles,
                      organizations=organizations)
    for username, (roles, organizations) in PEOPLE.items()
}  # fmt: skip


def write_scene(catalog):
    """The datasets with their personal-information terms, and every account."""
    writes = [
        write
        for dataset, columns in DATASETS.items()
        for aspect in _aspects(dataset, columns)
        for write in aspect_writes(MetadataChangeProposalWrapper(entityUrn=dataset, aspect=aspect))
    ]
    catalog.write(writes, actor="urn:li:corpuser:test")
    store = AccountStore(catalog)
    for person in ACCOUNTS.values():
        store.add(person, "mot-de-passe-123")


@pytest.fixture
def review_catalog(any_catalog_url):
    catalog = Catalog.open(any_catalog_url)
    write_scene(catalog)
    yield catalog
    catalog.close()


def account(catalog, username):
    return AccountStore(catalog).get(username)


def answers(kind, low=True):
    """Complete answers to a shipped questionnaire: the least (or most) risky everywhere,
    the most (or least) mitigated."""
    chosen = {}
    for section in load_questionnaire(kind).sections:
        for question in section.questions:
            if question.answer == "text":
                chosen[question.id] = "Réponse détaillée."
                continue
            candidates = {
                "choice": [c.id for c in question.choices or []],
                "yes_no": ["yes", "no"],
                "number": [1, 100, 10_000, 1_000_000],
            }[question.answer]
            safest = (question.kind == "risk") == low
            pick = min if safest else max
            chosen[question.id] = pick(candidates, key=lambda a, q=question: points(q, a))
    return chosen


NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
