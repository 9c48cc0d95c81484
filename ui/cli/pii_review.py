"""``cartable pii review|accept|reject``: the stewards' review of detection findings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from catalog.errors import CartableError
from ui.cli.context import console, print_json, state

if TYPE_CHECKING:
    from anonymization.review import PiiReview
    from anonymization.review_rules import ReviewDecision
    from catalog.roles import Account

STATUSES = ("pending", "reopened", "accepted", "rejected")


@contextmanager
def _review(ctx: typer.Context) -> Iterator[PiiReview]:
    from anonymization.review import PiiReview

    catalog = state(ctx).catalog()
    try:
        yield PiiReview(catalog)
    finally:
        catalog.close()


def _column(reference: str) -> tuple[str, str]:
    """``URN#column`` → (URN, column)."""
    urn, _, column = reference.rpartition("#")
    if not urn or not column:
        raise CartableError(f"'{reference}' is not URN#column")
    return urn, column


def review(
    ctx: typer.Context,
    dataset: str = typer.Option(None, "--dataset", help="Only this dataset's findings."),
    status: list[str] = typer.Option(
        None, "--status", help="pending, reopened, accepted, rejected (repeat; default: queue)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The review queue: findings waiting for a steward (or in the states asked for)."""
    from anonymization.review import QUEUE

    wanted = tuple(status or QUEUE)
    unknown = sorted(set(wanted) - set(STATUSES))
    if unknown:
        raise CartableError(f"unknown status {', '.join(unknown)} (known: {', '.join(STATUSES)})")
    with _review(ctx) as service:
        items = service.items(dataset, wanted)  # type: ignore[arg-type]
    if as_json:
        print_json(items)
        return
    table = Table(title="Revue des renseignements personnels", title_justify="left")
    for column in ("dataset", "column", "term", "status", "confidence", "evidence"):
        table.add_column(column, overflow="fold")
    for item in items:
        matched = ", ".join(f"{k} {v}/{item.sampled}" for k, v in sorted(item.matched.items()))
        confidence = "" if item.confidence is None else f"{item.confidence:.2f}"
        table.add_row(
            item.dataset_name, item.field_path, item.term, item.status, confidence, matched
        )
    console.print(table)
    console.print(f"{len(items)} finding(s)")


def accept(
    ctx: typer.Context,
    column: str = typer.Argument(..., help="URN#column of the finding."),
    reviewer: str = typer.Option(..., "--reviewer", help="The account of the steward who decides."),
    reason: str = typer.Option(None, "--reason", help="Why (optional)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Confirm a finding: the column is personal information of that kind."""
    urn, path = _column(column)
    with _review(ctx) as service:
        decision = service.accept(urn, path, _account(service, reviewer), reason)
    _report(decision, as_json)


def reject(
    ctx: typer.Context,
    column: str = typer.Argument(..., help="URN#column of the finding."),
    reviewer: str = typer.Option(..., "--reviewer", help="The account of the steward who decides."),
    reason: str = typer.Option(..., "--reason", help="Why the finding is wrong."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Dismiss a finding; it is raised again only if its evidence changes."""
    urn, path = _column(column)
    with _review(ctx) as service:
        decision = service.reject(urn, path, _account(service, reviewer), reason)
    _report(decision, as_json)


def _account(service: PiiReview, username: str) -> Account:
    from catalog.accounts import AccountStore

    return AccountStore(service.catalog).get(username)


def _report(decision: ReviewDecision, as_json: bool) -> None:
    if as_json:
        print_json(decision)
    else:
        console.print(f"{decision.decision}: {decision.field_path} ({decision.term})")
