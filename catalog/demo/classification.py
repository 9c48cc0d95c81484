"""The demo stewards' classification of personal information, recorded in the catalogue.

In the demo network, the source systems' personal-information columns come classified (as
stewards would have reviewed them), so that lineage propagation and the UI have something to
show before any detection runs. ``classification.yml`` is the list.
"""

from __future__ import annotations

import time
from importlib import resources

import yaml
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh

from catalog import pi_terms
from catalog.field_terms import with_field_terms
from catalog.records import aspect_writes
from catalog.service import Catalog

DEMO_STEWARD = "urn:li:corpuser:intendance-demo"


def demo_classification() -> dict[str, dict[str, str]]:
    """``<database>.<table>`` → column → term id."""
    text = (resources.files("catalog.demo") / "classification.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def record_demo_classification(catalog: Catalog) -> int:
    """Put the demo classification on every matching dataset; return the aspects written."""
    classification = demo_classification()
    now = int(time.time() * 1000)
    stamp = dh.AuditStampClass(time=now, actor=DEMO_STEWARD)
    proposals = []
    for dataset in catalog.entities("dataset", platform="sqlite"):
        key = ".".join((dataset.qualified_name or "").split(".")[-2:])
        columns = classification.get(key)
        if not columns:
            continue
        changes = {
            column: [
                dh.GlossaryTermAssociationClass(urn=pi_terms.term_urn(term), actor=DEMO_STEWARD)
            ]
            for column, term in columns.items()
        }
        aspect = with_field_terms(
            catalog.store.latest_aspect(dataset.urn, "editableSchemaMetadata"),
            changes,
            keep=lambda a: a["urn"] not in pi_terms.BY_URN or pi_terms.is_propagated(a),
            stamp=stamp,
        )
        proposals.append(MetadataChangeProposalWrapper(entityUrn=dataset.urn, aspect=aspect))
    writes = [w for proposal in proposals for w in aspect_writes(proposal)]
    return catalog.write(writes, actor=DEMO_STEWARD).written
