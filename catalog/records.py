"""DataHub records (MCE, MCP, MCPW) as aspect writes: one (urn, aspect, canonical JSON) each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.emitter.mcp_builder import mcps_from_mce
from datahub.metadata.schema_classes import (
    ChangeTypeClass,
    MetadataChangeEventClass,
    MetadataChangeProposalClass,
)

from catalog.aspect_json import aspect_to_json
from catalog.errors import CartableError
from catalog.json_text import canonical_json, parse_json

UPSERT_TYPES = {ChangeTypeClass.UPSERT, ChangeTypeClass.CREATE, ChangeTypeClass.CREATE_ENTITY}


class UnsupportedRecordError(CartableError):
    """A record the catalogue cannot store (a patch, a delete, a usage record)."""


class AspectWrite(NamedTuple):
    """One aspect value to store: canonical JSON, so equal values compare equal as text."""

    urn: str
    aspect: str
    value: str
    system_metadata: str | None
    patch: bool = False  # value is a JSON Patch to apply to the latest value
    parsed: Any = None  # value as the dict it was encoded from, when at hand (saves a parse)


def aspect_writes(record: object) -> list[AspectWrite]:
    """The aspect writes a DataHub record carries; raise UnsupportedRecordError otherwise."""
    if isinstance(record, MetadataChangeEventClass):
        return [_from_wrapper(mcpw) for mcpw in mcps_from_mce(record)]
    if isinstance(record, MetadataChangeProposalWrapper):
        return [_from_wrapper(record)]
    if isinstance(record, MetadataChangeProposalClass):
        if record.changeType == ChangeTypeClass.PATCH and record.aspect is not None:
            return [_from_patch(record)]
        wrapper = MetadataChangeProposalWrapper.try_from_mcpc(record)
        if wrapper is None:
            raise UnsupportedRecordError(
                f"{record.changeType} of {record.aspectName} on {record.entityUrn} is not supported"
            )
        return [_from_wrapper(wrapper)]
    raise UnsupportedRecordError(f"records of type {type(record).__name__} are not supported")


def _from_wrapper(mcpw: MetadataChangeProposalWrapper) -> AspectWrite:
    if mcpw.changeType not in UPSERT_TYPES or mcpw.aspect is None or mcpw.entityUrn is None:
        raise UnsupportedRecordError(
            f"{mcpw.changeType} of {mcpw.aspectName} on {mcpw.entityUrn} is not supported"
        )
    system = canonical_json(aspect_to_json(mcpw.systemMetadata)) if mcpw.systemMetadata else None
    parsed = aspect_to_json(mcpw.aspect)
    value = canonical_json(parsed)
    return AspectWrite(mcpw.entityUrn, mcpw.aspect.get_aspect_name(), value, system, False, parsed)


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


_AUDIT_STAMP_KEYS = frozenset({"time", "actor", "impersonator", "message"})
# DataHub's MetadataAttribution (who put a term or tag there, when, from what) is stamped too.
_ATTRIBUTION_KEYS = frozenset({"time", "actor", "source", "sourceDetail"})
# When, and by which run, a timeseries aspect was observed.
_OBSERVATION_KEYS = ("timestampMillis", "runId")


def _content(value: Any) -> Any:
    """A value without the times of its audit stamps: what says when, not what."""
    if isinstance(value, dict):
        stamped = value.keys() <= _AUDIT_STAMP_KEYS or value.keys() <= _ATTRIBUTION_KEYS
        if "time" in value and "actor" in value and stamped:
            return {k: _content(v) for k, v in value.items() if k != "time"}
        return {k: _content(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_content(v) for v in value]
    return value


def same_content(aspect: str, stored: str, incoming: str) -> bool:
    """True when two canonical JSON values of an aspect differ only in audit times.

    Re-ingesting unchanged metadata must not add versions, but DataHub sources stamp some
    aspects (lineage, queries) with the time of the run, and timeseries aspects (operations,
    checkpoints) with the time they were observed.
    """
    if stored == incoming:
        return True
    old, new = parse_json(stored), parse_json(incoming)
    if _is_timeseries(aspect):
        for key in _OBSERVATION_KEYS:
            old.pop(key, None)
            new.pop(key, None)
    return bool(_content(old) == _content(new))


def _is_timeseries(aspect: str) -> bool:
    from datahub.metadata.schema_classes import ASPECT_NAME_MAP

    aspect_class = ASPECT_NAME_MAP.get(aspect)
    return aspect_class is not None and aspect_class.ASPECT_TYPE == "timeseries"
