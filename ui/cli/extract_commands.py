"""Extract commands: ``cartable extract``, ``tabulate``, ``extracts``, ``reidentify`` and
``keys create|rotate``.

Each acts as the account named by ``--actor``: a steward or privacy officer of the
dataset's organization (re-identification: the privacy officer only); anyone else is
refused before anything is read or written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from catalog.errors import CartableError
from ui.cli.context import console, errors, print_json, print_table, state

if TYPE_CHECKING:
    from anonymization.extracts import Extracts
    from anonymization.row_filter import RowFilter
    from catalog.roles import Account

keys_app = typer.Typer(help="Keys of pseudonyms and reversible encryption.", no_args_is_help=True)
ACTOR = typer.Option(..., "--actor", help="The account that makes the extract.")
NETWORK = typer.Option(
    ..., "--network", envvar="CARTABLE_NETWORK", help="The network file: where data lives."
)
JSON = typer.Option(False, "--json")
VERDICTS = {"very_low": "très faible", "low": "faible", "high": "élevé"}


def register(app: typer.Typer) -> None:
    """Add the extract commands to the application."""
    app.command()(extract)
    app.command()(tabulate)
    app.command()(extracts)
    app.command()(reidentify)
    app.add_typer(keys_app, name="keys")


@contextmanager
def _service(
    ctx: typer.Context, network_file: Path, actor: str
) -> Iterator[tuple[Extracts, Account]]:
    from anonymization.analyzer import network_analyzer
    from anonymization.extracts import Extracts
    from catalog.accounts import AccountStore
    from catalog.network import load_network

    network = load_network(network_file)
    with state(ctx).opened() as catalog:
        yield Extracts(catalog, network, network_analyzer), AccountStore(catalog).get(actor)


def _filters(where: list[str] | None) -> list[RowFilter]:
    from anonymization.row_filter import RowFilter

    return [RowFilter.parse(condition) for condition in where or []]


@contextmanager
def _progress(quiet: bool, label: str) -> Iterator[Callable[[int], None]]:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} lignes"),
    )
    with Progress(*columns, console=errors, disable=quiet, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda rows: bar.advance(task, rows)


def extract(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", help="URN of the dataset to extract."),
    policy_file: Path = typer.Option(..., "--policy", help="The extract policy (YAML)."),
    out: Path = typer.Option(..., "--out", help="The extract file (.csv or .parquet)."),
    where: list[str] = typer.Option(None, "--where", help="column OP value (repeat: all hold)."),
    as_of: str = typer.Option(None, "--as-of", help="Day ages are counted on (YYYY-MM-DD)."),
    chunk_rows: int = typer.Option(50_000, "--chunk-rows", min=100, help="Rows read at a time."),
    language: str = typer.Option("fr", "--lang", help="Language of the Markdown report (fr, en)."),
    actor: str = ACTOR,
    network_file: Path = NETWORK,
    as_json: bool = JSON,
) -> None:
    """Make a de-identified extract under a policy, with its risk report, and register it."""
    from anonymization.extracts import ExtractRequest
    from anonymization.policy import load_policy

    if language not in ("fr", "en"):
        raise CartableError(f"--lang {language}: fr or en")
    request = ExtractRequest(
        dataset=dataset,
        policy=load_policy(policy_file),
        out=out,
        filters=_filters(where),
        chunk_rows=chunk_rows,
        as_of=_day(as_of),
        language=language,
    )
    with _service(ctx, network_file, actor) as (service, account):
        with _progress(as_json, "Extraction") as advance:
            record = service.make(account, request, on_rows=advance)
    if as_json:
        print_json(record)
        return
    print_table(
        f"Extrait {record.path} ({record.rows} lignes)",
        ("colonne", "traitement"),
        [(c.name, c.operation) for c in record.columns] + [(n, "retirée") for n in record.removed],
    )
    risk = record.risk
    console.print(
        f"Risque de réidentification : {VERDICTS[risk.verdict.value]} "
        f"(individualisation : {VERDICTS[risk.individualization.level.value]}, k = "
        f"{risk.individualization.k}; corrélation : {VERDICTS[risk.correlation.level.value]}; "
        f"inférence : {VERDICTS[risk.inference.level.value]})"
    )
    console.print(f"Rapport : {record.path}.risk.md — catalogué sous {record.urn}")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CartableError(f"--as-of {text}: expected YYYY-MM-DD") from None


def tabulate(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", help="URN of the dataset to count."),
    policy_file: Path = typer.Option(
        ..., "--policy", help="The policy (generalizations, threshold)."
    ),
    rows: str = typer.Option(..., "--rows", help="Column counted down the rows."),
    columns: str = typer.Option(None, "--columns", help="Column counted across (optional)."),
    out: Path = typer.Option(..., "--out", help="The table (.csv)."),
    where: list[str] = typer.Option(None, "--where", help="column OP value (repeat: all hold)."),
    actor: str = ACTOR,
    network_file: Path = NETWORK,
    as_json: bool = JSON,
) -> None:
    """A table of counts with small cells suppressed (complementary cells too), registered."""
    from anonymization.policy import load_policy
    from anonymization.tabulation import TabulationRequest
    from anonymization.tabulation import tabulate as make_table

    request = TabulationRequest(
        dataset=dataset,
        policy=load_policy(policy_file),
        out=out,
        rows=rows,
        columns=columns,
        filters=_filters(where),
    )
    with _service(ctx, network_file, actor) as (service, account):
        record = make_table(service, account, request)
    if as_json:
        print_json(record)
        return
    header = [record.rows, *(k for k in record.published[0] if k != record.rows)]
    print_table(
        f"{record.path} (seuil {record.threshold})",
        header,
        [[line[name] for name in header] for line in record.published],
    )
    console.print(
        f"{record.primary} cellule(s) sous le seuil et {record.complementary} cellule(s) "
        "complémentaire(s) supprimées (x)."
    )


def extracts(ctx: typer.Context, as_json: bool = JSON) -> None:
    """The extracts registered in the catalogue, with their risk verdicts."""
    from anonymization.extracts import registered_extracts

    with state(ctx).opened() as catalog:
        records = registered_extracts(catalog)
    if as_json:
        print_json(records)
        return
    print_table(
        "Extraits",
        ("extrait", "source", "politique", "lignes", "risque", "produit par", "le"),
        [
            (
                Path(r.path).name,
                r.source.split(",")[1],
                r.policy,
                str(r.rows),
                VERDICTS[r.risk.verdict.value],
                r.made_by.removeprefix("urn:li:corpuser:"),
                f"{r.made_at:%Y-%m-%d %H:%M}",
            )
            for r in records
        ],
    )


def reidentify(
    ctx: typer.Context,
    tokens: list[str] = typer.Argument(..., help="Encrypted tokens of the extract."),
    extract_urn: str = typer.Option(..., "--extract", help="URN of the extract they come from."),
    key_file: Path = typer.Option(..., "--key-file", help="The keyring the extract was made with."),
    actor: str = typer.Option(..., "--actor", help="The privacy officer who re-identifies."),
    as_json: bool = JSON,
) -> None:
    """Turn encrypted tokens back into values (privacy officer of the extract's holder only)."""
    from anonymization.reidentification import reidentify as open_tokens
    from catalog.accounts import AccountStore

    with state(ctx).opened() as catalog:
        account = AccountStore(catalog).get(actor)
        values = open_tokens(catalog, account, extract_urn, key_file, tokens)
    if as_json:
        print_json([{"token": t, "value": v} for t, v in zip(tokens, values, strict=True)])
        return
    print_table("Réidentification", ("jeton", "valeur"), list(zip(tokens, values, strict=True)))


@keys_app.command("create")
def keys_create(
    path: Path = typer.Argument(..., help="The keyring file to create (owner-only)."),
    as_json: bool = JSON,
) -> None:
    """Create a keyring with one new random key."""
    from anonymization.keys import create_keyring

    key_id = create_keyring(path)
    if as_json:
        print_json({"path": str(path), "active": key_id})
    else:
        console.print(f"Trousseau créé : {path} (clé active : {key_id})")


@keys_app.command("rotate")
def keys_rotate(
    path: Path = typer.Argument(..., help="The keyring file."),
    as_json: bool = JSON,
) -> None:
    """Add a new key and make it the active one (older keys kept to read old tokens)."""
    from anonymization.keys import rotate_keyring

    key_id = rotate_keyring(path)
    if as_json:
        print_json({"path": str(path), "active": key_id})
    else:
        console.print(
            f"Nouvelle clé active : {key_id}. Les pseudonymes des prochains extraits changent; "
            "les jetons chiffrés des anciens restent lisibles."
        )
