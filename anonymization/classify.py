"""One finding per column, from its name, its type and what a sample of its values shows.

Pure rules over the evidence (no I/O); see docs/anonymization.md for the table.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from anonymization.column_names import CONTACT_TERMS, NOT_PERSONAL
from anonymization.entities import ENTITY_TERMS, SELF_EVIDENT, TERM_ENTITIES
from anonymization.value_evidence import ValueEvidence

MIN_CONFIDENCE = 0.5
VALUE_SHARE = 0.5  # share of sampled values that must hold an entity to prove the column
# A checksum passed by chance proves little: one random nine-digit number in ten passes the
# NAS's Luhn check, so a column of order numbers can pass it half the time; a column of NAS
# passes it (nearly) always.
ENTITY_SHARE = {"SIN": 0.9}
# In a table about places, a column named « nom » or « matricule » is the place's name or
# roll number: these terms stand there only when the values show people.
PLACE_NAME_TERMS = frozenset({"person_name", "file_number"})
NUMERIC_TYPES = ("INT", "REAL", "FLOAT", "DOUBLE", "NUMERIC", "DECIMAL", "NUMBER", "BOOL")


class ColumnFinding(BaseModel):
    """What detection concluded about one column (``term`` None: not personal)."""

    column: str
    term: str | None
    confidence: float
    entities: list[str] = Field(default_factory=list)
    name_term: str | None = None
    evidence: ValueEvidence = Field(default_factory=ValueEvidence)


def is_numeric(native_type: str | None) -> bool:
    """Whether a column's native type holds numbers only."""
    return any(word in (native_type or "").upper() for word in NUMERIC_TYPES)


def _best_entity(evidence: ValueEvidence, name_term: str | None) -> tuple[str | None, float]:
    """The entity most values hold, and its share. Where the code permanent and the NAM
    both match (same shape), the column's name decides, then the count."""
    if not evidence.sampled or not evidence.matched:
        return None, 0.0
    preferred = TERM_ENTITIES.get(name_term or "")
    if preferred in evidence.matched:
        best = preferred
    else:
        order = sorted(evidence.matched.items(), key=lambda kv: (-kv[1], kv[0] != "CODE_PERMANENT"))
        best = order[0][0]
    return best, evidence.matched[best] / evidence.sampled


def classify_column(
    column: str,
    native_type: str | None,
    name_term: str | None,
    evidence: ValueEvidence,
    *,
    place_table: bool = False,
) -> ColumnFinding:
    """The finding for one column (``place_table``: its table describes schools or
    buildings, whose addresses and phones are not personal)."""
    finding = ColumnFinding(
        column=column, term=None, confidence=0.0, name_term=name_term, evidence=evidence
    )
    if name_term == NOT_PERSONAL:
        finding.confidence = 0.9
        return finding
    found = _classify(finding, native_type, name_term, evidence)
    if place_table and (
        found.term in CONTACT_TERMS
        or (found.term in PLACE_NAME_TERMS and not _proven(evidence, found.entities))
    ):
        found.term, found.entities, found.confidence = None, [], 0.8
    return found


def _proven(evidence: ValueEvidence, entities: list[str]) -> bool:
    """Whether the sampled values themselves hold one of the entities."""
    return any(_share(evidence, entity) >= VALUE_SHARE for entity in entities)


def _share(evidence: ValueEvidence, entity: str) -> float:
    return evidence.matched.get(entity, 0) / evidence.sampled if evidence.sampled else 0.0


def _classify(
    finding: ColumnFinding, native_type: str | None, name_term: str | None, evidence: ValueEvidence
) -> ColumnFinding:
    if evidence.free_text:
        share = evidence.texts_with_pi / evidence.sampled if evidence.sampled else 0.0
        if evidence.texts_with_pi:
            finding.term, finding.entities = "free_text", sorted(evidence.text_entities)
            finding.confidence = round(min(1.0, 0.6 + 0.4 * share), 3)
        elif name_term == "free_text":
            finding.term, finding.confidence = "free_text", MIN_CONFIDENCE
        return finding
    entity, share = _best_entity(evidence, name_term)
    named_entity = TERM_ENTITIES.get(name_term or "")
    if entity in SELF_EVIDENT and share >= ENTITY_SHARE.get(entity, VALUE_SHARE):
        agrees = ENTITY_TERMS[entity] == name_term
        finding.term, finding.entities = ENTITY_TERMS[entity], [entity]
        finding.confidence = round(min(1.0, 0.6 + 0.4 * share + (0.1 if agrees else 0.0)), 3)
        return finding
    if name_term is None:
        return finding
    if name_term in ("person_name", "email", "home_address", "free_text") and is_numeric(
        native_type
    ):
        return finding  # a number cannot be a name, an address or a note
    finding.term = name_term
    finding.entities = [named_entity] if named_entity else []
    if named_entity in SELF_EVIDENT and evidence.sampled and named_entity != "PERSON":
        # the name says an identifier that proves itself: the values must agree
        own = evidence.matched.get(named_entity, 0) / evidence.sampled
        finding.confidence = round(0.55 + 0.45 * own, 3)
    else:
        finding.confidence = 0.85
    return finding
