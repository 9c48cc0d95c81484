"""How detection and steward review write to the catalogue, in one place.

A finding is a DataHub glossary term on a field of ``editableSchemaMetadata``, attributed to
detection (``SCAN_SOURCE``) while it waits for review and to review (``REVIEW_SOURCE``) once a
steward accepted it; its ``sourceDetail`` holds the confidence, the evidence counts and the
evidence a decision is taken on — never a value. The dataset's sensitivity level is a
glossary term on the dataset, rolled up from the personal-information terms of its fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh

from anonymization.classify import ColumnFinding
from anonymization.review_rules import Evidence, evidence_of
from anonymization.sensitivity import sensitivity_level
from catalog import pi_terms
from catalog.aspect_values import AspectWrite
from catalog.field_terms import field_term_associations
from catalog.records import aspect_writes
from catalog.service import Catalog

SCAN_ACTOR = "urn:li:corpuser:cartable-pii-scan"


def detection_term(finding: ColumnFinding, now: int) -> dh.GlossaryTermAssociationClass:
    """A finding as a term association awaiting review."""
    values = finding.evidence
    detail = {
        "confidence": f"{finding.confidence:.3f}",
        "entities": ",".join(finding.entities),
        "nameTerm": finding.name_term or "",
        "sampled": str(values.sampled),
        "matched": json.dumps(values.matched or values.text_entities, sort_keys=True),
        "evidence": evidence_of(finding).model_dump_json(),
    }
    return dh.GlossaryTermAssociationClass(
        urn=pi_terms.term_urn(str(finding.term)),
        actor=SCAN_ACTOR,
        context="detected",
        attribution=dh.MetadataAttributionClass(
            time=now, actor=SCAN_ACTOR, source=pi_terms.SCAN_SOURCE, sourceDetail=detail
        ),
    )


def accepted_term(
    detected: Mapping[str, Any], reviewer: str, now: int
) -> dh.GlossaryTermAssociationClass:
    """The association a steward's acceptance leaves on the field (the detection's detail
    kept, so that the evidence stays visible)."""
    detail = dict((detected.get("attribution") or {}).get("sourceDetail") or {})
    return dh.GlossaryTermAssociationClass(
        urn=detected["urn"],
        actor=reviewer,
        context="accepted",
        attribution=dh.MetadataAttributionClass(
            time=now, actor=reviewer, source=pi_terms.REVIEW_SOURCE, sourceDetail=detail
        ),
    )


def term_evidence(association: Mapping[str, Any]) -> Evidence | None:
    """The evidence recorded with a detection or an accepted finding."""
    detail = (association.get("attribution") or {}).get("sourceDetail") or {}
    return Evidence.model_validate_json(detail["evidence"]) if "evidence" in detail else None


def personal_terms(editable: Mapping[str, Any] | None) -> set[str]:
    """The personal-information term ids on the fields (detected, accepted or set by a
    steward; lineage marks excluded: each source of a derived column is rolled up where
    it is)."""
    found = set()
    for _path, association in field_term_associations(editable or {}):
        urn = association["urn"]
        if urn.startswith(pi_terms.PREFIX) and not pi_terms.is_propagated(association):
            found.add(urn.removeprefix(pi_terms.PREFIX))
    return found


def dataset_writes(
    catalog: Catalog, urn: str, editable: dh.EditableSchemaMetadataClass, stamp: dh.AuditStampClass
) -> tuple[list[AspectWrite], str]:
    """The field terms and the sensitivity level they give the dataset, as writes; and
    that level. A level a steward chose stands: only the field terms are written."""
    level = sensitivity_level(personal_terms(editable.to_obj()))
    stored = catalog.store.latest_aspect(urn, "glossaryTerms")
    terms = (
        dh.GlossaryTermsClass.from_obj(json.loads(stored))
        if stored
        else dh.GlossaryTermsClass(terms=[], auditStamp=stamp)
    )
    proposals = [MetadataChangeProposalWrapper(entityUrn=urn, aspect=editable)]
    chosen = next(
        (
            t.urn.removeprefix(pi_terms.SENSITIVITY_PREFIX)
            for t in terms.terms
            if t.urn.startswith(pi_terms.SENSITIVITY_PREFIX)
            and t.attribution is not None
            and t.attribution.source == pi_terms.STEWARD_SOURCE
        ),
        None,
    )
    if chosen is None:
        kept = [t for t in terms.terms if not t.urn.startswith(pi_terms.SENSITIVITY_PREFIX)]
        terms.terms = [
            *kept,
            dh.GlossaryTermAssociationClass(
                urn=pi_terms.SENSITIVITY_PREFIX + level, actor=stamp.actor
            ),
        ]
        terms.auditStamp = stamp
        proposals.append(MetadataChangeProposalWrapper(entityUrn=urn, aspect=terms))
    return [w for proposal in proposals for w in aspect_writes(proposal)], chosen or level


def sensitivity_of(catalog: Catalog, urn: str) -> str | None:
    """The sensitivity level recorded on a dataset (None before its first scan)."""
    stored = catalog.store.latest_aspect(urn, "glossaryTerms")
    return pi_terms.sensitivity_in(json.loads(stored) if stored else None)
