"""``cartable review …`` (requests through the privacy and ethics review) and
``cartable audit verify|show`` (the hash-chained journal).

Every command acts as ``--actor``; the workflow refuses what that account may not do, in one
line with exit code 2, and records nothing. Every command has ``--json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import yaml

from catalog.errors import CartableError
from ui.cli.context import console, print_json, print_table, state

if TYPE_CHECKING:
    from catalog.roles import Account
    from ethics_review.models import ReviewRequest
    from ethics_review.service import ReviewService

review_app = typer.Typer(
    help="Dataset-access and AI-system requests under review.", no_args_is_help=True
)
audit_app = typer.Typer(help="The audit journal.", no_args_is_help=True)
ACTOR = typer.Option(..., "--actor", help="The account that acts.")
JSON = typer.Option(False, "--json")
STATES = {
    "draft": "brouillon", "submitted": "soumise", "triage": "triage",
    "privacy_review": "examen vie privée", "committee_review": "examen par le comité",
    "approved": "approuvée", "refused": "refusée", "revise": "à réviser", "active": "accès actif",
    "renewal": "renouvellement", "expired": "expirée", "revoked": "révoquée", "closed": "fermée",
    "validation": "validation", "pilot": "pilote", "production": "production",
    "monitoring": "surveillance",
}  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the ``review`` and ``audit`` groups."""
    app.add_typer(review_app, name="review")
    app.add_typer(audit_app, name="audit")


@contextmanager
def _service(
    ctx: typer.Context, actor: str | None
) -> Iterator[tuple[ReviewService, Account | None]]:
    from catalog.accounts import AccountStore
    from ethics_review.service import ReviewService

    with state(ctx).opened() as catalog:
        account = AccountStore(catalog).get(actor) if actor else None
        yield ReviewService(catalog), account


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise CartableError(f"file {path} not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise CartableError(f"{path} is not valid YAML") from None
    if not isinstance(data, dict) or "body" not in data:
        raise CartableError(f"{path}: expected title, body and answers")
    return data


def _body(data: dict[str, Any], path: Path):  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from ethics_review.service import parse_body

    try:
        return parse_body(data["body"])
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CartableError(f"{path}: body.{where}: {first['msg']}") from None


def _show(request: ReviewRequest, as_json: bool) -> None:
    if as_json:
        print_json(request)
        return
    level = f"niveau {request.level}" if request.level else "non évaluée"
    console.print(
        f"{request.id} · {request.title} · {STATES[request.state.value]} · {level} · "
        f"ronde {request.round}"
    )


@review_app.command("create")
def create(
    ctx: typer.Context,
    file: Path = typer.Option(
        ..., "--file", help="YAML: title, body (kind: dataset_access|ai_system…), answers."
    ),  # fmt: skip
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Create a draft request from a YAML file."""
    data = _read(file)
    body = _body(data, file)
    with _service(ctx, actor) as (service, account):
        assert account is not None
        request = service.create(
            account, str(data.get("title", "")), body, data.get("answers") or {}
        )
    _show(request, as_json)


@review_app.command("amend")
def amend(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    file: Path = typer.Option(..., "--file", help="The changed request (YAML)."),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Change a draft, or a request under review or granted (material: back to triage)."""
    data = _read(file)
    body = _body(data, file)
    with _service(ctx, actor) as (service, account):
        assert account is not None
        current = service.get(request_id)
        answers = data.get("answers") or {}
        if current.state.value in ("draft", "revise"):
            request = service.update_draft(account, request_id, body, answers)
        else:
            request = service.amend(account, request_id, body, answers)
    _show(request, as_json)


def _simple(name: str, method: str, help_text: str) -> None:
    def command(
        ctx: typer.Context,
        request_id: str = typer.Argument(...),
        actor: str = ACTOR,
        as_json: bool = JSON,
    ) -> None:
        with _service(ctx, actor) as (service, account):
            assert account is not None
            if method == "act":
                request = service.act(account, request_id, name.replace("-", "_"))
            else:
                request = getattr(service, method)(account, request_id)
        _show(request, as_json)

    command.__doc__ = help_text
    review_app.command(name)(command)


for _name, _method, _help in (
    ("submit", "submit", "Submit a complete request."),
    ("assess", "assess", "Score the answers and apply the floors (RPRP)."),
    ("refer", "refer", "Send a level III–IV request to the committee (RPRP)."),
    ("activate", "activate", "Open an approved access."),
    ("withdraw", "act", "Withdraw one's own request."),
    ("triage", "act", "Take a submitted request into triage (RPRP)."),
    ("send-to-privacy-review", "act", "Send a triaged request to the privacy review (RPRP)."),
    ("start-validation", "act", "An approved AI system enters validation (RPRP)."),
    ("start-pilot", "act", "A validated AI system enters its pilot (RPRP)."),
    ("go-to-production", "act", "A piloted AI system goes to production (RPRP, top authority)."),
    ("start-monitoring", "act", "An AI system in production enters monitoring (RPRP)."),
    ("request-renewal", "act", "Ask to renew one's grant."),
    ("revoke", "act", "Revoke a grant (RPRP)."),
    ("close", "act", "Close a refused, expired or revoked request (RPRP)."),
):
    _simple(_name, _method, _help)


def _declaration(conflict: bool, details: str | None):  # type: ignore[no-untyped-def]
    from ethics_review.models import Declaration

    return Declaration(conflict=conflict, details=details or "")


@review_app.command("review")
def review_command(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    recommend: str = typer.Option(
        ..., "--recommend", help="approve, approve_with_conditions, refuse or revise."
    ),  # fmt: skip
    conflict: bool = typer.Option(
        ..., "--conflict/--no-conflict", help="Conflict-of-interest declaration."
    ),  # fmt: skip
    details: str = typer.Option(None, "--details", help="What the conflict is."),
    comments: str = typer.Option("", "--comments"),
    condition: list[str] = typer.Option(None, "--condition", help="A condition asked for (code)."),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Record a privacy or ethics review (a declared conflict recuses)."""
    if recommend not in ("approve", "approve_with_conditions", "refuse", "revise"):
        raise CartableError(
            f"--recommend {recommend}: approve, approve_with_conditions, refuse or revise"
        )
    with _service(ctx, actor) as (service, account):
        assert account is not None
        request = service.review(
            account, request_id, declaration=_declaration(conflict, details),
            recommendation=recommend, comments=comments, conditions=condition or [],  # type: ignore[arg-type]
        )  # fmt: skip
    _show(request, as_json)


@review_app.command("vote")
def vote_command(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    choice: str = typer.Argument(..., help="approve, refuse or abstain."),
    conflict: bool = typer.Option(
        ..., "--conflict/--no-conflict", help="Conflict-of-interest declaration."
    ),  # fmt: skip
    details: str = typer.Option(None, "--details"),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """A committee member's vote."""
    if choice not in ("approve", "refuse", "abstain"):
        raise CartableError(f"vote {choice}: approve, refuse or abstain")
    with _service(ctx, actor) as (service, account):
        assert account is not None
        request = service.vote(account, request_id, choice, _declaration(conflict, details))
        votes = service.votes(request_id)
    if as_json:
        print_json({"request": request.id, "round": request.round, "votes": votes})
    else:
        console.print(f"{request.id} : {len(votes)} vote(s) à la ronde {request.round}")


@review_app.command("decide")
def decide_command(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    outcome: str = typer.Argument(..., help="approved, refused or revise."),
    grounds: str = typer.Option(..., "--grounds", help="The grounds of the decision."),
    condition: list[str] = typer.Option(
        None, "--condition", help="A condition beyond the level's (code)."
    ),  # fmt: skip
    policy_file: Path = typer.Option(
        None, "--policy", help="The extract policy a de-identification condition approves."
    ),  # fmt: skip
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Decide the current round; an approval carries its level's conditions."""
    from anonymization.policy import load_policy
    from ethics_review.levels import approval_conditions
    from ethics_review.models import Condition

    if outcome not in ("approved", "refused", "revise"):
        raise CartableError(f"decision {outcome}: approved, refused or revise")
    policy = load_policy(policy_file) if policy_file else None
    with _service(ctx, actor) as (service, account):
        assert account is not None
        current = service.get(request_id)
        named = (policy.name, policy.digest()) if policy is not None else None
        conditions = (
            approval_conditions(current.level, current.kind, policy=named, extra=condition or [])
            if outcome == "approved" and current.level
            else [Condition(code=c) for c in condition or []]
        )
        request = service.decide(
            account, request_id, outcome=outcome, grounds=grounds, conditions=conditions
        )
    _show(request, as_json)


@review_app.command("fulfil")
def fulfil(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    extract: str = typer.Option(..., "--extract", help="URN of the extract delivered."),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Record the extract that delivers an approved access (made with the approved policy)."""
    with _service(ctx, actor) as (service, account):
        assert account is not None
        request = service.fulfil(account, request_id, extract)
    _show(request, as_json)


@review_app.command("renew")
def renew(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    until: str = typer.Option(..., "--until", help="New end date (YYYY-MM-DD)."),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Extend a grant within its level's maximum (RPRP)."""
    with _service(ctx, actor) as (service, account):
        assert account is not None
        request = service.renew(account, request_id, _day(until))
    _show(request, as_json)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CartableError(f"{text}: expected YYYY-MM-DD") from None


@review_app.command("expire")
def expire(
    ctx: typer.Context,
    today: str = typer.Option(
        None, "--today", help="The day to expire grants on (default: today)."
    ),  # fmt: skip
    as_json: bool = JSON,
) -> None:
    """Expire every grant past its end date (run daily)."""
    with _service(ctx, None) as (service, _):
        expired = service.expire_due(_day(today) if today else None)
    if as_json:
        print_json({"expired": expired})
    else:
        console.print(f"{len(expired)} accès expiré(s) : {', '.join(expired) or '—'}")


@review_app.command("list")
def list_requests(
    ctx: typer.Context,
    status: list[str] = typer.Option(None, "--state", help="Only these states (repeat)."),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """The requests the actor may see: their own, their organizations' if they review."""
    from ethics_review.models import State

    try:
        states = tuple(State(s) for s in status or [])
    except ValueError:
        raise CartableError(f"--state: one of {', '.join(s.value for s in State)}") from None
    with _service(ctx, actor) as (service, account):
        assert account is not None
        requests = service.visible_to(account, states)
    if as_json:
        print_json(requests)
        return
    print_table(
        "Demandes",
        ("demande", "titre", "type", "état", "niveau", "demandeur", "organisme"),
        [
            (r.id, r.title, "IA" if r.kind == "ai_system" else "accès", STATES[r.state.value],
             str(r.level or "—"), r.requester, r.organization or "—")
            for r in requests
        ],
    )  # fmt: skip


@review_app.command("show")
def show(
    ctx: typer.Context,
    request_id: str = typer.Argument(...),
    as_json: bool = JSON,
) -> None:
    """A request with its assessment, reviews, decisions and grant."""
    with _service(ctx, None) as (service, _):
        request = service.get(request_id)
        votes = service.votes(request_id)
    if as_json:
        cast = [v.model_dump(mode="json") for v in votes]
        print_json({**request.model_dump(mode="json"), "votes": cast})
        return
    _show(request, False)
    for event in request.history:
        console.print(f"  {event.at:%Y-%m-%d %H:%M} {event.actor} ({event.role}) : {event.action}")


@audit_app.command("verify")
def verify(ctx: typer.Context, as_json: bool = JSON) -> None:
    """Check the journal's chain: exit 1 and name every altered, deleted or reordered entry."""
    from ethics_review.audit import AuditJournal

    with state(ctx).opened() as catalog:
        result = AuditJournal(catalog.database).verify()
    if as_json:
        print_json(result)
    elif result.ok:
        console.print(f"Journal intègre : {result.entries} entrées, tête {result.head_hash}")
    else:
        for problem in result.problems:
            where = f"entrée {problem.seq}" if problem.seq is not None else "journal"
            console.print(f"[red]{problem.kind}[/red] {where} : {problem.detail}")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("show")
def show_journal(
    ctx: typer.Context,
    subject: str = typer.Option(None, "--subject", help="Only one request's entries."),
    as_json: bool = JSON,
) -> None:
    """The journal's entries (who, role, when, what)."""
    from ethics_review.audit import AuditJournal

    with state(ctx).opened() as catalog:
        entries = AuditJournal(catalog.database).entries(subject=subject)
    if as_json:
        print_json(entries)
        return
    print_table(
        "Journal d'audit",
        ("n°", "moment", "qui", "rôle", "action", "objet"),
        [
            (str(e.seq), f"{e.recorded_on:%Y-%m-%d %H:%M:%S}", e.actor, e.role, e.action, e.subject)
            for e in entries
        ],  # fmt: skip
    )
