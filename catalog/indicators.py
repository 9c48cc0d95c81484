"""Governance indicators: how much of the catalogue is documented, owned, certified and
classified, overall and by organization or domain.

``dataset_flags`` reads one row of facts per live dataset from the search index;
``indicators`` (pure) turns rows into shares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select

from catalog.service import Catalog
from catalog.tables import entity_index, search_documents
from catalog.trust import TrustFacts

INDICATORS = ("documented", "owned", "certified", "classified")
GroupBy = Literal["organization", "domain"]


class DatasetFlags(BaseModel):
    """The governance facts of one dataset."""

    urn: str
    organization: str
    domain: str  # URN, or — for none
    documented: bool  # a description and most columns described
    owned: bool  # an owner and a steward named
    certified: bool
    classified: bool  # personal information scanned and reviewed


class Indicator(BaseModel):
    """Shares (0–1) of one group's datasets, and how many datasets it holds."""

    group: str
    datasets: int
    documented: float
    owned: float
    certified: float
    classified: float


def flags_of(
    urn: str, organization: str | None, domain: str | None, facts: TrustFacts
) -> DatasetFlags:
    """The indicator flags a dataset's trust facts give."""
    return DatasetFlags(
        urn=urn,
        organization=organization or "—",
        domain=domain or "—",
        documented=facts.described and facts.columns_documented,
        owned=facts.owner and facts.steward,
        certified=facts.certified,
        classified=facts.pii_reviewed,
    )


def dataset_flags(catalog: Catalog) -> list[DatasetFlags]:
    """One row of flags per dataset in the search index."""
    query = select(
        search_documents.c.urn,
        search_documents.c.trust_facts,
        entity_index.c.organization,
        entity_index.c.domain_urn,
    ).join(entity_index, entity_index.c.urn == search_documents.c.urn)
    with catalog.database.read() as conn:
        rows = conn.execute(query).all()
    return [
        flags_of(urn, organization, domain, TrustFacts.model_validate_json(facts))
        for urn, facts, organization, domain in rows
    ]


def indicators(rows: Iterable[DatasetFlags], by: GroupBy | None = None) -> list[Indicator]:
    """The shares for all rows (``by`` None: one group ``all``) or per group, by name."""
    groups: dict[str, list[DatasetFlags]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, by) if by else "all"].append(row)
    found = []
    for group, members in sorted(groups.items()):
        count = len(members)
        shares = {name: sum(getattr(m, name) for m in members) / count for name in INDICATORS}
        found.append(Indicator(group=group, datasets=count, **shares))
    return found
