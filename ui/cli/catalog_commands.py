"""Catalogue commands: ingest, datasets, show, runs, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from catalog.errors import CartableError
from catalog.export import FORMATS, export_datahub_json
from catalog.ingest import IngestOutcome, ingest_recipe_file
from catalog.network import ingest_network, load_network, recipe_count
from ui.cli.context import console, errors, print_json, state
from ui.cli.lineage_commands import print_lineage_reports, run_network_lineage


def report_failures(outcomes: list[IngestOutcome]) -> None:
    """One plain line on stderr per failed recipe, then exit code 2."""
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        typer.echo(f"cartable: ingestion failed: {outcome.error}", err=True)
    if failed:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the catalogue commands to the application."""
    app.command()(ingest)
    app.command()(datasets)
    app.command()(show)
    app.command()(runs)
    app.command()(export)


def ingest(
    ctx: typer.Context,
    recipe: Path = typer.Argument(
        None, help="A DataHub recipe (YAML); the sink defaults to Cartable."
    ),
    network: Path = typer.Option(None, "--network", help="A network file: run every recipe in it."),
    workers: int = typer.Option(
        None, "--workers", min=1, help="Parallel pipelines (default: cores)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the runs as JSON."),
) -> None:
    """Ingest metadata through DataHub's pipeline into the catalogue."""
    if (recipe is None) == (network is None):
        raise CartableError("give either a recipe file or --network FILE")
    db_url = state(ctx).db_url
    state(ctx).catalog().close()  # a bad catalogue URL fails here, before any pipeline runs
    lineage: list[Any] = []
    if recipe is not None:
        outcomes = [ingest_recipe_file(recipe, db_url=db_url)]
    else:
        outcomes = run_network(network, db_url, workers, quiet=as_json)
        lineage = run_network_lineage(network, db_url, quiet=as_json)
    if as_json:
        print_json({"runs": outcomes, "lineage": lineage} if network else outcomes)
    else:
        print_outcomes(outcomes)
        print_lineage_reports(lineage)
    report_failures(outcomes)


def run_network(
    path: Path, db_url: str | None, workers: int | None, quiet: bool
) -> list[IngestOutcome]:
    """Run a network file's recipes with a progress bar on stderr."""
    network = load_network(path)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, disable=quiet, transient=True) as progress:
        task = progress.add_task("Ingestion du réseau", total=recipe_count(network))
        return ingest_network(
            network, db_url=db_url, workers=workers, on_done=lambda _o: progress.advance(task)
        )


def print_outcomes(outcomes: list[IngestOutcome]) -> None:
    """The closing summary table of an ingestion."""
    table = Table(title="Ingestion", title_justify="left")
    for column in ("pipeline", "status", "entities", "written", "unchanged", "warnings", "seconds"):
        table.add_column(column, justify="left" if column in ("pipeline", "status") else "right")
    for o in outcomes:
        run = o.run
        if run is None:
            table.add_row(o.pipeline_name, "[red]ERROR[/red]", "", "", "", "", "")
            continue
        colour = "green" if o.ok else "red"
        table.add_row(
            o.pipeline_name,
            f"[{colour}]{run.status}[/{colour}]",
            str(run.entities_seen),
            str(run.aspects_written),
            str(run.aspects_unchanged),
            str(len(run.warnings)),
            f"{run.duration_s or 0:.1f}",
        )
    console.print(table)


def datasets(
    ctx: typer.Context,
    organization: str = typer.Option(None, "--org", help="Organization code."),
    domain: str = typer.Option(None, "--domain", help="Domain id, e.g. reussite-educative."),
    platform: str = typer.Option(None, "--platform", help="Platform, e.g. sqlite, file, excel."),
    include_removed: bool = typer.Option(False, "--all", help="Include soft-deleted datasets."),
    limit: int = typer.Option(None, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List the datasets in the catalogue."""
    catalog = state(ctx).catalog()
    try:
        found = catalog.entities(
            "dataset",
            include_removed=include_removed,
            organization=organization,
            domain_urn=f"urn:li:domain:{domain}" if domain else None,
            platform=platform,
            limit=limit,
        )
    finally:
        catalog.close()
    if as_json:
        print_json(found)
        return
    table = Table(title=f"{len(found)} jeux de données", title_justify="left")
    for column in ("organization", "domain", "platform", "name", "urn"):
        table.add_column(column, overflow="fold")
    for d in found:
        table.add_row(
            d.organization or "",
            (d.domain_urn or "").rsplit(":", 1)[-1],
            d.platform or "",
            d.name or "",
            d.urn + (" (supprimé)" if d.removed else ""),
        )
    console.print(table)


def show(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show one dataset: where it lives, its columns, lineage and versions."""
    catalog = state(ctx).catalog()
    try:
        detail = catalog.entity(urn)
    finally:
        catalog.close()
    if as_json:
        print_json(detail)
        return
    s = detail.summary
    console.print(f"[bold]{s.name}[/bold]  {s.urn}")
    console.print(
        f"organization: {s.organization}   domain: {s.domain_urn}   "
        f"platform: {s.platform}   removed: {s.removed}"
    )
    fields = detail.aspects.get("schemaMetadata", {}).get("fields", [])
    table = Table(title=f"{len(fields)} columns", title_justify="left")
    table.add_column("column")
    table.add_column("type")
    for f in fields:
        table.add_row(f["fieldPath"], f.get("nativeDataType", ""))
    console.print(table)
    for upstream in detail.aspects.get("upstreamLineage", {}).get("upstreams", []):
        console.print(f"upstream: {upstream['dataset']} ({upstream.get('type', '')})")
    console.print("versions: " + ", ".join(f"{k}={v}" for k, v in sorted(detail.versions.items())))


def runs(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", min=1),
    pipeline: str = typer.Option(None, "--pipeline", help="Only runs of this pipeline."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List ingestion runs, newest first."""
    catalog = state(ctx).catalog()
    try:
        found = catalog.runs.list(limit=limit, pipeline_name=pipeline)
    finally:
        catalog.close()
    if as_json:
        print_json(found)
        return
    table = Table(title="Exécutions d'ingestion", title_justify="left")
    for column in (
        "started",
        "pipeline",
        "source",
        "status",
        "events",
        "written",
        "unchanged",
        "warnings",
        "failures",
        "seconds",
    ):
        table.add_column(column)
    for r in found:
        table.add_row(
            r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            r.pipeline_name or "",
            r.source_type,
            r.status,
            str(r.events_produced),
            str(r.aspects_written),
            str(r.aspects_unchanged),
            str(len(r.warnings)),
            str(len(r.failures)),
            f"{r.duration_s:.1f}" if r.duration_s is not None else "",
        )
    console.print(table)


def export(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="Output file."),
    fmt: str = typer.Option("datahub-json", "--format", help="Only datahub-json for now."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Export the catalogue as a DataHub metadata file (passes `datahub check metadata-file`)."""
    if fmt not in FORMATS:
        raise CartableError(f"unknown export format '{fmt}' (known: {', '.join(FORMATS)})")
    catalog = state(ctx).catalog()
    try:
        count = export_datahub_json(catalog, path)
    finally:
        catalog.close()
    if as_json:
        print_json({"path": str(path), "format": fmt, "aspects": count})
    else:
        console.print(f"{count} aspects written to {path}")
