"""``cartable steward …``: document, classify and certify a dataset, and its history.

Each command acts as the account named by ``--steward``: a steward of the dataset's
organization or an administrator; anyone else is refused and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from catalog.errors import CartableError
from ui.cli.context import console, print_json, print_table, state

if TYPE_CHECKING:
    from catalog.roles import Account
    from catalog.stewardship import Stewardship

steward_app = typer.Typer(help="Stewardship: edit and certify datasets.", no_args_is_help=True)
STEWARD = typer.Option(..., "--steward", help="The account that makes the edit.")
JSON = typer.Option(False, "--json")


@contextmanager
def _service(ctx: typer.Context, username: str) -> Iterator[tuple[Stewardship, Account]]:
    from catalog.accounts import AccountStore
    from catalog.stewardship import Stewardship

    with state(ctx).opened() as catalog:
        yield Stewardship(catalog), AccountStore(catalog).get(username)


def _edit(
    ctx: typer.Context,
    username: str,
    urn: str,
    as_json: bool,
    edit: Callable[[Stewardship, Account], bool],
) -> None:
    with _service(ctx, username) as (service, account):
        changed = edit(service, account)
    if as_json:
        print_json({"urn": urn, "changed": changed, "actor": username})
    else:
        console.print("modifié" if changed else "inchangé")


@steward_app.command()
def describe(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    french: str = typer.Option(None, "--fr", help="Description in French."),
    english: str = typer.Option(None, "--en", help="Description in English."),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Set the dataset's description (French, English or both)."""
    if french is None and english is None:
        raise CartableError("give --fr, --en or both")
    _edit(
        ctx, steward, urn, as_json, lambda s, a: s.describe(a, urn, french=french, english=english)
    )


@steward_app.command()
def owners(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    owner: list[str] = typer.Option(
        None, "--owner", help="TYPE=user (BUSINESS_OWNER, TECHNICAL_OWNER, DATA_STEWARD); repeat."
    ),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Replace the dataset's owners and stewards."""
    from catalog.stewardship import OWNER_TYPES, Owner

    chosen = []
    for item in owner or []:
        kind, sep, who = item.partition("=")
        if not sep or kind not in OWNER_TYPES or not who:
            raise CartableError(f"'{item}' is not TYPE=user with TYPE in {', '.join(OWNER_TYPES)}")
        principal = who if who.startswith("urn:li:") else f"urn:li:corpuser:{who}"
        chosen.append(Owner(urn=principal, type=kind))  # type: ignore[arg-type]
    _edit(ctx, steward, urn, as_json, lambda s, a: s.set_owners(a, urn, chosen))


@steward_app.command()
def domain(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    domain_urn: str = typer.Option(..., "--domain", help="Domain URN, or 'none'."),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Put the dataset in a domain."""
    chosen = None if domain_urn == "none" else domain_urn
    _edit(ctx, steward, urn, as_json, lambda s, a: s.set_domain(a, urn, chosen))


@steward_app.command()
def terms(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    term: list[str] = typer.Option(None, "--term", help="Business term URN or id; repeat."),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Replace the dataset's business glossary terms."""
    from catalog.glossary import BUSINESS_PREFIX

    chosen = [t if t.startswith("urn:li:") else BUSINESS_PREFIX + t for t in term or []]
    _edit(ctx, steward, urn, as_json, lambda s, a: s.set_terms(a, urn, chosen))


@steward_app.command()
def tags(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    tag: list[str] = typer.Option(None, "--tag", help="A tag; repeat."),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Replace the dataset's tags."""
    _edit(ctx, steward, urn, as_json, lambda s, a: s.set_tags(a, urn, list(tag or [])))


@steward_app.command()
def sensitivity(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    level: str = typer.Option(..., "--level", help="public, interne, confidentiel, restreint."),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Set the dataset's sensitivity level (it then stands over scans)."""
    _edit(ctx, steward, urn, as_json, lambda s, a: s.set_sensitivity(a, urn, level))


@steward_app.command()
def certify(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    withdraw: bool = typer.Option(False, "--withdraw", help="Withdraw the certification."),
    steward: str = STEWARD,
    as_json: bool = JSON,
) -> None:
    """Certify the dataset as trusted (or withdraw it)."""
    _edit(ctx, steward, urn, as_json, lambda s, a: s.certify(a, urn, not withdraw))


@steward_app.command()
def history(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    as_json: bool = JSON,
) -> None:
    """Who changed what and when, newest first."""
    from catalog.stewardship import Stewardship

    with state(ctx).opened() as catalog:
        changes = Stewardship(catalog).history(urn)
    if as_json:
        print_json(changes)
        return
    print_table(
        "Historique",
        ("time", "aspect", "version", "actor"),
        (
            (
                change.time.strftime("%Y-%m-%d %H:%M"),
                change.aspect,
                str(change.version),
                change.actor.removeprefix("urn:li:corpuser:"),
            )
            for change in changes
        ),
    )


def register(app: typer.Typer) -> None:
    """Add the ``steward`` group to the ``cartable`` app."""
    app.add_typer(steward_app, name="steward")
