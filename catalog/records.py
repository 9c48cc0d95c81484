"""DataHub records (MCE, MCP, MCPW) as aspect writes: one (urn, aspect, canonical JSON) each."""

from __future__ import annotations

import json
from collections.abc import Iterable

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.emitter.mcp_builder import mcps_from_mce
from datahub.metadata.schema_classes import (
    ChangeTypeClass,
    MetadataChangeEventClass,
    MetadataChangeProposalClass,
)

from catalog.aspect_json import aspect_to_json
from catalog.aspect_values import AspectWrite
from catalog.column_facts import column_facts
from catalog.errors import CartableError
from catalog.json_text import canonical_json, sorted_json

UPSERT_TYPES = {ChangeTypeClass.UPSERT, ChangeTypeClass.CREATE, ChangeTypeClass.CREATE_ENTITY}


class UnsupportedRecordError(CartableError):
    """A record the catalogue cannot store (a patch, a delete, a usage record)."""


def aspect_writes(
    record: object, *, keep_parsed: bool = True, with_facts: bool = False
) -> list[AspectWrite]:
    """The aspect writes a DataHub record carries; raise UnsupportedRecordError otherwise.

    ``keep_parsed``: each write keeps the dict its value was encoded from (which spares the
    store a parse when it writes in this process); ``with_facts``: a schemaMetadata write
    carries its ``column_facts`` (which spares a writer process parsing the schema)."""
    if isinstance(record, MetadataChangeEventClass):
        return [_from_wrapper(m, keep_parsed, with_facts) for m in mcps_from_mce(record)]
    if isinstance(record, MetadataChangeProposalWrapper):
        return [_from_wrapper(record, keep_parsed, with_facts)]
    if isinstance(record, MetadataChangeProposalClass):
        if record.changeType == ChangeTypeClass.PATCH and record.aspect is not None:
            return [_from_patch(record)]
        wrapper = MetadataChangeProposalWrapper.try_from_mcpc(record)
        if wrapper is None:
            raise UnsupportedRecordError(
                f"{record.changeType} of {record.aspectName} on {record.entityUrn} is not supported"
            )
        return [_from_wrapper(wrapper, keep_parsed, with_facts)]
    raise UnsupportedRecordError(f"records of type {type(record).__name__} are not supported")


def _from_wrapper(
    mcpw: MetadataChangeProposalWrapper, keep_parsed: bool, with_facts: bool
) -> AspectWrite:
    if mcpw.changeType not in UPSERT_TYPES or mcpw.aspect is None or mcpw.entityUrn is None:
        raise UnsupportedRecordError(
            f"{mcpw.changeType} of {mcpw.aspectName} on {mcpw.entityUrn} is not supported"
        )
    system = canonical_json(aspect_to_json(mcpw.systemMetadata)) if mcpw.systemMetadata else None
    parsed = aspect_to_json(mcpw.aspect)
    value = sorted_json(parsed)
    name = mcpw.aspect.get_aspect_name()
    facts = None
    if with_facts and name == "schemaMetadata":
        facts = column_facts({name: parsed})
    return AspectWrite(
        mcpw.entityUrn, name, value, system, False, parsed if keep_parsed else None, facts
    )


def _from_patch(mcpc: MetadataChangeProposalClass) -> AspectWrite:
    assert mcpc.aspect is not None and mcpc.aspectName and mcpc.entityUrn
    raw = mcpc.aspect.value
    operations = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    if not isinstance(operations, list):
        raise UnsupportedRecordError(f"patch of {mcpc.aspectName} is not a JSON Patch list")
    system = canonical_json(mcpc.systemMetadata.to_obj()) if mcpc.systemMetadata else None
    return AspectWrite(mcpc.entityUrn, mcpc.aspectName, canonical_json(operations), system, True)


def wrappers_from_rows(
    rows: Iterable[tuple[str, str, str, str | None]],
) -> Iterable[MetadataChangeProposalWrapper]:
    """Stored (urn, aspect, metadata, systemmetadata) rows back as DataHub MCPWs."""
    from datahub.metadata.schema_classes import ASPECT_NAME_MAP, SystemMetadataClass

    for urn, aspect, metadata, system in rows:
        aspect_class = ASPECT_NAME_MAP.get(aspect)
        if aspect_class is None:
            continue
        yield MetadataChangeProposalWrapper(
            entityUrn=urn,
            aspect=aspect_class.from_obj(json.loads(metadata)),
            systemMetadata=SystemMetadataClass.from_obj(json.loads(system)) if system else None,
        )
