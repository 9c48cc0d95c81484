"""Lineage commands: ``cartable lineage parse``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from catalog.errors import CartableError
from ui.cli.context import console, print_json, state

lineage_app = typer.Typer(help="Column-level lineage from SQL.", no_args_is_help=True)
DIALECTS = ("postgres", "tsql", "mysql", "sqlite")


def register(app: typer.Typer) -> None:
    """Add the ``lineage`` command group to the application."""
    app.add_typer(lineage_app, name="lineage")


@lineage_app.command("parse")
def parse(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A SQL file (one or more statements)."),
    dialect: str = typer.Option(..., "--dialect", help=f"One of {', '.join(DIALECTS)}."),
    default_db: str = typer.Option(None, "--default-db"),
    default_schema: str = typer.Option(None, "--default-schema"),
    platform_instance: str = typer.Option(
        None, "--platform-instance", help="Organization code of the tables (as in the catalogue)."
    ),
    use_catalog: bool = typer.Option(
        True, "--catalog/--no-catalog", help="Resolve columns with the catalogue's schemas."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Per statement: tables read and written, column lineage, edge kind, confidence, error."""
    from lineage.parse import DIALECT_PLATFORMS, parse_script

    if dialect not in DIALECTS:
        raise CartableError(f"unknown dialect '{dialect}' (known: {', '.join(DIALECTS)})")
    if not path.is_file():
        raise CartableError(f"SQL file not found: {path}")
    try:
        sql = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CartableError(f"{path} is not UTF-8 text") from None
    schemas = None
    if use_catalog:
        from lineage.schemas import catalog_schemas

        catalog = state(ctx).catalog()
        try:
            schemas = catalog_schemas(catalog, DIALECT_PLATFORMS[dialect], platform_instance)
        finally:
            catalog.close()
    statements = parse_script(
        sql,
        dialect=dialect,
        platform_instance=platform_instance,
        default_db=default_db,
        default_schema=default_schema,
        schemas=schemas,
    )
    if as_json:
        print_json(statements)
        return
    table = Table(title=f"{path.name}: {len(statements)} statements", title_justify="left")
    for column in ("#", "type", "reads", "writes", "column edges", "confidence", "error"):
        table.add_column(column, overflow="fold")
    for s in statements:
        table.add_row(
            str(s.index),
            s.query_type,
            "\n".join(_name(u) for u in s.inputs),
            "\n".join(_name(u) for u in s.outputs),
            str(len(s.columns)),
            f"{s.confidence:.2f}",
            s.error or "",
        )
    console.print(table)
    failed = sum(1 for s in statements if s.error)
    console.print(
        f"{failed} statement(s) could not be parsed" if failed else "all statements parsed"
    )


def _name(urn: str) -> str:
    """The qualified name of a dataset URN, for display."""
    return urn.split(",")[1] if urn.count(",") >= 2 else urn
