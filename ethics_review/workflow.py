"""The review's rules, pure: each action takes a request and returns the changed request, or
raises a typed error saying why not — the command line and the app render the same refusal.

Beyond the transition table (``states.py``):

- nobody triages, assesses, reviews, votes on, decides or grants their own request;
- the author of the privacy impact assessment (the privacy review, the EFVP) is not the
  final approver;
- from level III, two distinct reviewers, each having recorded a conflict-of-interest
  declaration; a declared conflict recuses (the review or vote is kept, not counted);
- a committee decision needs a quorum: by default a majority of the committee, including a
  privacy officer (the RPRP or a delegate); level IV is decided by the top authority;
- an approval carries the conditions its level requires; a de-identification condition
  names the extract policy approved, and only an extract made with that very policy (same
  digest, from a requested dataset) fulfils it;
- every grant ends (the earlier of the project's end and the level's maximum), with a
  renewal reminder, and expires on its own;
- a material change (new dataset, purpose, legal basis, features, population, automation)
  sends the request back to triage, in a new round.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from catalog.errors import CartableError
from catalog.roles import Account
from ethics_review.levels import LevelRequirements
from ethics_review.models import (
    Condition,
    Decision,
    Declaration,
    Event,
    Grant,
    Recommendation,
    Review,
    ReviewRequest,
    State,
    Vote,
)
from ethics_review.states import DECIDED, REQUESTER, Transition, available, transitions_for

REMINDER_DAYS = 30
DEIDENTIFY = "deidentify"


class WorkflowError(CartableError):
    """An action the workflow refuses (the message says why)."""


class SeparationOfDuties(WorkflowError):
    """The same person may not hold both roles here."""


class Committee(BaseModel):
    """Who sits on the committee of the request's organization, and its quorum."""

    members: list[str]
    privacy_officers: list[str]  # the RPRP and delegates among the members
    quorum: int | None = None  # default: a majority of the members

    def needed(self) -> int:
        """Votes (recusals not counted) a decision needs."""
        return self.quorum if self.quorum is not None else len(self.members) // 2 + 1


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def act_as(request: ReviewRequest, account: Account, action: str) -> tuple[Transition, str]:
    """The transition ``action`` takes and the role ``account`` takes it in; WorkflowError
    when the table, the account's roles or its organizations do not allow it."""
    transition = transitions_for(action, request.state, request.kind)
    if transition is None:
        allowed = ", ".join(available(request.state, request.kind)) or "none"
        raise WorkflowError(
            f"{request.id}: cannot {action} a request that is {request.state.value} "
            f"(possible: {allowed})"
        )
    if REQUESTER in transition.roles:
        if account.username != request.requester:
            raise WorkflowError(f"{request.id}: only its requester may {action} it")
        return transition, REQUESTER
    if account.username == request.requester:
        raise SeparationOfDuties(f"{request.id}: nobody may {action} their own request")
    role = next((r for r in account.roles if r in transition.roles), None)
    if role is None:
        raise WorkflowError(
            f"{account.username} may not {action} ({', '.join(sorted(transition.roles))} only)"
        )
    if "admin" not in account.roles and request.organization not in account.organizations:
        raise WorkflowError(f"{account.username} does not act for {request.organization}")
    return transition, role


def moved(
    request: ReviewRequest,
    who: tuple[Account, str],
    action: str,
    state: State,
    now: datetime,
    **changes: Any,
) -> ReviewRequest:
    """The request after an action: its new state, the changes, one more history event."""
    account, role = who
    event = Event(at=now, actor=account.username, role=role, action=action, state=state)
    return request.model_copy(
        update={"state": state, "history": [*request.history, event], **changes}
    )


def step(
    request: ReviewRequest, account: Account, action: str, now: datetime, **changes: Any
) -> ReviewRequest:
    """An action without rules of its own beyond the table and separation of duties (and,
    for the privacy review, an assessment to review)."""
    transition, role = act_as(request, account, action)
    if action == "send_to_privacy_review" and request.assessment is None:
        raise WorkflowError(f"{request.id}: assess it first")
    return moved(
        request, (account, role), action, transition.target or request.state, now, **changes
    )


def submit(request: ReviewRequest, account: Account, now: datetime) -> ReviewRequest:
    """The requester submits (again, after « à réviser »: a new round, to assess anew)."""
    _transition, role = act_as(request, account, "submit")
    changes: dict[str, Any] = {}
    if request.state == State.REVISE:
        changes = {"round": request.round + 1, "assessment": None}
    return moved(request, (account, role), "submit", State.SUBMITTED, now, **changes)


# Reviews, votes, decisions ----------------------------------------------------------------


def counted(reviews: Sequence[Review]) -> list[Review]:
    """Reviews that count: those of reviewers who declared no conflict."""
    return [r for r in reviews if not r.declaration.conflict]


def efvp_authors(request: ReviewRequest) -> set[str]:
    """Who wrote the privacy impact assessment (the privacy reviews) of the current round."""
    return {r.reviewer for r in request.reviews_of() if r.stage == "privacy"}


def review(
    request: ReviewRequest,
    account: Account,
    *,
    declaration: Declaration,
    recommendation: Recommendation,
    comments: str,
    conditions: list[str],
    now: datetime,
) -> ReviewRequest:
    """Record a review of the current stage (a declared conflict recuses: kept, not counted)."""
    _transition, role = act_as(request, account, "review")
    stage: Literal["privacy", "ethics"] = (
        "privacy" if request.state == State.PRIVACY_REVIEW else "ethics"
    )
    if any(r.reviewer == account.username and r.stage == stage for r in request.reviews_of()):
        raise WorkflowError(f"{request.id}: {account.username} already reviewed this stage")
    entry = Review(
        stage=stage,
        reviewer=account.username,
        role=role,
        declaration=declaration,
        recommendation=recommendation,
        comments=comments,
        conditions=conditions,
        at=now,
        round=request.round,
    )
    return moved(
        request, (account, role), "review", request.state, now, reviews=[*request.reviews, entry]
    )


def refer_to_committee(
    request: ReviewRequest, account: Account, requirements: LevelRequirements, now: datetime
) -> ReviewRequest:
    """Send a privacy-reviewed request whose level the committee decides to the committee."""
    _transition, role = act_as(request, account, "refer_to_committee")
    if requirements.decided_by == "privacy_officer":
        raise WorkflowError(f"{request.id}: level {request.level} is decided by the RPRP")
    if not [r for r in counted(request.reviews_of()) if r.stage == "privacy"]:
        raise WorkflowError(f"{request.id}: the privacy review comes first")
    return moved(request, (account, role), "refer_to_committee", State.COMMITTEE_REVIEW, now)


def vote(request: ReviewRequest, account: Account, choice: str, declaration: Declaration,
         existing: Sequence[Vote], now: datetime) -> Vote:  # fmt: skip
    """A committee member's vote for the current round (the repository keeps one per
    member; a declared conflict recuses)."""
    act_as(request, account, "vote")
    if any(v.member == account.username for v in existing):
        raise WorkflowError(f"{request.id}: {account.username} already voted in this round")
    return Vote(
        member=account.username,
        vote=choice,  # type: ignore[arg-type]
        declaration=declaration,
        at=now,
        round=request.round,
    )


def _check_reviews(request: ReviewRequest, decider: str, requirements: LevelRequirements) -> None:
    if decider in efvp_authors(request):
        raise SeparationOfDuties(
            f"{request.id}: {decider} wrote the privacy impact assessment and may not decide"
        )
    reviews = counted(request.reviews_of())
    stages = {r.stage for r in reviews}
    for stage in ("privacy", "ethics"):
        if stage in requirements.review_codes() and stage not in stages:
            raise WorkflowError(f"{request.id}: the {stage} review is missing")
    if len({r.reviewer for r in reviews}) < requirements.distinct_reviewers:
        raise WorkflowError(
            f"{request.id}: level {request.level} needs {requirements.distinct_reviewers} "
            "distinct reviewers without conflict"
        )


def _check_quorum(request: ReviewRequest, votes: Sequence[Vote], committee: Committee) -> None:
    present = [v for v in votes if not v.declaration.conflict and v.member in committee.members]
    if len(present) < committee.needed():
        raise WorkflowError(
            f"{request.id}: no quorum ({len(present)} of {committee.needed()} votes needed)"
        )
    if not {v.member for v in present} & set(committee.privacy_officers):
        raise WorkflowError(f"{request.id}: the quorum needs the RPRP or a delegate")


def _check_conditions(
    request: ReviewRequest, conditions: Sequence[Condition], required: Sequence[str]
) -> None:
    missing = sorted(set(required) - {c.code for c in conditions})
    if missing:
        raise WorkflowError(
            f"{request.id}: level {request.level} approvals carry {', '.join(missing)}"
        )
    for condition in conditions:
        if condition.code == DEIDENTIFY and not (condition.policy and condition.policy_digest):
            raise WorkflowError(f"{request.id}: a de-identification condition names its policy")


def decide(
    request: ReviewRequest,
    account: Account,
    *,
    outcome: str,
    grounds: str,
    conditions: list[Condition],
    votes: Sequence[Vote],
    committee: Committee | None,
    requirements: LevelRequirements,
    now: datetime,
) -> ReviewRequest:
    """Decide the current round: approved (with its conditions and grant), refused, to revise.
    Who decides, the reviews, the conditions and the grant's length come from the level."""
    _transition, role = act_as(request, account, "decide")
    if request.assessment is None:
        raise WorkflowError(f"{request.id}: not assessed")
    by_committee = requirements.decided_by != "privacy_officer"
    if by_committee and request.state == State.PRIVACY_REVIEW:
        raise WorkflowError(f"{request.id}: level {request.level} goes to the committee")
    _check_reviews(request, account.username, requirements)
    if by_committee:
        assert committee is not None
        _check_quorum(request, votes, committee)
        if requirements.decided_by == "admin" and "admin" not in account.roles:
            raise WorkflowError(f"{request.id}: level IV is decided by the top authority")
        recused = {v.member for v in votes if v.declaration.conflict}
        recused |= {r.reviewer for r in request.reviews_of() if r.declaration.conflict}
        if account.username in recused:
            raise SeparationOfDuties(f"{request.id}: {account.username} declared a conflict")
        present = [v for v in votes if not v.declaration.conflict and v.member in committee.members]
        ayes = sum(v.vote == "approve" for v in present)
        if outcome == "approved" and ayes <= sum(v.vote == "refuse" for v in present):
            raise WorkflowError(f"{request.id}: the committee did not vote to approve")
    grant = None
    if outcome == "approved":
        _check_conditions(request, conditions, requirements.condition_codes(request.kind))
        grant = grant_for(request, requirements.max_grant_months)
    decision = Decision(
        outcome=outcome,  # type: ignore[arg-type]
        by=account.username,
        role=role,
        at=now,
        round=request.round,
        grounds=grounds,
        conditions=conditions,
    )
    return moved(
        request, (account, role), "decide", DECIDED[outcome], now,
        decisions=[*request.decisions, decision], grant=grant,
    )  # fmt: skip


def grant_for(request: ReviewRequest, max_months: int) -> Grant:
    """The grant of an approval: the project's dates, cut at the level's maximum."""
    starts = request.body.starts
    ends = min(request.body.ends, months_after(starts, max_months))
    return Grant(starts=starts, ends=ends, remind_on=ends - timedelta(days=REMINDER_DAYS))
