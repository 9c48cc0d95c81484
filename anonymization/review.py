"""The stewards' review of detection findings over the catalogue: queue, accept, reject.

Decisions are kept in ``pii_review`` (every decision, newest last) and act on the field's
terms in the same transaction: accepting turns the detection's term into the steward's,
rejecting removes it. The dataset's sensitivity level follows. Rescans honour decisions
(see ``review_rules``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from datahub.metadata import schema_classes as dh
from pydantic import BaseModel, Field
from sqlalchemy import Connection, select

from anonymization.recording import accepted_term, dataset_writes, term_evidence
from anonymization.review_rules import Decision, Evidence, ReviewDecision, Status, status
from catalog import pi_terms
from catalog.database import as_utc
from catalog.errors import CartableError, NotFoundError
from catalog.field_terms import field_term_associations, with_field_terms
from catalog.roles import Account, require
from catalog.service import Catalog
from catalog.tables import pii_reviews

QUEUE: tuple[Status, ...] = ("pending", "reopened")


class ReviewItem(BaseModel):
    """One finding as a steward sees it (counts and evidence, never values)."""

    dataset: str
    dataset_name: str
    organization: str | None = None
    field_path: str
    term: str
    status: Status
    confidence: float | None = None
    entities: list[str] = Field(default_factory=list)
    sampled: int = 0
    matched: dict[str, int] = Field(default_factory=dict)
    evidence: Evidence | None = None
    previous: ReviewDecision | None = None


class PiiReview:
    """The review over one catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # Decisions ---------------------------------------------------------------------------

    def history(self, dataset: str | None = None) -> list[ReviewDecision]:
        """Every decision (on one dataset, or all), oldest first."""
        query = select(pii_reviews).order_by(pii_reviews.c.id)
        if dataset is not None:
            query = query.where(pii_reviews.c.dataset == dataset)
        with self.catalog.database.read() as conn:
            return [_decision(dict(row._mapping)) for row in conn.execute(query)]

    def decisions(self, dataset: str | None = None) -> dict[tuple[str, str], ReviewDecision]:
        """The latest decision on each reviewed field, by (dataset, field path)."""
        return {(d.dataset, d.field_path): d for d in self.history(dataset)}

    # The queue ---------------------------------------------------------------------------

    def items(
        self, dataset: str | None = None, statuses: Iterable[Status] = QUEUE
    ) -> list[ReviewItem]:
        """Findings in the given states, by dataset then column."""
        wanted = set(statuses)
        decisions = self.decisions(dataset)
        found: list[ReviewItem] = []
        for urn, editable in self._editable(dataset):
            for path, association in field_term_associations(editable):
                if pi_terms.is_scanned(association) or pi_terms.is_reviewed(association):
                    found.append(self._item(urn, path, association, decisions.get((urn, path))))
        on_fields = {(item.dataset, item.field_path) for item in found}
        for key, decision in decisions.items():
            if decision.decision == "rejected" and key not in on_fields:
                found.append(self._rejected_item(decision))
        kept = [item for item in found if item.status in wanted]
        return sorted(kept, key=lambda i: (i.dataset_name, i.field_path, i.term))

    def _editable(self, dataset: str | None) -> list[tuple[str, dict[str, Any]]]:
        if dataset is not None:
            self.catalog.entity(dataset)  # NotFoundError for an unknown URN
            stored = self.catalog.store.latest_aspect(dataset, "editableSchemaMetadata")
            return [(dataset, json.loads(stored))] if stored else []
        return [
            (urn, json.loads(value))
            for urn, value in self.catalog.store.latest_of("editableSchemaMetadata")
        ]

    def _item(
        self,
        urn: str,
        path: str,
        association: dict[str, Any],
        decision: ReviewDecision | None,
    ) -> ReviewItem:
        detail = (association.get("attribution") or {}).get("sourceDetail") or {}
        evidence = term_evidence(association)
        if pi_terms.is_reviewed(association):
            state: Status = "accepted"
        else:
            state = status(decision, evidence) if evidence else "pending"
        return ReviewItem(
            **self._names(urn),
            field_path=path,
            term=association["urn"].removeprefix(pi_terms.PREFIX),
            status=state,
            confidence=float(detail["confidence"]) if "confidence" in detail else None,
            entities=[e for e in detail.get("entities", "").split(",") if e],
            sampled=int(detail.get("sampled", 0)),
            matched=json.loads(detail.get("matched", "{}")),
            evidence=evidence,
            previous=decision,
        )

    def _rejected_item(self, decision: ReviewDecision) -> ReviewItem:
        return ReviewItem(
            **self._names(decision.dataset),
            field_path=decision.field_path,
            term=decision.term,
            status="rejected",
            entities=decision.evidence.entities,
            evidence=decision.evidence,
            previous=decision,
        )

    def _names(self, urn: str) -> dict[str, Any]:
        summary = self.catalog.entity(urn).summary
        return {
            "dataset": urn,
            "dataset_name": summary.qualified_name or summary.name or urn,
            "organization": summary.organization,
        }

    # Decisions taken -----------------------------------------------------------------------

    def accept(
        self, dataset: str, field_path: str, reviewer: Account, reason: str | None = None
    ) -> ReviewDecision:
        """Confirm a finding: it becomes the steward's term on the field."""
        return self._decide(dataset, field_path, "accepted", reviewer, reason)

    def reject(
        self, dataset: str, field_path: str, reviewer: Account, reason: str
    ) -> ReviewDecision:
        """Dismiss a finding (a reason is required): it leaves the field and is raised again
        only when its evidence changes."""
        if not (reason or "").strip():
            raise CartableError("a rejection needs a reason")
        return self._decide(dataset, field_path, "rejected", reviewer, reason)

    def _decide(
        self,
        dataset: str,
        field_path: str,
        decision: Decision,
        reviewer: Account,
        reason: str | None,
    ) -> ReviewDecision:
        require(reviewer, "review_pii", self.catalog.entity(dataset).summary.organization)
        association = self._finding(dataset, field_path)
        evidence = term_evidence(association)
        if evidence is None:
            raise CartableError(f"the finding on column '{field_path}' has no recorded evidence")
        now = int(time.time() * 1000)
        actor = reviewer.urn
        stamp = dh.AuditStampClass(time=now, actor=actor)
        new = [accepted_term(association, actor, now)] if decision == "accepted" else []

        def keep(path: str, other: dict[str, Any]) -> bool:
            on_field = path == field_path
            return not (on_field and (pi_terms.is_scanned(other) or pi_terms.is_reviewed(other)))

        editable = with_field_terms(
            self.catalog.store.latest_aspect(dataset, "editableSchemaMetadata"),
            {field_path: new},
            keep=keep,
            stamp=stamp,
        )
        record = ReviewDecision(
            dataset=dataset,
            field_path=field_path,
            term=evidence.term,
            decision=decision,
            fingerprint=evidence.fingerprint,
            evidence=evidence,
            reviewer=actor,
            reason=(reason or "").strip() or None,
            decided_on=datetime.now(UTC),
        )

        def insert(conn: Connection) -> None:
            conn.execute(pii_reviews.insert().values(_row(record)))

        writes, _level = dataset_writes(self.catalog, dataset, editable, stamp)
        self.catalog.write(writes, actor=actor, also=insert)
        return record

    def _finding(self, dataset: str, field_path: str) -> dict[str, Any]:
        """The finding a decision acts on: the field's detected or accepted term, or the
        term of a rejection being reversed."""
        self.catalog.entity(dataset)
        stored = self.catalog.store.latest_aspect(dataset, "editableSchemaMetadata")
        for path, association in field_term_associations(json.loads(stored) if stored else {}):
            if path == field_path and pi_terms.is_scanned(association):
                return association
        for path, association in field_term_associations(json.loads(stored) if stored else {}):
            if path == field_path and pi_terms.is_reviewed(association):
                return association
        previous = self.decisions(dataset).get((dataset, field_path))
        if previous is not None and previous.decision == "rejected":
            return {
                "urn": pi_terms.term_urn(previous.term),
                "attribution": {"sourceDetail": {"evidence": previous.evidence.model_dump_json()}},
            }
        raise NotFoundError(f"no finding to review on column '{field_path}' of {dataset}")


def _row(decision: ReviewDecision) -> dict[str, Any]:
    row = decision.model_dump()
    row["evidence"] = decision.evidence.model_dump_json()
    return row


def _decision(row: dict[str, Any]) -> ReviewDecision:
    row.pop("id", None)
    row["evidence"] = Evidence.model_validate_json(row["evidence"])
    row["decided_on"] = as_utc(row["decided_on"])
    return ReviewDecision.model_validate(row)
