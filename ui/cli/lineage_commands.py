"""Lineage commands: parse, ingest, up, down, impact, path, cycles, propagate, block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from catalog.errors import CartableError
from ui.cli.context import console, errors, print_json, state

if TYPE_CHECKING:
    from catalog.roles import Account
    from lineage.service import LineageService

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


def _name(node: str) -> str:
    from lineage.graph import node_label

    return node_label(node)


@contextmanager
def _service(ctx: typer.Context) -> Iterator[LineageService]:
    from lineage.service import LineageService

    catalog = state(ctx).catalog()
    try:
        yield LineageService(catalog)
    finally:
        catalog.close()


def run_network_lineage(network_file: Path, db_url: str | None, quiet: bool) -> list[Any]:
    """Record the lineage every organization of a network file lists, with a progress bar."""
    from catalog.network import load_network
    from catalog.service import Catalog
    from lineage.service import LineageService

    network = load_network(network_file)
    total = sum(len(org.lineage) for org in network.organizations)
    catalog = Catalog.open(db_url)
    try:
        with Progress(console=errors, disable=quiet or not total, transient=True) as progress:
            task = progress.add_task("Lignage SQL", total=total)
            return LineageService(catalog).ingest_network(
                network, on_done=lambda _r: progress.advance(task)
            )
    finally:
        catalog.close()


def print_lineage_reports(reports: list[Any]) -> None:
    """The closing summary table of the lineage recorded from a network's SQL."""
    if not reports:
        return
    table = Table(title="Lignage SQL", title_justify="left")
    for column in ("run", "statements", "not parsed", "datasets", "column edges"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for r in reports:
        table.add_row(
            r.run_id,
            str(r.statements),
            str(r.failed),
            str(len(r.datasets)),
            str(r.column_edges),
        )
    console.print(table)


@lineage_app.command("ingest")
def ingest(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A SQL script, a query log (.jsonl) or a folder."),
    dialect: str = typer.Option(..., "--dialect", help=f"One of {', '.join(DIALECTS)}."),
    platform_instance: str = typer.Option(
        None, "--platform-instance", help="Organization code of the tables (as in the catalogue)."
    ),
    default_db: str = typer.Option(None, "--default-db"),
    default_schema: str = typer.Option(None, "--default-schema"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Parse the SQL and record its lineage in the catalogue (temporary tables resolved)."""
    from lineage.inputs import SqlSource, source_files

    if dialect not in DIALECTS:
        raise CartableError(f"unknown dialect '{dialect}' (known: {', '.join(DIALECTS)})")
    source = SqlSource(
        path=path,
        dialect=dialect,
        platform_instance=platform_instance,
        default_db=default_db,
        default_schema=default_schema,
    )
    source_files(path)  # a missing path fails here, before the catalogue is opened
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} énoncés"),
    )
    with (
        _service(ctx) as service,
        Progress(*columns, console=errors, disable=as_json, transient=True) as bar,
    ):
        task = bar.add_task("Lignage SQL", total=None)
        report = service.ingest(source, on_unit=lambda unit: bar.advance(task, len(unit)))
    if as_json:
        print_json(report)
        return
    console.print(
        f"{report.statements} statements, {report.failed} not parsed; "
        f"{len(report.datasets)} datasets with lineage, {report.column_edges} column edges; "
        f"{report.aspects_written} aspects written, {report.aspects_unchanged} unchanged"
    )
    for failure in report.failures:
        console.print(f"  [yellow]{failure.origin}[/yellow]: {failure.error}")


def _traverse(ctx: typer.Context, reference: str, direction: str, depth: int | None) -> Any:
    with _service(ctx) as service:
        node = service.node(reference)
        return service.graph().traverse(node, direction, depth)  # type: ignore[arg-type]


def _print_traversal(traversal: Any) -> None:
    table = Table(title=f"{_name(traversal.start)} ({traversal.direction})", title_justify="left")
    for column in ("depth", "from", "to", "kind"):
        table.add_column(column, overflow="fold")
    for edge in sorted(traversal.edges, key=lambda e: (e.depth, e.upstream, e.downstream)):
        table.add_row(
            str(edge.depth), _name(edge.upstream), _name(edge.downstream), edge.kind or ""
        )
    console.print(table)
    console.print(f"{len(traversal.nodes) - 1} node(s) reached")


def _traversal_command(direction: str, summary: str) -> Any:
    """The ``up`` or ``down`` command: the same options, one direction each."""

    def command(
        ctx: typer.Context,
        reference: str = typer.Argument(..., help="A dataset URN, or URN#column."),
        depth: int = typer.Option(None, "--depth", min=1, help="Hops to follow (default: all)."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        traversal = _traverse(ctx, reference, direction, depth)
        print_json(traversal) if as_json else _print_traversal(traversal)

    command.__doc__ = summary
    return command


lineage_app.command("up")(_traversal_command("up", "Everything upstream of a dataset or column."))
lineage_app.command("down")(
    _traversal_command("down", "Everything downstream of a dataset or column.")
)


@lineage_app.command("impact")
def impact(
    ctx: typer.Context,
    reference: str = typer.Argument(..., help="URN#column"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every downstream dataset and column of a column, with what propagation marks there."""
    if "#" not in reference:
        raise CartableError("impact needs a column: URN#column")
    with _service(ctx) as service:
        node = service.node(reference)
        report = service.impact(node)
    if as_json:
        print_json(report)
        return
    table = Table(title=f"Impact: {_name(node)}", title_justify="left")
    for column in ("depth", "dataset", "category", "column", "kinds", "mark"):
        table.add_column(column, overflow="fold")
    for entry in report.datasets:
        for column_name, detail in sorted(entry.columns.items()):
            row = (column_name, ", ".join(detail.kinds), detail.mark.status if detail.mark else "")
            table.add_row(str(entry.depth), entry.name, entry.category, *row)
        if entry.filtered_by:
            row = ("(rows filtered or joined)", "filter_join", "")
            table.add_row(str(entry.depth), entry.name, entry.category, *row)
    console.print(table)


@lineage_app.command("path")
def path_command(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="URN or URN#column upstream."),
    target: str = typer.Argument(..., help="URN or URN#column downstream."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The shortest lineage path from one node down to another."""
    with _service(ctx) as service:
        start, end = service.node(source), service.node(target)
        found = service.graph().path(start, end)
    if as_json:
        print_json({"source": start, "target": end, "path": found})
        return
    if found is None:
        console.print("no lineage path")
        return
    console.print(" → ".join(_name(n) for n in found))


@lineage_app.command("cycles")
def cycles(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Datasets that feed themselves through others."""
    with _service(ctx) as service:
        found = service.graph().cycles()
    if as_json:
        print_json(found)
        return
    for cycle in found:
        console.print(" → ".join(_name(n) for n in [*cycle, cycle[0]]))
    console.print(f"{len(found)} cycle(s)")


@lineage_app.command("propagate")
def propagate(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Compute without recording."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Mark the columns derived or aggregated from personal information."""
    with _service(ctx) as service:
        result = service.propagate()
        written = 0 if dry_run else service.record_propagation(result)
    if as_json:
        print_json(
            {"marks": list(result.marks.values()), "blocked": result.blocked, "written": written}
        )
        return
    table = Table(title="Propagation", title_justify="left")
    for column in ("column", "mark", "from", "via"):
        table.add_column(column, overflow="fold")
    for field, mark in sorted(result.marks.items()):
        via = " → ".join("/".join(step.kinds) for step in mark.path)
        table.add_row(
            _name(field),
            mark.status,
            _name(mark.source),
            via + ("" if mark.reason == "lineage" else f" ({mark.reason})"),
        )
    console.print(table)
    for step in result.blocked:
        console.print(f"blocked: {_name(step.upstream)} → {_name(step.downstream)}: {step.reason}")


@lineage_app.command("block")
def block(
    ctx: typer.Context,
    upstream: str = typer.Argument(..., help="URN#column of the upstream column."),
    downstream: str = typer.Argument(..., help="URN#column of the downstream column."),
    reason: str = typer.Option(..., "--reason", help="Why nothing sensitive flows on this edge."),
    steward: str = typer.Option(..., "--steward", help="The account of the steward who decides."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Stop sensitivity propagation along one column edge."""
    with _service(ctx) as service:
        up_node, down_node = service.node(upstream), service.node(downstream)
        service.block(up_node, down_node, reason, _account(service, steward))
    if as_json:
        print_json({"upstream": up_node, "downstream": down_node, "blocked": True})
    else:
        console.print(f"blocked: {_name(up_node)} → {_name(down_node)}")


@lineage_app.command("unblock")
def unblock(
    ctx: typer.Context,
    upstream: str = typer.Argument(..., help="URN#column of the upstream column."),
    downstream: str = typer.Argument(..., help="URN#column of the downstream column."),
    steward: str = typer.Option(..., "--steward", help="The account of the steward who decides."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Let propagation flow again along one column edge."""
    with _service(ctx) as service:
        up_node, down_node = service.node(upstream), service.node(downstream)
        lifted = service.unblock(up_node, down_node, _account(service, steward))
    if not lifted:
        raise CartableError("that edge was not blocked")
    if as_json:
        print_json({"upstream": up_node, "downstream": down_node, "blocked": False})
    else:
        console.print(f"unblocked: {_name(up_node)} → {_name(down_node)}")


def _account(service: LineageService, username: str) -> Account:
    from catalog.accounts import AccountStore

    return AccountStore(service.catalog).get(username)


@lineage_app.command("blocks")
def blocks(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """The blocked edges, who blocked them and why."""
    with _service(ctx) as service:
        found = service.blocks()
    if as_json:
        print_json(found)
        return
    for b in found:
        console.print(
            f"{_name(b.upstream_field)} → {_name(b.downstream_field)}: {b.reason} ({b.actor})"
        )
