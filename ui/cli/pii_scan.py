"""``cartable pii scan``: classify the columns of catalogued datasets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from catalog.errors import CartableError
from ui.cli.context import console, errors, print_json, state

if TYPE_CHECKING:
    from anonymization.scan import DatasetScan, PiiScanner
    from catalog.service import Catalog


def scan_network(
    catalog: Catalog, network_file: Path, quiet: bool, workers: int | None = None
) -> list[DatasetScan]:
    """Scan (in ``workers`` processes; None: as many as help) and record every dataset of
    the catalogue, with a progress bar."""
    from anonymization.analyzer import network_analyzer
    from anonymization.scan import PiiScanner
    from catalog.network import load_network

    scanner = PiiScanner(catalog, load_network(network_file), network_analyzer)
    scans = _scan_all(scanner, [d.urn for d in catalog.entities("dataset")], quiet, workers)
    scanner.record(scans)
    return scans


def _scan_all(
    scanner: PiiScanner, targets: list[str], quiet: bool, workers: int | None
) -> list[DatasetScan]:
    from anonymization.parallel_scan import scan_datasets

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=errors, disable=quiet, transient=True) as bar:
        task = bar.add_task("Détection des renseignements personnels", total=len(targets))
        return scan_datasets(
            scanner, targets, workers=workers, on_done=lambda _scan: bar.advance(task)
        )


def scan(
    ctx: typer.Context,
    urns: list[str] = typer.Argument(None, help="Dataset URNs (or --all)."),
    scan_all: bool = typer.Option(False, "--all", help="Every dataset of the catalogue."),
    network_file: Path = typer.Option(
        ..., "--network", envvar="CARTABLE_NETWORK", help="The network file: where data lives."
    ),
    sample: int = typer.Option(100, "--sample", min=1, max=100_000, help="Values per column."),
    workers: int = typer.Option(
        None, "--workers", min=1, help="Processes (default: one per CPU the memory holds)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Classify without recording."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Findings per column (term, confidence, evidence counts; never values)."""
    from anonymization.analyzer import network_analyzer
    from anonymization.scan import PiiScanner
    from catalog.network import load_network

    if bool(urns) == scan_all:
        raise CartableError("give dataset URNs or --all")
    network = load_network(network_file)
    catalog = state(ctx).catalog()
    try:
        targets = [d.urn for d in catalog.entities("dataset")] if scan_all else list(urns)
        for urn in targets:
            catalog.entity(urn)  # an unknown URN fails before anything is read
        scanner = PiiScanner(catalog, network, network_analyzer, sample_size=sample)
        scans = _scan_all(scanner, targets, as_json, workers)
        written = 0 if dry_run else scanner.record(scans)
    finally:
        catalog.close()
    if as_json:
        print_json({"datasets": scans, "written": written})
        return
    table = Table(title="Renseignements personnels par colonne", title_justify="left")
    for column in ("dataset", "sensitivity", "column", "term", "confidence", "entities"):
        table.add_column(column, overflow="fold")
    for result in scans:
        name = result.dataset.split(",")[1]
        if result.error:
            table.add_row(name, "", "", f"[red]{result.error}[/red]", "", "")
        for finding in result.personal:
            table.add_row(
                name, result.sensitivity or "", finding.column, finding.term or "",
                f"{finding.confidence:.2f}", ", ".join(finding.entities),
            )  # fmt: skip
    console.print(table)
    personal = sum(len(r.personal) for r in scans)
    console.print(f"{len(scans)} dataset(s), {personal} personal column(s)")
