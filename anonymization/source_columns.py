"""A dataset's columns as an extract sees them: the kinds of their values and their
personal-information terms, from the catalogue (and, when reading, from the source).

Terms are ordered so that a column's own term decides its rule: identifiers first, then the
other terms, lineage marks (``derived``, ``aggregate``) last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from anonymization.extract_plan import SourceColumn
from anonymization.operators import ValueKind
from catalog import pi_terms
from catalog.service import Catalog

LINEAGE_MARKS = ("derived", "aggregate")

NATIVE_KINDS = (
    ("BOOL", "boolean"),
    ("INT", "integer"),
    ("REAL", "float"),
    ("FLOAT", "float"),
    ("DOUBLE", "float"),
    ("NUMERIC", "float"),
    ("DECIMAL", "float"),
    ("MONEY", "float"),
    ("TIMESTAMP", "datetime"),
    ("DATETIME", "datetime"),
    ("DATE", "date"),
)
DATAHUB_KINDS = {
    "NumberType": "float",
    "BooleanType": "boolean",
    "DateType": "date",
    "TimeType": "datetime",
}


def field_kind(field: Mapping[str, Any]) -> ValueKind:
    """The kind of a catalogue schema field's values, from its native type, else its
    DataHub type.

    >>> field_kind({"nativeDataType": "INTEGER"}), field_kind({"nativeDataType": "VARCHAR(12)"})
    ('integer', 'string')
    """
    native = str(field.get("nativeDataType") or "").upper()
    for word, kind in NATIVE_KINDS:
        if word in native:
            return kind
    for name in (field.get("type") or {}).get("type") or {}:
        typed = DATAHUB_KINDS.get(str(name).rsplit(".", 1)[-1])
        if typed:
            return typed
    return "string"


def _term_order(term: str) -> tuple[bool, bool, str]:
    return term in LINEAGE_MARKS, not pi_terms.is_identifier(pi_terms.PREFIX + term), term


def column_terms(catalog: Catalog, urn: str) -> dict[str, list[str]]:
    """The personal-information term ids on each column of a dataset, in deciding order."""
    return {
        path: sorted(
            {
                a["urn"].removeprefix(pi_terms.PREFIX)
                for a in associations
                if a["urn"].startswith(pi_terms.PREFIX)
            },
            key=_term_order,
        )
        for path, associations in catalog.field_terms(urn).items()
    }


def source_columns(
    catalog: Catalog, urn: str, kinds: Sequence[tuple[str, ValueKind]]
) -> list[SourceColumn]:
    """Columns (name and kind, as a reader gives them) with the catalogue's terms."""
    terms = column_terms(catalog, urn)
    return [SourceColumn(name=n, kind=k, terms=terms.get(n, [])) for n, k in kinds]


def catalogue_columns(catalog: Catalog, urn: str) -> list[SourceColumn]:
    """A dataset's columns as the catalogue describes them (nothing read from the source)."""
    stored = catalog.entity(urn).aspects.get("schemaMetadata", {}).get("fields", [])
    return source_columns(catalog, urn, [(str(f["fieldPath"]), field_kind(f)) for f in stored])
