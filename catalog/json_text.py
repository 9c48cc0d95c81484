"""Canonical JSON text: how every aspect is stored and what digests and the journal hash.

Sorted keys, no spaces, non-ASCII as is, so that equal values are equal text. orjson
encodes and parses several times faster than the standard library (encoding is most of an
ingestion's cost after DataHub's own objects).
"""

from __future__ import annotations

from typing import Any

import orjson

# only JSON's own types: a date or a dataclass is refused (TypeError), as the standard
# library refuses it, rather than turned into text that would not read back as itself
_CANONICAL = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)

_IN_ORDER = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no spaces, non-ASCII as is; TypeError for other types."""
    return orjson.dumps(obj, option=_CANONICAL).decode()


def sorted_json(obj: Any) -> str:
    """``canonical_json`` of a value whose keys are already in order in every object
    (``aspect_to_json`` builds them so): sorting them again took a fifth of the time of
    writing a 20-column schema. A key that is not a plain string (an enumeration's member,
    a number) is left to ``canonical_json``, which turns it into text and sorts."""
    try:
        return orjson.dumps(obj, option=_IN_ORDER).decode()
    except TypeError:
        return canonical_json(obj)


def parse_json(text: str | bytes) -> Any:
    """A stored JSON value back as Python objects."""
    return orjson.loads(text)
