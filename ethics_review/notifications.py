"""Who hears about a request's step, and what they read (pure; French texts).

A rule per event, as data: the requester hears of a decision, a revocation, an expiry and
the renewal reminder; the privacy officers (RPRP) of the holder organization hear of a
submission; the committee (its ethics members and privacy officers, and at level IV the top
authority) hears of a referral. Nobody is told of their own request's submission or
referral. ``messages_for(before, after, accounts)`` compares a request before and after an
action; ``reminder_messages(request)`` is the reminder the daily job sends. The outbox
(``outbox.py``) stores the messages and sends them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

from pydantic import BaseModel

from catalog.roles import Account
from ethics_review.decision_record import STATES, WORDS, condition_texts
from ethics_review.levels import ROMAN
from ethics_review.models import ReviewRequest, State

Kind = Literal["submitted", "referred", "decision", "revoked", "expired", "reminder"]


class Message(BaseModel):
    """A notification to one account (by username: the outbox finds the address)."""

    recipient: str
    subject: str
    body: str
    request_id: str
    kind: Kind


def _entered(state: State) -> Callable[[ReviewRequest | None, ReviewRequest], bool]:
    return lambda before, after: after.state == state and (before is None or before.state != state)


def _decided(before: ReviewRequest | None, after: ReviewRequest) -> bool:
    return len(after.decisions) > (0 if before is None else len(before.decisions))


def _requester(request: ReviewRequest, _accounts: Sequence[Account]) -> list[str]:
    return [request.requester]


def _officers(request: ReviewRequest, accounts: Sequence[Account]) -> list[str]:
    return [
        a.username
        for a in accounts
        if "privacy_officer" in a.roles and request.organization in a.organizations
    ]


def _committee(request: ReviewRequest, accounts: Sequence[Account]) -> list[str]:
    members = [
        a.username
        for a in accounts
        if {"ethics_member", "privacy_officer"} & set(a.roles)
        and request.organization in a.organizations
    ]
    if request.level == 4:
        members += [a.username for a in accounts if "admin" in a.roles]
    return members


def _title(request: ReviewRequest) -> str:
    return f"{request.id} « {request.title} »"


def _submitted(request: ReviewRequest) -> tuple[str, str]:
    kind = "d'accès à des données" if request.kind == "dataset_access" else "de projet d'IA"
    return (
        f"Nouvelle demande {kind} à trier : {request.id}",
        f"La demande {_title(request)} a été soumise par {request.requester} pour "
        f"l'organisme {request.organization or '—'}.\nElle attend son triage "
        f"(cartable review triage {request.id}).",
    )


def _referred(request: ReviewRequest) -> tuple[str, str]:
    level = ROMAN.get(request.level or 0, "—")
    return (
        f"Demande soumise au comité : {request.id} (niveau {level})",
        f"La demande {_title(request)}, de niveau {level}, est soumise au comité.\n"
        f"Examen, déclaration de conflit d'intérêts et vote : cartable review show {request.id}.",
    )


def _decision(request: ReviewRequest) -> tuple[str, str]:
    decision = request.decisions[-1]
    outcome = WORDS[decision.outcome]["fr"]
    lines = [f"La demande {_title(request)} est {outcome}.", f"Motifs : {decision.grounds}"]
    texts = condition_texts()
    if decision.conditions:
        lines.append("Conditions :")
        lines += [
            f"- {c.text or texts.get(c.code, {}).get('fr', c.code)}"
            + (f" (politique {c.policy}, empreinte {c.policy_digest})" if c.policy else "")
            for c in decision.conditions
        ]
    if request.grant is not None:
        lines.append(f"Accès accordé du {request.grant.starts} au {request.grant.ends}.")
    return f"Décision sur votre demande {request.id} : {outcome}", "\n".join(lines)


def _revoked(request: ReviewRequest) -> tuple[str, str]:
    return (
        f"Accès révoqué : {request.id}",
        f"L'accès accordé pour la demande {_title(request)} a été révoqué. Cessez d'utiliser "
        "les données et détruisez-les selon les conditions de la décision.",
    )


def _expired(request: ReviewRequest) -> tuple[str, str]:
    ended = request.grant.ends if request.grant else "—"
    return (
        f"Accès expiré : {request.id}",
        f"L'accès accordé pour la demande {_title(request)} a pris fin le {ended}. Détruisez "
        "les données et transmettez l'attestation de destruction au ou à la RPRP.",
    )


class Rule(NamedTuple):
    """When a message goes out, to whom, and what it says."""

    kind: Kind
    applies: Callable[[ReviewRequest | None, ReviewRequest], bool]
    recipients: Callable[[ReviewRequest, Sequence[Account]], list[str]]
    text: Callable[[ReviewRequest], tuple[str, str]]
    not_to_requester: bool = False


RULES: tuple[Rule, ...] = (
    Rule("submitted", _entered(State.SUBMITTED), _officers, _submitted, True),
    Rule("referred", _entered(State.COMMITTEE_REVIEW), _committee, _referred, True),
    Rule("decision", _decided, _requester, _decision),
    Rule("revoked", _entered(State.REVOKED), _requester, _revoked),
    Rule("expired", _entered(State.EXPIRED), _requester, _expired),
)


def messages_for(
    before: ReviewRequest | None, after: ReviewRequest, accounts: Sequence[Account]
) -> list[Message]:
    """The messages an action that turned ``before`` into ``after`` sends (none for most)."""
    messages = []
    for rule in RULES:
        if not rule.applies(before, after):
            continue
        subject, body = rule.text(after)
        recipients = dict.fromkeys(rule.recipients(after, accounts))
        for username in recipients:
            if rule.not_to_requester and username == after.requester:
                continue
            messages.append(
                Message(
                    recipient=username,
                    subject=subject,
                    body=body,
                    request_id=after.id,
                    kind=rule.kind,
                )
            )
    return messages


def reminder_messages(request: ReviewRequest) -> list[Message]:
    """The renewal reminder of a granted request (to its requester)."""
    if request.grant is None:
        return []
    state = STATES[request.state.value]["fr"]
    body = (
        f"L'accès accordé pour la demande {_title(request)} ({state}) prend fin le "
        f"{request.grant.ends}.\nPour le prolonger, demandez son renouvellement "
        f"(cartable review request-renewal {request.id})."
    )
    subject = f"Rappel : votre accès {request.id} prend fin le {request.grant.ends}"
    return [
        Message(
            recipient=request.requester,
            subject=subject,
            body=body,
            request_id=request.id,
            kind="reminder",
        )
    ]
