"""Where requests, votes and decisions are kept (the only module of the package that writes SQL).

Every change happens inside a ``Database.write()`` transaction, which holds the catalogue's
single-writer lock on SQLite and PostgreSQL alike: a request is read, changed and saved under
the lock, with a version check besides; votes and decisions are rows whose keys refuse a
second vote of one member or a second decision of one round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from catalog.database import Database
from catalog.errors import NotFoundError
from ethics_review.models import Decision, ReviewRequest, State, Vote
from ethics_review.tables import review_decisions, review_requests, review_votes
from ethics_review.workflow import WorkflowError


class ConcurrentChange(WorkflowError):
    """Someone else changed the request first: read it again."""


class ReviewRepository:
    """Requests (whole JSON documents with a version), votes and decisions."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def next_id(self, conn: Connection, year: int) -> str:
        """A new request id, ``DEM-2026-0001``, unique under the write lock."""
        prefix = f"DEM-{year}-"
        count = conn.scalar(
            select(func.count()).where(review_requests.c.id.startswith(prefix, autoescape=True))
        )
        return f"{prefix}{int(count or 0) + 1:04d}"

    def insert(self, conn: Connection, request: ReviewRequest) -> None:
        """Store a new request."""
        now = datetime.now(UTC)
        conn.execute(insert(review_requests).values(**self._row(request), created_on=now))

    def save(self, conn: Connection, request: ReviewRequest, read_version: int) -> ReviewRequest:
        """Store a changed request read at ``read_version``; ConcurrentChange if it moved since."""
        saved = request.model_copy(update={"version": read_version + 1})
        result = conn.execute(
            update(review_requests)
            .where(review_requests.c.id == request.id, review_requests.c.version == read_version)
            .values(**self._row(saved))
        )
        if result.rowcount != 1:
            raise ConcurrentChange(f"{request.id} was changed meanwhile; try again")
        return saved

    @staticmethod
    def _row(request: ReviewRequest) -> dict[str, object]:
        return {
            "id": request.id,
            "kind": request.kind,
            "title": request.title,
            "requester": request.requester,
            "organization": request.organization,
            "state": request.state.value,
            "level": request.level,
            "document": request.model_dump_json(),
            "version": request.version,
            "updated_on": datetime.now(UTC),
        }

    def load(self, request_id: str, conn: Connection | None = None) -> ReviewRequest:
        """A request; NotFoundError when there is none."""
        query = select(review_requests.c.document).where(review_requests.c.id == request_id)
        if conn is None:
            with self.database.read() as reading:
                document = reading.scalar(query)
        else:
            document = conn.scalar(query)
        if document is None:
            raise NotFoundError(f"no request {request_id}")
        return ReviewRequest.model_validate_json(document)

    def find(
        self,
        *,
        states: Sequence[State] = (),
        requester: str | None = None,
        organizations: Sequence[str] | None = None,
    ) -> list[ReviewRequest]:
        """Requests, newest first, filtered by state, requester and organizations."""
        query = select(review_requests.c.document).order_by(review_requests.c.created_on.desc())
        if states:
            query = query.where(review_requests.c.state.in_([s.value for s in states]))
        if requester is not None:
            query = query.where(review_requests.c.requester == requester)
        if organizations is not None:
            query = query.where(review_requests.c.organization.in_(list(organizations)))
        with self.database.read() as conn:
            return [ReviewRequest.model_validate_json(d) for d in conn.scalars(query)]

    def votes(self, request_id: str, round_: int, conn: Connection | None = None) -> list[Vote]:
        """The votes of one round, in the order cast."""
        query = (
            select(review_votes)
            .where(review_votes.c.request_id == request_id, review_votes.c.round == round_)
            .order_by(review_votes.c.cast_on)
        )
        if conn is None:
            with self.database.read() as reading:
                rows = reading.execute(query).all()
        else:
            rows = conn.execute(query).all()
        return [
            Vote.model_validate(
                {
                    "member": r.member,
                    "vote": r.vote,
                    "declaration": {"conflict": r.conflict, "details": r.declaration},
                    "at": r.cast_on,
                    "round": r.round,
                }
            )
            for r in rows
        ]

    def add_vote(self, conn: Connection, request_id: str, vote: Vote) -> None:
        """Record a vote; WorkflowError when the member already voted in this round."""
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(review_votes).values(
                        request_id=request_id,
                        round=vote.round,
                        member=vote.member,
                        vote=vote.vote,
                        conflict=vote.declaration.conflict,
                        declaration=vote.declaration.details,
                        cast_on=vote.at,
                    )
                )
        except IntegrityError:
            raise WorkflowError(f"{request_id}: {vote.member} already voted") from None

    def add_decision(self, conn: Connection, request_id: str, decision: Decision) -> None:
        """Record a round's decision; WorkflowError when the round is already decided."""
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(review_decisions).values(
                        request_id=request_id,
                        round=decision.round,
                        outcome=decision.outcome,
                        decided_by=decision.by,
                        document=decision.model_dump_json(),
                        decided_on=decision.at,
                    )
                )
        except IntegrityError:
            raise WorkflowError(
                f"{request_id}: round {decision.round} is already decided"
            ) from None

    def decision_count(self, request_id: str) -> int:
        """How many decisions the request has (one per round at most)."""
        with self.database.read() as conn:
            return int(
                conn.scalar(select(func.count()).where(review_decisions.c.request_id == request_id))
                or 0
            )
