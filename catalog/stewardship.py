"""Stewardship: stewards document, classify and certify datasets; every edit is a new
version of a DataHub aspect with its actor and time.

Only a steward of the dataset's holder organization, or an administrator, may edit
(``roles.require``), and a refused edit writes nothing. Where each edit lives in the
metadata model is described in ``catalog.stewarded``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Literal

from datahub.metadata import schema_classes as dh
from pydantic import BaseModel

from catalog import pi_terms, stewarded
from catalog.aspect_json import aspect_to_json
from catalog.aspect_values import AspectWrite
from catalog.database import as_utc
from catalog.errors import CartableError
from catalog.glossary import BUSINESS_PREFIX
from catalog.json_text import canonical_json
from catalog.roles import Account, Action, require
from catalog.service import Catalog

OwnerType = Literal["TECHNICAL_OWNER", "BUSINESS_OWNER", "DATA_STEWARD"]
OWNER_TYPES: tuple[OwnerType, ...] = ("BUSINESS_OWNER", "TECHNICAL_OWNER", "DATA_STEWARD")
_PRINCIPAL = re.compile(r"^urn:li:(corpuser|corpGroup):[A-Za-z0-9._@-]+$")
_TAG = re.compile(r"^[\w .'-]{1,60}$")
MAX_DESCRIPTION = 5000
ASPECT_CLASSES: dict[str, Any] = {
    "editableDatasetProperties": dh.EditableDatasetPropertiesClass,
    "structuredProperties": dh.StructuredPropertiesClass,
    "ownership": dh.OwnershipClass,
    "domains": dh.DomainsClass,
    "globalTags": dh.GlobalTagsClass,
    "glossaryTerms": dh.GlossaryTermsClass,
}


class Owner(BaseModel):
    """An owner of a dataset: a person or group, and the role they hold for it."""

    urn: str
    type: OwnerType


class Change(BaseModel):
    """One version in a dataset's stewardship history."""

    aspect: str
    version: int
    actor: str
    time: datetime
    value: dict[str, Any]


class Stewardship:
    """The edits stewards make to a dataset, and their history."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # Edits -----------------------------------------------------------------------------

    def describe(
        self, account: Account, urn: str, *, french: str | None = None, english: str | None = None
    ) -> bool:
        """Set the description in French and/or English (None leaves a language as is)."""
        self._check(account, "edit_metadata", urn)
        writes = []
        if french is not None:
            editable = self._aspect(urn, "editableDatasetProperties")
            editable["description"] = _text(french)
            writes.append(("editableDatasetProperties", editable))
        if english is not None:
            writes.append(
                (
                    "structuredProperties",
                    self._with_property(urn, stewarded.DESCRIPTION_EN, _text(english)),
                )
            )
        return self._write(account, urn, writes)

    def set_owners(self, account: Account, urn: str, owners: list[Owner]) -> bool:
        """Replace the dataset's owners and stewards."""
        self._check(account, "edit_metadata", urn)
        for owner in owners:
            if not _PRINCIPAL.match(owner.urn):
                raise CartableError(f"not a person or group URN: {owner.urn}")
        unique = {(o.urn, o.type): o for o in owners}
        value = {
            "owners": [{"owner": o.urn, "type": o.type} for o in unique.values()],
            "ownerTypes": {},
            "lastModified": self._stamp(account),
        }
        return self._write(account, urn, [("ownership", value)])

    def set_domain(self, account: Account, urn: str, domain_urn: str | None) -> bool:
        """Put the dataset in a domain of the catalogue (None: no domain)."""
        self._check(account, "edit_metadata", urn)
        if domain_urn is not None and domain_urn not in self._known("domain"):
            raise CartableError(f"unknown domain {domain_urn}")
        return self._write(
            account, urn, [("domains", {"domains": [domain_urn] if domain_urn else []})]
        )

    def set_terms(self, account: Account, urn: str, term_urns: list[str]) -> bool:
        """Replace the dataset's business glossary terms (its sensitivity level stays)."""
        self._check(account, "edit_metadata", urn)
        known = self._known("glossaryTerm")
        for term in term_urns:
            if not term.startswith(BUSINESS_PREFIX) or term not in known:
                raise CartableError(f"unknown business glossary term {term}")
        current = self._aspect(urn, "glossaryTerms")
        kept = [t for t in current.get("terms", []) if not t["urn"].startswith(BUSINESS_PREFIX)]
        added = [{"urn": t, "actor": account.urn} for t in dict.fromkeys(term_urns)]
        value = {"terms": kept + added, "auditStamp": self._stamp(account)}
        return self._write(account, urn, [("glossaryTerms", value)])

    def set_tags(self, account: Account, urn: str, tags: list[str]) -> bool:
        """Replace the dataset's tags (free words; ``urn:li:tag:`` added)."""
        self._check(account, "edit_metadata", urn)
        urns = []
        for tag in tags:
            name = tag.removeprefix("urn:li:tag:").strip()
            if not _TAG.match(name):
                raise CartableError(f"bad tag {tag!r} (letters, digits, spaces, . ' - only)")
            urns.append(f"urn:li:tag:{name}")
        value = {"tags": [{"tag": t} for t in dict.fromkeys(urns)]}
        return self._write(account, urn, [("globalTags", value)])

    def set_sensitivity(self, account: Account, urn: str, level: str) -> bool:
        """Set the sensitivity level; a steward's level stands over what scans compute."""
        self._check(account, "edit_metadata", urn)
        if level not in pi_terms.SENSITIVITY_LEVELS:
            raise CartableError(
                f"unknown sensitivity level {level!r} "
                f"(levels: {', '.join(pi_terms.SENSITIVITY_LEVELS)})"
            )
        current = self._aspect(urn, "glossaryTerms")
        kept = [
            t
            for t in current.get("terms", [])
            if not t["urn"].startswith(pi_terms.SENSITIVITY_PREFIX)
        ]
        stamp = self._stamp(account)
        chosen = {
            "urn": pi_terms.SENSITIVITY_PREFIX + level,
            "actor": account.urn,
            "attribution": {
                "actor": account.urn,
                "source": pi_terms.STEWARD_SOURCE,
                "time": stamp["time"],
            },
        }
        value = {"terms": [*kept, chosen], "auditStamp": stamp}
        return self._write(account, urn, [("glossaryTerms", value)])

    def certify(self, account: Account, urn: str, certified: bool = True) -> bool:
        """Certify the dataset as trusted (or withdraw the certification)."""
        self._check(account, "certify", urn)
        value = self._with_property(urn, stewarded.CERTIFIED, "certified" if certified else None)
        return self._write(account, urn, [("structuredProperties", value)])

    # History ---------------------------------------------------------------------------

    def history(self, urn: str) -> list[Change]:
        """Every version of the aspects stewards edit, newest first."""
        self.catalog.entity(urn)
        changes = []
        for aspect in sorted(stewarded.EDITABLE_ASPECTS):
            for row in self.catalog.store.history(urn, aspect):
                changes.append(
                    Change(
                        aspect=aspect,
                        version=row["version"],
                        actor=row["createdby"],
                        time=as_utc(row["createdon"]),
                        value=json.loads(row["metadata"]),
                    )
                )
        return sorted(changes, key=lambda c: (c.time, c.version == 0), reverse=True)

    # Internals -------------------------------------------------------------------------

    def _check(self, account: Account, action: Action, urn: str) -> None:
        summary = self.catalog.entity(urn).summary
        if summary.entity_type != "dataset":
            raise CartableError(f"{urn} is not a dataset")
        require(account, action, summary.organization)

    def _aspect(self, urn: str, aspect: str) -> dict[str, Any]:
        stored = self.catalog.store.latest_aspect(urn, aspect)
        return json.loads(stored) if stored else {}

    def _with_property(self, urn: str, property_urn: str, value: str | None) -> dict[str, Any]:
        current = self._aspect(urn, "structuredProperties").get("properties", [])
        kept = [p for p in current if p["propertyUrn"] != property_urn]
        if value:
            kept.append({"propertyUrn": property_urn, "values": [{"string": value}]})
        return {"properties": sorted(kept, key=lambda p: p["propertyUrn"])}

    def _known(self, entity_type: str) -> set[str]:
        return {e.urn for e in self.catalog.entities(entity_type)}

    @staticmethod
    def _stamp(account: Account) -> dict[str, Any]:
        return {"time": int(datetime.now(UTC).timestamp() * 1000), "actor": account.urn}

    def _write(self, account: Account, urn: str, values: list[tuple[str, dict[str, Any]]]) -> bool:
        """Write the values as DataHub aspects (checked against DataHub's schema) in one
        transaction; whether anything changed."""
        writes = []
        for aspect, value in values:
            record = ASPECT_CLASSES[aspect].from_obj(value)
            if not record.validate():
                raise CartableError(f"invalid {aspect} for {urn}")
            stored = canonical_json(aspect_to_json(record))
            writes.append(AspectWrite(urn, aspect, stored, stewarded.EDIT_SYSTEM_METADATA))
        return self.catalog.write(writes, actor=account.urn).written > 0


def _text(value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > MAX_DESCRIPTION:
        raise CartableError(f"description too long ({len(cleaned)} > {MAX_DESCRIPTION} characters)")
    return cleaned
