"""Commands that run the product: the demo network and the Streamlit app."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from catalog.demo import DEFAULT_SEED
from catalog.settings import cartable_home
from ui.cli.catalog_commands import print_outcomes, report_failures, run_network
from ui.cli.context import console, print_json, state
from ui.cli.lineage_commands import print_lineage_reports, run_network_lineage
from ui.cli.pii_scan import scan_network

if TYPE_CHECKING:
    from anonymization.extract_record import ExtractRecord

APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"
VERDICTS = {"very_low": "très faible", "low": "faible", "high": "élevé"}


def register(app: typer.Typer) -> None:
    """Add the demo and ui commands to the application."""
    app.command()(demo)
    app.command()(ui)


def demo(
    ctx: typer.Context,
    folder: Path = typer.Option(None, "--dir", help="Where to build the demo network."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the synthetic data."),
    workers: int = typer.Option(None, "--workers", min=1),
    no_ui: bool = typer.Option(False, "--no-ui", help="Stop after ingestion."),
    port: int = typer.Option(8501, "--port"),
    address: str = typer.Option("localhost", "--address", help="Interface the UI listens on."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Build the synthetic demo network, ingest it, then start the UI."""
    from anonymization.policy import load_policy
    from catalog.demo.accounts import DEMO_PASSWORD, DEMO_STEWARD, seed_demo_accounts
    from catalog.demo.build import build_demo
    from catalog.demo.extract import (
        POLICY,
        demo_folders,
        make_demo_extract,
        prepare_demo_policies,
    )
    from catalog.demo.reviews import run_demo_reviews
    from catalog.demo.stewardship import document_demo
    from lineage.service import LineageService

    folder = folder or cartable_home() / "demo"
    db_url = state(ctx).db_url
    state(ctx).catalog().close()
    network_file = build_demo(folder, seed=seed)
    outcomes = run_network(network_file, db_url, workers, quiet=as_json)
    catalog = state(ctx).catalog()
    try:
        detection = scan_network(catalog, network_file, quiet=as_json)
        lineage = run_network_lineage(network_file, db_url, quiet=as_json)
        service = LineageService(catalog)
        propagation = service.propagate()
        service.record_propagation(propagation)
        organizations = sorted({d.organization for d in catalog.entities() if d.organization})
        accounts = seed_demo_accounts(catalog, organizations)
        steward = next(a for a in accounts if a.username == DEMO_STEWARD)
        documented = document_demo(catalog, steward)
        policies = prepare_demo_policies(folder)
        made: list[ExtractRecord] = []

        def approved_extract() -> ExtractRecord:  # made once the access is approved
            made.append(make_demo_extract(catalog, network_file, folder, steward))
            return made[-1]

        reviews = run_demo_reviews(
            catalog, folder, load_policy(policies / POLICY), approved_extract
        )
        extract = made[0]
        dataset_count = catalog.count("dataset")
    finally:
        catalog.close()
    url = f"http://localhost:{port}"
    if as_json:
        print_json(
            {
                "network_file": str(network_file),
                "datasets": dataset_count,
                "ui_url": url,
                "runs": outcomes,
                "lineage": lineage,
                "personal_columns": sum(len(scan.personal) for scan in detection),
                "propagated_columns": len(propagation.marks),
                "accounts": [a.username for a in accounts],
                "documented_datasets": documented,
                "reviews": reviews,
                "extract": {
                    "path": extract.path,
                    "urn": extract.urn,
                    "rows": extract.rows,
                    "verdict": extract.risk.verdict.value,
                    "report": extract.path + ".risk.md",
                },
            }
        )
    else:
        print_outcomes(outcomes)
        print_lineage_reports(lineage)
        console.print(f"Réseau de démonstration : {network_file}")
        console.print(
            f"{sum(len(scan.personal) for scan in detection)} colonnes de renseignements "
            f"personnels détectées; {len(propagation.marks)} colonnes marquées par la "
            "propagation de la sensibilité."
        )
        console.print(f"{documented} jeux de données documentés par l'intendance de démonstration.")
        console.print(
            f"Demandes examinées : accès {reviews.access} "
            f"(niveau {reviews.levels[reviews.access]}) et projet d'IA {reviews.ai_system} "
            f"(niveau {reviews.levels[reviews.ai_system]}), "
            f"approuvées par le comité; décisions dans {folder / 'decisions'}, registre des "
            f"systèmes d'IA dans {folder / 'registre-ia.json'}; journal d'audit : "
            f"{reviews.journal_entries} entrées, {'intègre' if reviews.journal_ok else 'ALTÉRÉ'}."
        )
        console.print(
            f"Extrait pseudonymisé : {extract.path} ({extract.rows} lignes; risque "
            f"{VERDICTS[extract.risk.verdict.value]}; rapport : {extract.path}.risk.md)"
        )
        console.print(
            f"{dataset_count} jeux de données au catalogue. Interface : {url} (cartable ui)"
        )
        console.print(
            f"Comptes de démonstration : {', '.join(a.username for a in accounts)} "
            f"(mot de passe de démonstration : {DEMO_PASSWORD})"
        )
    report_failures(outcomes)
    if not no_ui:
        _, _, extracts = demo_folders(folder)
        demo_env = {
            "CARTABLE_NETWORK": str(network_file),
            "CARTABLE_POLICIES": str(policies),
            "CARTABLE_EXTRACTS": str(extracts),
        }
        _run_streamlit(db_url, port, address, demo_env)


def ui(
    ctx: typer.Context,
    port: int = typer.Option(8501, "--port"),
    address: str = typer.Option("localhost", "--address", help="Interface to listen on."),
) -> None:
    """Start the Streamlit app (on localhost unless --address says otherwise)."""
    state(ctx).catalog().close()
    _run_streamlit(state(ctx).db_url, port, address)


def _run_streamlit(
    db_url: str | None, port: int, address: str, extra_env: dict[str, str] | None = None
) -> NoReturn:
    """Run the app; an explicit address also stops Streamlit looking up the public IP."""
    env = {**os.environ, **(extra_env or {})}
    if db_url:
        env["CARTABLE_DB_URL"] = db_url
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server, so that a signal to `cartable ui` (Ctrl-C, a service
    # manager's stop) reaches the server and leaves no orphan behind.
    os.execve(sys.executable, command, env)
