"""Where stewards' edits live in DataHub's metadata model, and how to read them back (pure).

- description in French: ``editableDatasetProperties.description`` (DataHub's own
  editable description, shown first in DataHub's UI); in English: the structured property
  ``io.cartable.descriptionEn``;
- certification: the structured property ``io.cartable.certified`` (value ``certified``);
  who certified and when is the aspect version's actor and time;
- owners and stewards: ``ownership``; domain: ``domains``; tags: ``globalTags``;
  business terms and the sensitivity level: ``glossaryTerms``.

Every edit is written with ``EDIT_SYSTEM_METADATA``, which marks the value as a steward's:
an ingestion run never overwrites it (a source or a transformer re-emitting a domain
would otherwise undo the steward's choice at the next run).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from catalog.json_text import canonical_json

PROPERTY_PREFIX = "urn:li:structuredProperty:"
CERTIFIED = PROPERTY_PREFIX + "io.cartable.certified"
DESCRIPTION_EN = PROPERTY_PREFIX + "io.cartable.descriptionEn"
EDIT_MARK = "cartable.edit"
EDIT_SYSTEM_METADATA = canonical_json({"properties": {EDIT_MARK: "stewardship"}})
EDITABLE_ASPECTS = frozenset(
    {
        "editableDatasetProperties",
        "structuredProperties",
        "ownership",
        "domains",
        "globalTags",
        "glossaryTerms",
    }
)


def is_edit(system_metadata: str | None) -> bool:
    """Whether a stored value was written by a steward's edit."""
    return bool(system_metadata) and EDIT_MARK in json.loads(system_metadata or "{}").get(
        "properties", {}
    )


def property_values(aspects: Mapping[str, Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Structured property URN → its values (the union wrapper ``{"string": v}`` removed)."""
    found = {}
    for assignment in aspects.get("structuredProperties", {}).get("properties", []):
        values = [
            next(iter(v.values())) if isinstance(v, dict) else v for v in assignment["values"]
        ]
        found[assignment["propertyUrn"]] = values
    return found


def is_certified(aspects: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether a steward certified the dataset."""
    return "certified" in property_values(aspects).get(CERTIFIED, [])


def descriptions(aspects: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """The description in French and in English; a steward's French description wins over
    the source's (the source's text stands for both languages until a steward writes one)."""
    source = aspects.get("datasetProperties", {}).get("description") or ""
    french = aspects.get("editableDatasetProperties", {}).get("description") or source
    english = next(iter(property_values(aspects).get(DESCRIPTION_EN, [])), "") or source
    return {"fr": str(french), "en": str(english)}
