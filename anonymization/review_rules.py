"""Steward review of detection findings: the pure rules.

A steward accepts or rejects each finding. A decision is taken on the finding's *evidence*
(its term, the entity types seen, what the column's name says, and how much of the sample
supports it), summed up in a fingerprint. A rescan draws a new sample, so exact counts move
from one scan to the next; the fingerprint keeps only what would make a steward look again:

- an **acceptance** stands while detection finds the same term (more or less evidence for
  a column already known to be personal changes nothing);
- a **rejection** stands while the evidence keeps the same fingerprint; a new entity type
  in the values, a new term, a column renamed into a personal-looking name, or a sample
  that now mostly supports the finding raises it again (*reopened*).

>>> support(0, 100), support(7, 100), support(80, 100)
('none', 'some', 'most')
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from anonymization.classify import VALUE_SHARE, ColumnFinding
from anonymization.entities import TERM_ENTITIES

Decision = Literal["accepted", "rejected"]
Status = Literal["pending", "reopened", "accepted", "rejected"]


class Evidence(BaseModel):
    """What a decision was taken on (no values, no counts that move between samples)."""

    term: str
    entities: list[str]
    name_term: str | None
    support: Literal["none", "some", "most"]

    @property
    def fingerprint(self) -> str:
        """A stable digest of the evidence."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


class ReviewDecision(BaseModel):
    """One steward decision on one column's finding."""

    dataset: str
    field_path: str
    term: str
    decision: Decision
    fingerprint: str
    evidence: Evidence
    reviewer: str
    reason: str | None = None
    decided_on: datetime


def support(supporting: int, sampled: int) -> Literal["none", "some", "most"]:
    """How much of a sample supports a finding, in three steps."""
    if not sampled or not supporting:
        return "none"
    return "most" if supporting / sampled >= VALUE_SHARE else "some"


def evidence_of(finding: ColumnFinding) -> Evidence:
    """The evidence a steward decides on, from a detection finding (which has a term)."""
    if finding.term is None:
        raise ValueError(f"column {finding.column} has no finding to review")
    values = finding.evidence
    if values.free_text:
        supporting = values.texts_with_pi
    else:
        supporting = values.matched.get(TERM_ENTITIES.get(finding.term, ""), 0)
    return Evidence(
        term=finding.term,
        entities=sorted(finding.entities),
        name_term=finding.name_term,
        support=support(supporting, values.sampled),
    )


def stands(decision: ReviewDecision, evidence: Evidence) -> bool:
    """Whether an earlier decision still covers what detection finds now."""
    if decision.decision == "accepted":
        return decision.term == evidence.term
    return decision.fingerprint == evidence.fingerprint


def status(decision: ReviewDecision | None, evidence: Evidence) -> Status:
    """Where a finding stands in the review queue."""
    if decision is None:
        return "pending"
    return decision.decision if stands(decision, evidence) else "reopened"
