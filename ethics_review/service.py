"""The review service: the one API the command line and the app call.

Each action reads the request under the catalogue's write lock, applies the workflow's
pure rule, saves it (version checked) and appends the audit journal's entry — in one
transaction: a refused action records nothing, an accepted one records everything.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from catalog.accounts import AccountStore
from catalog.errors import CartableError
from catalog.roles import Account
from catalog.service import Catalog
from ethics_review import grants
from ethics_review.audit import AuditJournal
from ethics_review.changes import amend, material_changes
from ethics_review.facts import floor_facts
from ethics_review.levels import LevelRequirements, level_requirements
from ethics_review.models import (
    AiSystem,
    Condition,
    DatasetAccess,
    Declaration,
    Recommendation,
    ReviewRequest,
    State,
)
from ethics_review.notifications import messages_for, reminder_messages
from ethics_review.outbox import Outbox
from ethics_review.questionnaire import check_answers, load_questionnaire
from ethics_review.repository import ReviewRepository
from ethics_review.scoring import assess
from ethics_review.workflow import (
    Committee,
    WorkflowError,
    act_as,
    decide,
    moved,
    refer_to_committee,
    review,
    step,
    submit,
    vote,
)

COMMITTEE_ROLES = ("ethics_member", "privacy_officer")
SIMPLE_ACTIONS = (
    "withdraw", "triage", "send_to_privacy_review", "start_validation", "start_pilot",
    "go_to_production", "start_monitoring", "request_renewal", "revoke", "close",
)  # fmt: skip


def _quorum(configured: str | None) -> int | None:
    """The committee quorum of ``$CARTABLE_COMMITTEE_QUORUM`` (None: a majority)."""
    if not configured:
        return None
    if not configured.isdigit() or int(configured) < 1:
        raise CartableError(f"CARTABLE_COMMITTEE_QUORUM={configured}: a number of votes, 1 or more")
    return int(configured)


def _now() -> datetime:
    return datetime.now(UTC)


def _delta(before: ReviewRequest, after: ReviewRequest) -> dict[str, Any]:
    """What an action changed, for the journal: new reviews and decisions (who, what, the
    conflict declared, the conditions), the grant, which fields and answers changed."""
    found: dict[str, Any] = {}
    reviews = after.reviews[len(before.reviews) :]
    if reviews:
        found["reviews"] = [
            {"stage": r.stage, "reviewer": r.reviewer, "recommendation": r.recommendation,
             "conflict": r.declaration.conflict, "conditions": r.conditions}
            for r in reviews
        ]  # fmt: skip
    decisions = after.decisions[len(before.decisions) :]
    if decisions:
        found["decisions"] = [
            {
                "outcome": d.outcome,
                "by": d.by,
                "conditions": [c.code for c in d.conditions],
                "policy_digest": next(
                    (c.policy_digest for c in d.conditions if c.policy_digest), None
                ),
            }
            for d in decisions
        ]
    if after.grant != before.grant:
        found["grant"] = None if after.grant is None else after.grant.model_dump(mode="json")
    if after.body != before.body:
        found["changed"] = material_changes(before.body, after.body) or ["details"]
    if after.answers != before.answers:
        keys = set(before.answers) | set(after.answers)
        found["answers"] = sorted(k for k in keys if before.answers.get(k) != after.answers.get(k))
    if after.organization != before.organization:
        found["organization"] = after.organization
    return found


def _summary(request: ReviewRequest) -> dict[str, Any]:
    return {
        "state": request.state.value,
        "round": request.round,
        "level": request.level,
        "version": request.version,
    }


class ReviewService:
    """Requests for dataset access and AI systems through their review."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        quorum: int | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.catalog = catalog
        self.repository = ReviewRepository(catalog.database)
        self.journal = AuditJournal(catalog.database)
        self.outbox = Outbox(catalog.database)
        configured = os.environ.get("CARTABLE_COMMITTEE_QUORUM")
        self.quorum = quorum if quorum is not None else _quorum(configured)
        self.clock = clock

    # Creating and reading ---------------------------------------------------------------

    def create(
        self,
        account: Account,
        title: str,
        body: DatasetAccess | AiSystem,
        answers: dict[str, Any] | None = None,
    ) -> ReviewRequest:
        """A new draft request by ``account``, about datasets of one holder organization."""
        organization = self._holder(body)
        now = self.clock()
        with self.catalog.database.write() as conn:
            request = ReviewRequest(
                id=self.repository.next_id(conn, now.year),
                title=title,
                requester=account.username,
                organization=organization,
                created_at=now,
                body=body,
                answers=answers or {},
            )
            self.repository.insert(conn, request)
            self._journal(conn, account, "requester", "create", request, None)
        return request

    def _holder(self, body: DatasetAccess | AiSystem) -> str | None:
        scopes = body.datasets if isinstance(body, DatasetAccess) else [
            *body.training_datasets, *body.input_datasets
        ]  # fmt: skip
        organizations = set()
        for scope in scopes:
            detail = self.catalog.entity(scope.urn)  # NotFoundError for an unknown dataset
            schema = detail.aspects.get("schemaMetadata", {}).get("fields", [])
            fields = {f["fieldPath"] for f in schema}
            unknown = sorted(set(scope.columns) - fields)
            if unknown:
                raise CartableError(f"{scope.urn} has no column {', '.join(unknown)}")
            organizations.add(detail.summary.organization)
        if len(organizations) > 1:
            raise CartableError(
                "one request per holder organization "
                f"(these datasets belong to {', '.join(sorted(map(str, organizations)))})"
            )
        return organizations.pop()

    def get(self, request_id: str) -> ReviewRequest:
        """A request; NotFoundError when there is none."""
        return self.repository.load(request_id)

    def visible_to(self, account: Account, states: tuple[State, ...] = ()) -> list[ReviewRequest]:
        """The requests an account may see: its own; its organizations' if it reviews."""
        if "admin" in account.roles:
            return self.repository.find(states=states)
        own = self.repository.find(states=states, requester=account.username)
        if not set(account.roles) & {"privacy_officer", "ethics_member", "data_steward"}:
            return own
        others = self.repository.find(states=states, organizations=account.organizations)
        seen = {r.id for r in own}
        return own + [r for r in others if r.id not in seen]

    def votes(self, request_id: str) -> list[Any]:
        """The votes of the request's current round."""
        request = self.get(request_id)
        return self.repository.votes(request.id, request.round)

    # Actions ----------------------------------------------------------------------------

    def _change(
        self,
        account: Account,
        request_id: str,
        action: str,
        change: Callable[[ReviewRequest, Connection], ReviewRequest],
        detail: dict[str, Any] | None = None,
    ) -> ReviewRequest:
        with self.catalog.database.write() as conn:
            current = self.repository.load(request_id, conn)
            changed = change(current, conn)
            saved = self.repository.save(conn, changed, current.version)
            role = saved.history[-1].role if saved.history else "requester"
            what = {**_delta(current, saved), **(detail or {})}
            self._journal(conn, account, role, action, saved, current, **what)
            # who must hear of it (the requester, the RPRP, the committee), same transaction
            self.outbox.add(conn, messages_for(current, saved, AccountStore(self.catalog).all()))
        return saved

    def _journal(
        self,
        conn: Connection,
        account: Account,
        role: str,
        action: str,
        request: ReviewRequest,
        before: ReviewRequest | None,
        **detail: Any,
    ) -> None:
        self.journal.append(
            conn,
            actor=account.username,
            role=role,
            action=action,
            subject=request.id,
            before=None if before is None else _summary(before),
            after={**_summary(request), **detail},
        )

    def act(self, account: Account, request_id: str, action: str) -> ReviewRequest:
        """An action with no input of its own (triage, start_pilot, revoke, close…)."""
        if action not in SIMPLE_ACTIONS:
            raise CartableError(f"unknown action {action} (known: {', '.join(SIMPLE_ACTIONS)})")
        return self._change(
            account, request_id, action, lambda r, _c: step(r, account, action, self.clock())
        )

    def update_draft(
        self,
        account: Account,
        request_id: str,
        body: DatasetAccess | AiSystem,
        answers: dict[str, Any],
    ) -> ReviewRequest:
        """Change a draft (or a request sent back for revision) before submitting it."""

        def change(request: ReviewRequest, _conn: Connection) -> ReviewRequest:
            if request.state not in (State.DRAFT, State.REVISE):
                raise WorkflowError(f"{request.id}: only a draft is edited; amend it instead")
            if account.username != request.requester:
                raise WorkflowError(f"{request.id}: only its requester may edit it")
            organization = self._holder(body)
            edited = moved(request, (account, "requester"), "edit", request.state, self.clock())
            return edited.model_copy(
                update={"body": body, "answers": answers, "organization": organization}
            )

        return self._change(account, request_id, "edit", change)

    def submit(self, account: Account, request_id: str) -> ReviewRequest:
        """Submit a complete request (every required answer given)."""

        def change(request: ReviewRequest, _conn: Connection) -> ReviewRequest:
            submitted = submit(request, account, self.clock())  # the requester, in turn
            check_answers(load_questionnaire(request.kind), request.answers)
            return submitted

        return self._change(account, request_id, "submit", change)

    def assess(self, account: Account, request_id: str) -> ReviewRequest:
        """Score the answers and apply the floors the catalogue shows; store the assessment."""

        def change(request: ReviewRequest, _conn: Connection) -> ReviewRequest:
            facts = floor_facts(self.catalog, request)
            result = assess(load_questionnaire(request.kind), request.answers, facts)
            return step(
                request, account, "assess", self.clock(), assessment=result.model_dump(mode="json")
            )

        return self._change(account, request_id, "assess", change)

    def review(
        self,
        account: Account,
        request_id: str,
        *,
        declaration: Declaration,
        recommendation: Recommendation,
        comments: str = "",
        conditions: list[str] | None = None,
    ) -> ReviewRequest:
        """Record a privacy or ethics review with its conflict-of-interest declaration."""
        return self._change(
            account,
            request_id,
            "review",
            lambda r, _c: review(
                r,
                account,
                declaration=declaration,
                recommendation=recommendation,
                comments=comments,
                conditions=conditions or [],
                now=self.clock(),
            ),
        )

    def refer(self, account: Account, request_id: str) -> ReviewRequest:
        """Send a level III–IV request to the committee."""
        return self._change(
            account,
            request_id,
            "refer_to_committee",
            lambda r, _c: refer_to_committee(r, account, self._requirements(r), self.clock()),
        )

    def vote(
        self, account: Account, request_id: str, choice: str, declaration: Declaration
    ) -> ReviewRequest:
        """A committee member's vote (one per member and round; never lost)."""

        def change(request: ReviewRequest, conn: Connection) -> ReviewRequest:
            cast = self.repository.votes(request.id, request.round, conn)
            ballot = vote(request, account, choice, declaration, cast, self.clock())
            self.repository.add_vote(conn, request.id, ballot)
            # the vote has its own row; the history says who voted, in which role
            role = act_as(request, account, "vote")[1]
            return moved(request, (account, role), "vote", request.state, ballot.at)

        ballot = {"vote": choice, "conflict": declaration.conflict}
        return self._change(account, request_id, "vote", change, detail=ballot)

    def decide(
        self,
        account: Account,
        request_id: str,
        *,
        outcome: str,
        grounds: str,
        conditions: list[Condition] | None = None,
    ) -> ReviewRequest:
        """Decide the current round (once: a second decision of a round is refused)."""

        def change(request: ReviewRequest, conn: Connection) -> ReviewRequest:
            requirements = self._requirements(request)
            decided = decide(
                request,
                account,
                outcome=outcome,
                grounds=grounds,
                conditions=conditions or [],
                votes=self.repository.votes(request.id, request.round, conn),
                committee=self.committee(request.organization),
                requirements=requirements,
                now=self.clock(),
            )
            self.repository.add_decision(conn, request.id, decided.decisions[-1])
            return decided

        return self._change(account, request_id, "decide", change)

    def fulfil(self, account: Account, request_id: str, extract_urn: str) -> ReviewRequest:
        """Record the extract that delivers an approved access (the approved policy only)."""
        properties = (
            self.catalog.entity(extract_urn)
            .aspects.get("datasetProperties", {})
            .get("customProperties", {})
        )
        if "cartable.extract.policyDigest" not in properties:
            raise CartableError(f"{extract_urn} is not an extract")
        detail = self.catalog.entity(extract_urn)
        created = detail.aspects["datasetProperties"].get("created", {})
        fields = detail.aspects.get("schemaMetadata", {}).get("fields", [])
        made_at = datetime.fromtimestamp(int(created.get("time", 0)) / 1000, UTC)
        return self._change(
            account,
            request_id,
            "fulfil",
            lambda r, _c: grants.fulfil(
                r,
                account,
                extract_urn=extract_urn,
                source=properties["cartable.extract.source"],
                columns=[f["fieldPath"] for f in fields],
                policy_digest=properties["cartable.extract.policyDigest"],
                made_at=made_at,
                now=self.clock(),
            ),
        )

    def activate(self, account: Account, request_id: str) -> ReviewRequest:
        """Open an approved access."""
        return self._change(
            account, request_id, "activate", lambda r, _c: grants.activate(r, account, self.clock())
        )

    def renew(self, account: Account, request_id: str, ends: date) -> ReviewRequest:
        """Extend a grant within its level's maximum."""
        return self._change(
            account,
            request_id,
            "renew",
            lambda r, _c: grants.renew(
                r,
                account,
                ends=ends,
                max_grant_months=self._requirements(r).max_grant_months,
                now=self.clock(),
            ),
        )

    def amend(
        self,
        account: Account,
        request_id: str,
        body: DatasetAccess | AiSystem,
        answers: dict[str, Any],
    ) -> ReviewRequest:
        """Change a request under review or granted (a material change: back to triage)."""
        organization = self._holder(body)

        def change(request: ReviewRequest, _conn: Connection) -> ReviewRequest:
            amended = amend(request, account, body, answers, self.clock())
            return amended.model_copy(update={"organization": organization})

        return self._change(account, request_id, "amend", change)

    def expire_due(self, today: date | None = None) -> list[str]:
        """Expire every grant past its end and queue the renewal reminders due; the ids
        expired."""
        day = today or self.clock().date()
        moment = datetime.combine(day, datetime.min.time(), UTC)
        system = Account(username="cartable", display_name="Cartable", roles=["admin"])
        due = [
            r.id for r in self.repository.find(states=grants.LIVE) if grants.due_for_expiry(r, day)
        ]
        for request_id in due:
            self._change(system, request_id, "expire", lambda r, _c: grants.expire(r, moment))
        # renewal reminders, once per grant end date (run daily with the expiry)
        self.outbox.record([m for r in self.reminders_due(day) for m in reminder_messages(r)])
        return due

    def reminders_due(self, today: date | None = None) -> list[ReviewRequest]:
        """Granted requests whose renewal reminder is due."""
        day = today or self.clock().date()
        live = self.repository.find(states=(State.ACTIVE, State.MONITORING))
        return [r for r in live if grants.due_for_reminder(r, day)]

    # Who decides ------------------------------------------------------------------------

    def _requirements(self, request: ReviewRequest) -> LevelRequirements:
        if request.level is None:
            raise WorkflowError(f"{request.id}: not assessed")
        return level_requirements(request.level)

    def committee(self, organization: str | None) -> Committee:
        """The committee of an organization: its ethics members and privacy officers."""
        accounts = AccountStore(self.catalog).all()
        members = [
            a.username
            for a in accounts
            if set(a.roles) & set(COMMITTEE_ROLES) and organization in a.organizations
        ]
        officers = [
            a.username
            for a in accounts
            if "privacy_officer" in a.roles and organization in a.organizations
        ]
        return Committee(members=members, privacy_officers=officers, quorum=self.quorum)


def parse_body(data: dict[str, Any]) -> DatasetAccess | AiSystem:
    """A request body from its JSON/YAML form (``kind`` says which)."""
    kind = data.get("kind")
    if kind == "dataset_access":
        return DatasetAccess.model_validate(data)
    if kind == "ai_system":
        return AiSystem.model_validate(data)
    raise CartableError(f"kind {json.dumps(kind)}: dataset_access or ai_system")
