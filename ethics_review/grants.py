"""Grants: an approved request's access, delivered, renewed, expired (pure rules).

An access with a de-identification condition is delivered only by an extract made, after
the approval, from a requested dataset, with the very policy approved (same digest). Every
grant ends; its reminder comes ``REMINDER_DAYS`` before; past its end it expires on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from catalog.roles import Account
from ethics_review.models import Condition, Event, ReviewRequest, State
from ethics_review.workflow import (
    DEIDENTIFY,
    REMINDER_DAYS,
    WorkflowError,
    act_as,
    months_after,
    moved,
)

# granted, whether delivered yet or not: every one of them ends
LIVE = (
    State.APPROVED, State.ACTIVE, State.RENEWAL, State.VALIDATION, State.PILOT, State.PRODUCTION,
    State.MONITORING,
)  # fmt: skip


def approved_conditions(request: ReviewRequest) -> list[Condition]:
    """The conditions of the latest approval."""
    for decision in reversed(request.decisions):
        if decision.outcome == "approved":
            return list(decision.conditions)
    return []


def fulfil(
    request: ReviewRequest,
    account: Account,
    *,
    extract_urn: str,
    source: str,
    columns: Sequence[str],
    policy_digest: str,
    made_at: datetime,
    now: datetime,
) -> ReviewRequest:
    """Record the extract that delivers an approved access; refused unless it was made,
    after the approval, from a requested dataset, with the approved policy, and holds only
    requested columns."""
    _transition, role = act_as(request, account, "fulfil")
    wanted = [c for c in approved_conditions(request) if c.code == DEIDENTIFY]
    if wanted and policy_digest not in {c.policy_digest for c in wanted}:
        raise WorkflowError(f"{request.id}: this extract was not made with the approved policy")
    scopes = {d.urn: d for d in request.datasets()}
    if source not in scopes:
        raise WorkflowError(f"{request.id}: the extract's source is not a requested dataset")
    beyond = sorted(set(columns) - set(scopes[source].columns)) if scopes[source].columns else []
    if beyond:
        raise WorkflowError(
            f"{request.id}: the extract holds columns not requested ({', '.join(beyond)})"
        )
    approval = request.decisions[-1].at
    if made_at < approval:
        raise WorkflowError(f"{request.id}: the extract was made before the approval")
    assert request.grant is not None
    grant = request.grant.model_copy(update={"extracts": [*request.grant.extracts, extract_urn]})
    return moved(request, (account, role), "fulfil", request.state, now, grant=grant)


def activate(request: ReviewRequest, account: Account, now: datetime) -> ReviewRequest:
    """Open an approved access; one with a de-identification condition only once an extract
    made with the approved policy has been recorded (``fulfil``)."""
    _transition, role = act_as(request, account, "activate")
    deidentify = any(c.code == DEIDENTIFY for c in approved_conditions(request))
    if deidentify and not (request.grant and request.grant.extracts):
        raise WorkflowError(
            f"{request.id}: the data goes out only as an extract made with the approved policy"
        )
    return moved(request, (account, role), "activate", State.ACTIVE, now)


def due_for_expiry(request: ReviewRequest, today: date) -> bool:
    """Whether a live grant has passed its end date."""
    return request.state in LIVE and request.grant is not None and today > request.grant.ends


def due_for_reminder(request: ReviewRequest, today: date) -> bool:
    """Whether a live grant's renewal reminder is due."""
    return (
        request.state in (State.ACTIVE, State.MONITORING)
        and request.grant is not None
        and request.grant.remind_on <= today <= request.grant.ends
    )


def expire(request: ReviewRequest, now: datetime) -> ReviewRequest:
    """The automatic end of a grant past its end date."""
    if not due_for_expiry(request, now.date()):
        raise WorkflowError(f"{request.id}: not due to expire")
    event = Event(at=now, actor="cartable", role="system", action="expire", state=State.EXPIRED)
    return request.model_copy(update={"state": State.EXPIRED, "history": [*request.history, event]})


def renew(request: ReviewRequest, account: Account, *, ends: date, max_grant_months: int,
          now: datetime) -> ReviewRequest:  # fmt: skip
    """Extend a grant by at most one more period of its level (from its end, or from today
    if later) and reopen it."""
    _transition, role = act_as(request, account, "renew")
    assert request.grant is not None
    current = max(request.grant.ends, now.date())
    limit = months_after(current, max_grant_months)  # at most one more period of the level
    if ends > limit:
        raise WorkflowError(f"{request.id}: a renewal ends on {limit} at the latest")
    if ends <= current:
        raise WorkflowError(f"{request.id}: a renewal ends after {request.grant.ends} and today")
    grant = request.grant.model_copy(
        update={"ends": ends, "remind_on": ends - timedelta(days=REMINDER_DAYS)}
    )
    back = State.MONITORING if request.kind == "ai_system" else State.ACTIVE
    return moved(request, (account, role), "renew", back, now, grant=grant)
