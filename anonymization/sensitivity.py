"""A dataset's sensitivity level, rolled up from the terms of its columns (pure).

>>> sensitivity_level({"code_permanent", "person_name"})
'confidentiel'
>>> sensitivity_level({"person_name", "special_needs"})
'restreint'
>>> sensitivity_level(set())
'interne'
"""

from __future__ import annotations

# Health, disability (HDAA) and social insurance numbers: Restreint.
RESTRICTED_TERMS = frozenset({"health", "special_needs", "sin", "ramq_number"})
# What makes nothing personal: aggregates alone keep a dataset Interne (small cells are the
# extract's business, not the catalogue's).
NOT_PERSONAL_TERMS = frozenset({"aggregate"})


def sensitivity_level(terms: set[str]) -> str:
    """``restreint``, ``confidentiel`` or ``interne`` (``public`` is a steward's decision)."""
    if terms & RESTRICTED_TERMS:
        return "restreint"
    if terms - NOT_PERSONAL_TERMS:
        return "confidentiel"
    return "interne"
