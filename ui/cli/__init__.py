"""The ``cartable`` command line: a thin layer over the packages' services.

Every command that reports something has ``--json``. A CartableError (bad input, a bad URL,
an unreachable server) is printed as one line on stderr with exit code 2, no traceback.
"""

from __future__ import annotations

import logging
import os
import sys

import typer

from catalog.database import require_existing_folder
from catalog.errors import CartableError
from ui.cli import (
    account_commands,
    app_commands,
    catalog_commands,
    extract_commands,
    lineage_commands,
    pii_commands,
    register_commands,
    review_commands,
    search_commands,
    steward_commands,
)
from ui.cli.context import State

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

app = typer.Typer(
    name="cartable",
    help="Cartable: data catalogue and governance for Quebec's education network.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_commands.register(app)
app_commands.register(app)
lineage_commands.register(app)
pii_commands.register(app)
account_commands.register(app)
search_commands.register(app)
steward_commands.register(app)
extract_commands.register(app)
review_commands.register(app)
register_commands.register(app)


@app.callback()
def _options(
    ctx: typer.Context,
    db_url: str = typer.Option(
        None,
        "--db-url",
        envvar="CARTABLE_DB_URL",
        help="Catalogue URL (sqlite:///… or postgresql://…); default: local SQLite.",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show DataHub's log."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        for noisy in ("datahub", "sqlglot", "py.warnings", "presidio-analyzer"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
    if db_url:  # given by the user: a mistyped folder is refused, never created
        require_existing_folder(db_url)
    ctx.obj = State(db_url=db_url)


def main() -> None:
    """Entry point of the ``cartable`` console script."""
    try:
        code = app(standalone_mode=False)  # returns typer.Exit's code instead of exiting
    except CartableError as exc:
        typer.echo(f"cartable: {exc}", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("cartable: aborted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(code if isinstance(code, int) else 0)
