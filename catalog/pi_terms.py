"""The personal-information glossary: DataHub glossary terms put on schema fields.

Detection (``anonymization``) and stewards put the source terms on columns; lineage
propagation puts ``derived`` and ``aggregate`` on the columns computed from them. A term is
an *identifier* when it points to one person by itself (code permanent, NAS, a name…):
a table that carries a copy of one still describes one person per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

NODE_URN = "urn:li:glossaryNode:cartable.pi"
PREFIX = "urn:li:glossaryTerm:cartable.pi."
PROPAGATION_SOURCE = "urn:li:dataHubAction:cartable-propagation"


class PiTerm(NamedTuple):
    """One term of the hierarchy, in French and English."""

    id: str
    fr: str
    en: str
    identifier: bool


TERMS = (
    PiTerm("code_permanent", "Code permanent", "Permanent code", True),
    PiTerm("ramq_number", "Numéro d'assurance maladie (NAM)", "Health insurance number", True),
    PiTerm("sin", "Numéro d'assurance sociale (NAS)", "Social insurance number", True),
    PiTerm("file_number", "Numéro de fiche ou matricule", "Student or employee number", True),
    PiTerm("person_name", "Nom de personne", "Person name", True),
    PiTerm("email", "Courriel", "Email address", True),
    PiTerm("phone_number", "Numéro de téléphone", "Phone number", True),
    PiTerm("saaq_licence", "Permis de conduire (SAAQ)", "Driver's licence", True),
    PiTerm("home_address", "Adresse du domicile", "Home address", True),
    PiTerm("birth_date", "Date de naissance", "Date of birth", False),
    PiTerm("postal_code", "Code postal", "Postal code", False),
    PiTerm("gender", "Sexe ou genre", "Sex or gender", False),
    PiTerm("special_needs", "Difficulté ou handicap (HDAA)", "Special needs", False),
    PiTerm("health", "Renseignement de santé", "Health information", False),
    PiTerm("free_text", "Texte libre avec renseignements personnels", "Free text with PI", False),
    PiTerm("derived", "Renseignement personnel dérivé", "Derived personal information", False),
    PiTerm(
        "aggregate",
        "Agrégat de renseignements personnels (petites cellules)",
        "Aggregate of personal information (small cells)",
        False,
    ),
)
BY_URN = {PREFIX + term.id: term for term in TERMS}
DERIVED = PREFIX + "derived"
AGGREGATE = PREFIX + "aggregate"


def term_urn(term_id: str) -> str:
    """The URN of a term of the hierarchy; ValueError for an unknown one."""
    urn = PREFIX + term_id
    if urn not in BY_URN:
        raise ValueError(f"unknown personal-information term '{term_id}'")
    return urn


def is_identifier(urn: str) -> bool:
    """Whether the term names a direct identifier."""
    term = BY_URN.get(urn)
    return bool(term and term.identifier)


def is_propagated(association: Mapping[str, Any]) -> bool:
    """Whether a term association (parsed JSON) was put there by lineage propagation."""
    return (association.get("attribution") or {}).get("source") == PROPAGATION_SOURCE


SCAN_SOURCE = "urn:li:dataHubAction:cartable-pii-scan"
REVIEW_SOURCE = "urn:li:dataHubAction:cartable-pii-review"
STEWARD_SOURCE = "urn:li:dataHubAction:cartable-stewardship"  # a level a steward chose
SENSITIVITY_PREFIX = "urn:li:glossaryTerm:cartable.sensitivity."
SENSITIVITY_LEVELS = {
    # level: (French, English), least to most sensitive
    "public": ("Public", "Public"),
    "interne": ("Interne", "Internal"),
    "confidentiel": ("Confidentiel", "Confidential"),
    "restreint": ("Restreint", "Restricted"),
}


def is_scanned(association: Mapping[str, Any]) -> bool:
    """Whether a term association (parsed JSON) was put there by detection."""
    return (association.get("attribution") or {}).get("source") == SCAN_SOURCE


def is_reviewed(association: Mapping[str, Any]) -> bool:
    """Whether a term association (parsed JSON) is a detection a steward accepted."""
    return (association.get("attribution") or {}).get("source") == REVIEW_SOURCE


def sensitivity_in(glossary_terms: Mapping[str, Any] | None) -> str | None:
    """The sensitivity level recorded in a dataset's ``glossaryTerms`` (parsed JSON), if any."""
    for term in (glossary_terms or {}).get("terms", []):
        if term["urn"].startswith(SENSITIVITY_PREFIX):
            return str(term["urn"]).removeprefix(SENSITIVITY_PREFIX)
    return None
