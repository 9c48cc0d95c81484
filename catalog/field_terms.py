"""Glossary terms on the fields of a dataset, kept in DataHub's ``editableSchemaMetadata``.

Several writers share that aspect (stewards, detection, lineage propagation): each replaces
only the terms it owns (``keep`` says which to leave) and leaves descriptions and tags alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from datahub.utilities.urns.field_paths import get_simple_field_path_from_v2_field_path

if TYPE_CHECKING:  # imported when needed: the writer process reads terms without them
    from datahub.metadata import schema_classes as dh


def column_name(field_path: str) -> str:
    """A field's column as SQL names it: DataHub's simple path of a v2 field path
    (``[version=2.0].[type=int].age`` → ``age``; a nested one keeps its parents:
    ``adresse.ville``)."""
    if "[" not in field_path:
        return field_path
    return get_simple_field_path_from_v2_field_path(field_path)


def field_term_associations(aspect: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(field path, term association) of every field of ``schemaMetadata`` or
    ``editableSchemaMetadata`` (parsed JSON)."""
    found = []
    for field in aspect.get("fields") or aspect.get("editableSchemaFieldInfo") or []:
        terms = field.get("glossaryTerms")
        if terms:  # most fields have none: checked before anything is built
            found += [(field["fieldPath"], association) for association in terms.get("terms") or []]
    return found


def with_field_terms(
    stored: str | None,
    changes: Mapping[str, list[dh.GlossaryTermAssociationClass]],
    keep: Callable[[str, dict[str, Any]], bool],
    stamp: dh.AuditStampClass,
) -> dh.EditableSchemaMetadataClass:
    """``stored`` (canonical JSON or None) with every term ``keep(field path, association)``
    rejects removed and the ``changes`` (field path → terms) added."""
    from datahub.metadata import schema_classes as dh

    aspect = (
        dh.EditableSchemaMetadataClass.from_obj(json.loads(stored))
        if stored
        else dh.EditableSchemaMetadataClass(editableSchemaFieldInfo=[])
    )
    infos = {info.fieldPath: info for info in aspect.editableSchemaFieldInfo}
    for info in infos.values():
        if info.glossaryTerms:
            info.glossaryTerms.terms = [
                t for t in info.glossaryTerms.terms if keep(info.fieldPath, t.to_obj())
            ]
    for path, terms in sorted(changes.items()):
        info = infos.setdefault(path, dh.EditableSchemaFieldInfoClass(fieldPath=path))
        if info.glossaryTerms is None:
            info.glossaryTerms = dh.GlossaryTermsClass(terms=[], auditStamp=stamp)
        info.glossaryTerms.terms += terms
        info.glossaryTerms.auditStamp = stamp
    aspect.editableSchemaFieldInfo = [
        info
        for info in infos.values()
        if info.description
        or info.globalTags
        or (info.glossaryTerms is not None and info.glossaryTerms.terms)
    ]
    return aspect
