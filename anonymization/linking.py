"""What else in the catalogue could link an extract's records to people (correlation).

Two ways: the quasi-identifiers other datasets hold too (the same personal-information
term anywhere in the catalogue, or the same column name in a dataset of the same
organization: whoever holds those can re-link a record unique on them), and pseudonyms made
with the same key as other extracts (they join by design).
"""

from __future__ import annotations

import json

from anonymization.extract_plan import ExtractPlan
from anonymization.extract_record import PROPERTY_PREFIX
from anonymization.source_columns import LINEAGE_MARKS
from catalog import pi_terms
from catalog.service import Catalog


def extracts_with_key(catalog: Catalog, fingerprint: str, *, exclude: str) -> list[str]:
    """The other extracts made with the key of ``fingerprint``."""
    wanted = PROPERTY_PREFIX + "keyFingerprint"
    found = []
    for urn, stored in catalog.store.latest_of("datasetProperties"):
        if urn == exclude or fingerprint not in stored:
            continue
        if json.loads(stored).get("customProperties", {}).get(wanted) == fingerprint:
            found.append(urn)
    return sorted(found)


def _datasets_with_terms(catalog: Catalog, terms: set[str], exclude: str) -> set[str]:
    """Which of ``terms`` some other dataset's fields carry."""
    held: set[str] = set()
    urns = {term: pi_terms.PREFIX + term for term in terms}
    for urn, stored in catalog.store.latest_of("editableSchemaMetadata"):
        if urn == exclude:
            continue
        held.update(term for term, term_urn in urns.items() if f'"{term_urn}"' in stored)
        if held == terms:
            break
    return held


def _columns_nearby(catalog: Catalog, source: str, names: set[str]) -> set[str]:
    """Which of ``names`` a dataset of the source's organization also has as a column."""
    organization = catalog.entity(source).summary.organization
    found: set[str] = set()
    if organization is None:
        return found
    for summary in catalog.entities("dataset", organization=organization):
        if summary.urn == source:
            continue
        stored = catalog.store.latest_aspect(summary.urn, "schemaMetadata")
        if stored:
            fields = {f["fieldPath"] for f in json.loads(stored).get("fields", [])}
            found |= names & fields
    return found


def held_elsewhere(catalog: Catalog, source: str, plan: ExtractPlan) -> list[str]:
    """The extract's quasi-identifiers that other datasets of the catalogue also hold."""
    by_name = {c.name: c for c in plan.columns}
    terms_of = {
        name: {t for t in by_name[name].terms if t not in LINEAGE_MARKS}
        for name in plan.quasi_identifiers
    }
    wanted = set().union(*terms_of.values()) if terms_of else set()
    held_terms = _datasets_with_terms(catalog, wanted, source) if wanted else set()
    nearby = _columns_nearby(catalog, source, set(plan.quasi_identifiers))
    return [
        name for name in plan.quasi_identifiers if terms_of[name] & held_terms or name in nearby
    ]
