"""The facts behind the scoring floors, read from the request and the catalogue.

- identifiable minors to an external recipient: identifiable data (an access request that
  asks for it, or an AI system's data) about students, going to someone outside the holder;
- a decision based solely on automated processing (art. 65.2);
- HDAA or health data: a requested column (or dataset) carries the ``special_needs`` or
  ``health`` personal-information term;
- linkage: two or more requested datasets that each identify people (an identifier term),
  so their records can be joined about the same people.
"""

from __future__ import annotations

from catalog import pi_terms
from catalog.service import Catalog
from ethics_review.models import AiSystem, DatasetAccess, DatasetScope, ReviewRequest
from ethics_review.scoring import FloorFacts

SENSITIVE = frozenset({"special_needs", "health"})
STUDENT_IDENTIFIERS = frozenset({"code_permanent", "file_number"})


def _terms(catalog: Catalog, scope: DatasetScope) -> set[str]:
    """The personal-information term ids of the scope's columns (all columns if none named)."""
    found = set()
    for path, associations in catalog.field_terms(scope.urn).items():
        if scope.columns and path not in scope.columns:
            continue
        found |= {
            a["urn"].removeprefix(pi_terms.PREFIX)
            for a in associations
            if a["urn"].startswith(pi_terms.PREFIX)
        }
    return found


def floor_facts(catalog: Catalog, request: ReviewRequest) -> FloorFacts:
    """The floors that hold for ``request`` given what the catalogue knows of its datasets."""
    terms = {scope.urn: _terms(catalog, scope) for scope in request.datasets()}
    everything = set().union(*terms.values()) if terms else set()
    identifying = [urn for urn, found in terms.items() if any(map(_identifies, found))]
    body = request.body
    external = any(r.external for r in body.recipients)
    if isinstance(body, DatasetAccess):
        identifiable = body.identifiable
        about_students = bool(everything & STUDENT_IDENTIFIERS)
    else:
        assert isinstance(body, AiSystem)
        identifiable = bool(identifying)
        about_students = "minors" in body.affected or bool(everything & STUDENT_IDENTIFIERS)
    return FloorFacts(
        identifiable_minors_external=identifiable and about_students and external,
        solely_automated=isinstance(body, AiSystem) and body.automation == "solely_automated",
        hdaa_or_health=bool(everything & SENSITIVE),
        linkage=len(identifying) >= 2,
    )


def _identifies(term: str) -> bool:
    return pi_terms.is_identifier(pi_terms.PREFIX + term)
