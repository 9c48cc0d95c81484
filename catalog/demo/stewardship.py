"""The demo's stewardship: descriptions, owners, terms, tags and certifications that the
demo's steward has recorded (``stewardship.yml``), applied through the stewardship service
as that steward, so the demo's catalogue has a history and trust scores to show."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from catalog.glossary import BUSINESS_PREFIX
from catalog.roles import Account
from catalog.service import Catalog
from catalog.stewardship import Owner, Stewardship

STEWARDSHIP_FILE = Path(__file__).with_name("stewardship.yml")


class TableDocumentation(BaseModel):
    """What the stewards recorded for every copy of one table."""

    fr: str
    en: str
    terms: list[str] = Field(default_factory=list)
    owner: str
    tags: list[str] = Field(default_factory=list)
    certified: list[str] = Field(default_factory=list)  # organizations


def documentation() -> dict[str, TableDocumentation]:
    """The demo's documentation, by table name."""
    data = yaml.safe_load(STEWARDSHIP_FILE.read_text(encoding="utf-8"))
    return {name: TableDocumentation.model_validate(v) for name, v in data["tables"].items()}


def document_demo(catalog: Catalog, steward: Account) -> int:
    """Apply the documentation as ``steward``; how many datasets it touched."""
    service = Stewardship(catalog)
    tables = documentation()
    touched = 0
    for dataset in catalog.entities("dataset"):
        table = (dataset.qualified_name or "").rsplit(".", 1)[-1]
        found = tables.get(table)
        if found is None or dataset.organization not in steward.organizations:
            continue
        urn = dataset.urn
        service.describe(steward, urn, french=found.fr, english=found.en)
        service.set_owners(
            steward,
            urn,
            [
                Owner(urn=f"urn:li:corpuser:{found.owner}", type="BUSINESS_OWNER"),
                Owner(urn=steward.urn, type="DATA_STEWARD"),
            ],
        )
        service.set_terms(steward, urn, [BUSINESS_PREFIX + term for term in found.terms])
        if found.tags:
            service.set_tags(steward, urn, found.tags)
        if dataset.organization in found.certified:
            service.certify(steward, urn)
        touched += 1
    return touched
