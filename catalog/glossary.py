"""The glossary every catalogue starts with, as DataHub entities.

The network's business terms (``glossary.yml``), the personal-information terms and the
sensitivity levels, each a ``glossaryTerm`` under a ``glossaryNode`` with its name and
definition in French (DataHub's fields) and English (``customProperties``); and the
definitions of the structured properties stewards set (certification, English description).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh
from pydantic import BaseModel

from catalog import pi_terms, stewarded
from catalog.aspect_values import AspectWrite
from catalog.records import aspect_writes

GLOSSARY_FILE = Path(__file__).with_name("glossary.yml")
BUSINESS_NODE = "urn:li:glossaryNode:cartable.business"
BUSINESS_PREFIX = "urn:li:glossaryTerm:cartable.business."
SENSITIVITY_NODE = "urn:li:glossaryNode:cartable.sensitivity"


class BusinessTerm(BaseModel):
    """A term of the network's business glossary."""

    id: str
    fr: str
    en: str
    definition_fr: str
    definition_en: str

    @property
    def urn(self) -> str:
        """The term's DataHub URN."""
        return BUSINESS_PREFIX + self.id


class _Node(BaseModel):
    fr: str
    en: str


class _Glossary(BaseModel):
    node: _Node
    terms: list[BusinessTerm]


@cache
def _glossary() -> _Glossary:
    return _Glossary.model_validate(yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8")))


def business_terms() -> list[BusinessTerm]:
    """The business terms, in the file's order."""
    return list(_glossary().terms)


def term_names() -> dict[str, tuple[str, str]]:
    """Every seeded term's URN → (French name, English name)."""
    names = {term.urn: (term.fr, term.en) for term in business_terms()}
    names.update({pi_terms.PREFIX + t.id: (t.fr, t.en) for t in pi_terms.TERMS})
    names.update(
        {pi_terms.SENSITIVITY_PREFIX + k: v for k, v in pi_terms.SENSITIVITY_LEVELS.items()}
    )
    return names


def glossary_writes() -> list[AspectWrite]:
    """The glossary nodes and terms and the structured-property definitions, as writes."""
    glossary = _glossary()
    proposals: list[MetadataChangeProposalWrapper] = [
        _node(BUSINESS_NODE, glossary.node.fr, glossary.node.en),
        _node(pi_terms.NODE_URN, "Renseignements personnels", "Personal information"),
        _node(SENSITIVITY_NODE, "Niveaux de sensibilité", "Sensitivity levels"),
    ]
    for business in glossary.terms:
        proposals.append(
            _term(
                business.urn,
                BUSINESS_NODE,
                (business.fr, business.en),
                (business.definition_fr, business.definition_en),
            )
        )
    for term in pi_terms.TERMS:
        proposals.append(
            _term(pi_terms.PREFIX + term.id, pi_terms.NODE_URN, (term.fr, term.en), None)
        )
    for level, names in pi_terms.SENSITIVITY_LEVELS.items():
        proposals.append(_term(pi_terms.SENSITIVITY_PREFIX + level, SENSITIVITY_NODE, names, None))
    proposals += [
        _property(stewarded.CERTIFIED, "Certifié", "Certified by a data steward"),
        _property(stewarded.DESCRIPTION_EN, "Description (anglais)", "Description in English"),
    ]
    return [write for proposal in proposals for write in aspect_writes(proposal)]


def _node(urn: str, french: str, english: str) -> MetadataChangeProposalWrapper:
    return MetadataChangeProposalWrapper(
        entityUrn=urn,
        aspect=dh.GlossaryNodeInfoClass(
            definition=french, name=french, customProperties={"name_en": english}
        ),
    )


def _term(
    urn: str, node: str, names: tuple[str, str], definitions: tuple[str, str] | None
) -> MetadataChangeProposalWrapper:
    custom = {"name_en": names[1]}
    if definitions:
        custom["definition_en"] = definitions[1]
    return MetadataChangeProposalWrapper(
        entityUrn=urn,
        aspect=dh.GlossaryTermInfoClass(
            definition=definitions[0] if definitions else names[0],
            termSource="INTERNAL",
            name=names[0],
            parentNode=node,
            customProperties=custom,
        ),
    )


def _property(urn: str, french: str, english: str) -> MetadataChangeProposalWrapper:
    return MetadataChangeProposalWrapper(
        entityUrn=urn,
        aspect=dh.StructuredPropertyDefinitionClass(
            qualifiedName=urn.removeprefix(stewarded.PROPERTY_PREFIX),
            valueType="urn:li:dataType:datahub.string",
            entityTypes=["urn:li:entityType:datahub.dataset"],
            displayName=french,
            description=english,
            cardinality="SINGLE",
        ),
    )
