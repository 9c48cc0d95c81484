"""The transition table: from which states each action may be taken, by which roles, to where.

Data, not code: the workflow looks an action up here and refuses what the table does not
allow, with a typed error the command line and the app render alike. Who *among* a role may
act (never on one's own request, two distinct reviewers, quorum…) is ``workflow.py``'s job.

``decide`` goes to ``approved``, ``refused`` or ``revise`` by its outcome; ``amend`` (a
material change) always goes back to triage, in a new round.
"""

from __future__ import annotations

from typing import NamedTuple

from ethics_review.models import State

REQUESTER = "requester"  # stands for the person who made the request, whatever their roles
BOTH = frozenset({"dataset_access", "ai_system"})
ACCESS = frozenset({"dataset_access"})
AI = frozenset({"ai_system"})
DECIDED = {"approved": State.APPROVED, "refused": State.REFUSED, "revise": State.REVISE}
LIVE_AI = frozenset({State.VALIDATION, State.PILOT, State.PRODUCTION, State.MONITORING})
UNDER_REVIEW = frozenset({State.TRIAGE, State.PRIVACY_REVIEW, State.COMMITTEE_REVIEW})


class Transition(NamedTuple):
    """An action: the states it starts from, where it leads (None: stays), who may take it."""

    action: str
    sources: frozenset[State]
    target: State | None
    roles: frozenset[str]
    kinds: frozenset[str] = BOTH


def _t(action: str, sources: set[State], target: State | None, roles: set[str], kinds=BOTH):  # type: ignore[no-untyped-def]
    return Transition(action, frozenset(sources), target, frozenset(roles), kinds)


RPRP = {"privacy_officer"}
COMMITTEE = {"ethics_member", "privacy_officer"}
TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", {State.DRAFT, State.REVISE}, State.SUBMITTED, {REQUESTER}),
    _t("withdraw", {State.DRAFT, State.SUBMITTED, State.TRIAGE, State.REVISE}, State.CLOSED,
       {REQUESTER}),
    _t("triage", {State.SUBMITTED}, State.TRIAGE, RPRP),
    _t("assess", {State.TRIAGE}, None, RPRP),
    _t("send_to_privacy_review", {State.TRIAGE}, State.PRIVACY_REVIEW, RPRP),
    _t("review", {State.PRIVACY_REVIEW}, None, RPRP),
    _t("refer_to_committee", {State.PRIVACY_REVIEW}, State.COMMITTEE_REVIEW, RPRP),
    _t("review", {State.COMMITTEE_REVIEW}, None, COMMITTEE),
    _t("vote", {State.COMMITTEE_REVIEW}, None, COMMITTEE),
    _t("decide", {State.PRIVACY_REVIEW}, None, RPRP),  # levels I–II
    _t("decide", {State.COMMITTEE_REVIEW}, None, COMMITTEE | {"admin"}),  # levels III–IV
    _t("activate", {State.APPROVED}, State.ACTIVE, RPRP | {"data_steward"}, ACCESS),
    _t("fulfil", {State.APPROVED, State.ACTIVE}, None, RPRP | {"data_steward"}, ACCESS),
    _t("start_validation", {State.APPROVED}, State.VALIDATION, RPRP, AI),
    _t("start_pilot", {State.VALIDATION}, State.PILOT, RPRP, AI),
    _t("go_to_production", {State.PILOT}, State.PRODUCTION, RPRP | {"admin"}, AI),
    _t("start_monitoring", {State.PRODUCTION}, State.MONITORING, RPRP, AI),
    _t("request_renewal", {State.ACTIVE, State.MONITORING}, State.RENEWAL, {REQUESTER}),
    _t("renew", {State.RENEWAL}, None, RPRP),  # back to active, or monitoring for AI
    _t("expire", {State.APPROVED, State.ACTIVE, State.RENEWAL, *LIVE_AI}, State.EXPIRED,
       {"system"}),
    _t("revoke", {State.APPROVED, State.ACTIVE, State.RENEWAL, *LIVE_AI}, State.REVOKED, RPRP),
    _t("close", {State.REFUSED, State.EXPIRED, State.REVOKED}, State.CLOSED, RPRP),
    _t("amend", {*UNDER_REVIEW, State.APPROVED, State.ACTIVE, State.RENEWAL, *LIVE_AI},
       State.TRIAGE, {REQUESTER}),
)  # fmt: skip
ACTIONS = sorted({t.action for t in TRANSITIONS})


def transitions_for(action: str, state: State, kind: str) -> Transition | None:
    """The transition of ``action`` from ``state`` for a request of ``kind``, if any."""
    for transition in TRANSITIONS:
        if transition.action == action and state in transition.sources and kind in transition.kinds:
            return transition
    return None


def available(state: State, kind: str) -> list[str]:
    """The actions the table allows from ``state`` (before the workflow's own rules)."""
    return sorted({t.action for t in TRANSITIONS if state in t.sources and kind in t.kinds})
