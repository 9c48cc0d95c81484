"""Aspect values as the store handles them: one write, and whether two values say the same.

Pure and free of DataHub's classes, so the writer process (``catalog.batch_writer``) starts
without loading them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from catalog.json_text import parse_json


class AspectWrite(NamedTuple):
    """One aspect value to store: canonical JSON, so equal values compare equal as text."""

    urn: str
    aspect: str
    value: str
    system_metadata: str | None
    patch: bool = False  # value is a JSON Patch to apply to the latest value
    parsed: Any = None  # value as the dict it was encoded from, when at hand (saves a parse)
    # a schemaMetadata's column_facts (without a steward's edits), computed where it was
    # encoded for a writer process: the search index need not parse the schema
    facts: Any = None


class LatestValues:
    """The latest value of every aspect of a batch's entities, each parsed once, when first
    asked for (the entity index and the search index read some of the same aspects)."""

    def __init__(
        self, texts: Iterable[tuple[tuple[str, str], str]], writes: Iterable[AspectWrite]
    ) -> None:
        self._texts: dict[str, dict[str, str]] = {}
        for (urn, aspect), text in texts:
            self._texts.setdefault(urn, {})[aspect] = text
        # a value the batch wrote as it was encoded spares a parse, its facts another
        self._parsed = {}
        self._facts = {}
        for w in writes:
            if self._texts.get(w.urn, {}).get(w.aspect) is not w.value:
                continue  # a later write or a patch changed it
            if w.parsed is not None:
                self._parsed[(w.urn, w.aspect)] = w.parsed
            if w.facts is not None:
                self._facts[w.urn] = w.facts

    def column_facts(self, urn: str) -> Any:
        """The column facts computed where ``urn``'s latest schemaMetadata was encoded, or
        None (none sent, or a steward's edits of the columns count too)."""
        if "editableSchemaMetadata" in self._texts.get(urn, {}):
            return None
        return self._facts.get(urn)

    def of(self, urn: str, aspects: Collection[str], *, keep: bool = True) -> dict[str, Any]:
        """The latest values of ``urn``'s aspects named in ``aspects`` (parsed JSON; not to
        be modified: they are shared). ``keep=False``: the last reader, whose parses are not
        kept for another (a batch's parsed values all alive at once made every parse and
        allocation slower)."""
        found = {}
        for aspect, text in self._texts.get(urn, {}).items():
            if aspect in aspects:
                value = self._parsed.get((urn, aspect))
                if value is None:
                    value = parse_json(text)
                    if keep:
                        self._parsed[(urn, aspect)] = value
                found[aspect] = value
        return found


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
