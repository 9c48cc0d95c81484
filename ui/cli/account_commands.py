"""``cartable accounts add|list``: the local accounts people sign in with."""

from __future__ import annotations

import typer
from rich.table import Table

from ui.cli.context import console, print_json, state

accounts_app = typer.Typer(help="Local accounts, roles and organizations.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``accounts`` command group to the application."""
    app.add_typer(accounts_app, name="accounts")


@accounts_app.command("add")
def add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The name to sign in with."),
    name: str = typer.Option(..., "--name", help="The person's name, as shown."),
    role: list[str] = typer.Option(..., "--role", help="A role (repeat for several)."),
    organization: list[str] = typer.Option(
        None, "--org", help="An organization code the person acts for (repeat)."
    ),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="CARTABLE_NEW_PASSWORD",
        help="Asked for when not in CARTABLE_NEW_PASSWORD; never given on the command line.",
    ),
    replace: bool = typer.Option(False, "--replace", help="Reset an existing account."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an account (the password is stored as a scrypt hash)."""
    from pydantic import ValidationError

    from catalog.accounts import AccountStore
    from catalog.errors import CartableError
    from catalog.roles import ROLES, Account

    try:
        account = Account(
            username=username,
            display_name=name,
            roles=role,  # type: ignore[arg-type]
            organizations=organization or [],
        )
    except ValidationError:
        raise CartableError(f"unknown role (known: {', '.join(ROLES)})") from None
    catalog = state(ctx).catalog()
    try:
        AccountStore(catalog).add(account, password, replace=replace)
    finally:
        catalog.close()
    if as_json:
        print_json(account)
    else:
        console.print(f"account {account.username}: {', '.join(account.roles)}")


@accounts_app.command("list")
def list_accounts(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every account with its roles and organizations (never a password)."""
    from catalog.accounts import AccountStore

    catalog = state(ctx).catalog()
    try:
        found = AccountStore(catalog).all()
    finally:
        catalog.close()
    if as_json:
        print_json(found)
        return
    table = Table(title="Comptes", title_justify="left")
    for column in ("username", "name", "roles", "organizations"):
        table.add_column(column)
    for a in found:
        table.add_row(a.username, a.display_name, ", ".join(a.roles), ", ".join(a.organizations))
    console.print(table)
