"""A dataset as the search index holds it: folded text per field, facets, trust (pure).

Built from the dataset's latest aspects and the names of what they point to (domain,
organization, glossary terms, owners — each in French and English where known), which the
caller reads from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog import pi_terms, stewarded
from catalog.column_facts import ColumnFacts, column_facts
from catalog.entity_index import dataset_key, short_name
from catalog.search_text import fold, fold_repeated
from catalog.trust import TrustFacts, trust_facts

# field: weight in the ranking (a match in the name counts most)
FIELD_WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "description": 3.0,
    "columns": 1.5,
    "tags": 4.0,
    "terms": 4.0,
    "owners": 2.0,
    "domain": 3.0,
    "organization": 3.0,
}
FIELDS = tuple(FIELD_WEIGHTS)
# facets with one value per dataset (columns of the index) and with several (owners)
SINGLE_FACETS = ("domain", "organization", "platform", "sensitivity", "certified", "pii")
FACETS = (*SINGLE_FACETS, "owner")
Aspects = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class SearchDocument:
    """One dataset's row of the search index."""

    urn: str
    name: str
    description: str
    texts: dict[str, str]  # field → folded text
    facets: dict[str, str | None]  # SINGLE_FACETS → value
    owners: list[str]
    trust: TrustFacts
    downstream: bool  # another dataset names this one upstream


def referenced_urns(aspects: Aspects, columns: ColumnFacts | None = None) -> set[str]:
    """The URNs whose names the document needs: domain, container, terms, owners, tags
    (``columns``: ``column_facts(aspects)`` when the caller has it at hand)."""
    urns = set(aspects.get("domains", {}).get("domains", []))
    urns.update(o["owner"] for o in aspects.get("ownership", {}).get("owners", []))
    urns.update(t["urn"] for t in _dataset_terms(aspects))
    urns.update(a["urn"] for a in (columns or column_facts(aspects)).terms)
    urns.update(t["tag"] for t in aspects.get("globalTags", {}).get("tags", []))
    container = aspects.get("container", {}).get("container")
    if container:
        urns.add(container)
    return urns


def build_document(
    urn: str,
    aspects: Aspects,
    names: Mapping[str, Sequence[str]],
    *,
    organization: str | None,
    downstream: bool = False,
    columns: ColumnFacts | None = None,
) -> SearchDocument:
    """The index row of a dataset; ``names`` gives display names of referenced URNs
    (``columns``: ``column_facts(aspects)`` when the caller has it at hand)."""
    columns = columns or column_facts(aspects)
    platform, qualified, _env = dataset_key(urn)
    properties = aspects.get("datasetProperties", {})
    name = properties.get("name") or short_name(qualified)
    descriptions = stewarded.descriptions(aspects)

    def named(urns: Sequence[str]) -> str:
        return " ".join(" ".join(names.get(u) or [_last_part(u)]) for u in urns)

    owners = [o["owner"] for o in aspects.get("ownership", {}).get("owners", [])]
    domains = list(aspects.get("domains", {}).get("domains", []))
    tags = [t["tag"] for t in aspects.get("globalTags", {}).get("tags", [])]
    business_terms = [
        t["urn"] for t in _dataset_terms(aspects) if not t["urn"].startswith(pi_terms.PREFIX)
    ]
    column_terms = [a["urn"] for a in columns.terms]
    container = aspects.get("container", {}).get("container")
    texts = {
        "name": fold(f"{name} {qualified}"),
        "description": fold_repeated(f"{descriptions['fr']} {descriptions['en']}"),
        "columns": columns.text,
        "tags": fold_repeated(named(tags)),
        "terms": fold_repeated(named(list(dict.fromkeys(business_terms + column_terms)))),
        "owners": fold_repeated(named(owners)),
        "domain": fold_repeated(named(domains)),
        "organization": fold_repeated(
            f"{organization or ''} {named([container] if container else [])}"
        ),
    }
    trust = trust_facts(aspects, downstream=downstream, descriptions=descriptions, columns=columns)
    sensitivity = pi_terms.sensitivity_in(aspects.get("glossaryTerms"))
    personal = any(u.startswith(pi_terms.PREFIX) for u in column_terms)
    facets: dict[str, str | None] = {
        "domain": domains[0] if domains else None,
        "organization": organization,
        "platform": platform,
        "sensitivity": sensitivity,
        "certified": "true" if trust.certified else "false",
        "pii": "true" if personal else "false",
    }
    return SearchDocument(
        urn=urn,
        name=str(name),
        description=descriptions["fr"] or descriptions["en"],
        texts=texts,
        facets=facets,
        owners=list(dict.fromkeys(owners)),
        trust=trust,
        downstream=downstream,
    )


def _dataset_terms(aspects: Aspects) -> list[Mapping[str, Any]]:
    return list(aspects.get("glossaryTerms", {}).get("terms", []))


def _last_part(urn: str) -> str:
    """A readable fallback name: the URN's last part (``urn:li:tag:hdaa`` → ``hdaa``)."""
    return urn.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
