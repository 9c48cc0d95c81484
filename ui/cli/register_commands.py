"""``cartable register ai`` (the public register of AI systems), ``cartable record ID`` (a
request's decision record, Markdown or PDF) and ``cartable outbox list|send`` (the
notifications waiting to be mailed).

Every command has ``--json``; a CartableError is one line on stderr with exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from catalog.errors import CartableError
from ui.cli.context import console, print_json, print_table, state

if TYPE_CHECKING:
    from ethics_review.service import ReviewService

register_app = typer.Typer(help="Public registers.", no_args_is_help=True)
outbox_app = typer.Typer(help="Notifications waiting to be mailed.", no_args_is_help=True)
JSON = typer.Option(False, "--json")
LANG = typer.Option("fr", "--lang", help="fr or en.")


def register(app: typer.Typer) -> None:
    """Add ``register``, ``record`` and ``outbox``."""
    app.add_typer(register_app, name="register")
    app.command("record")(record)
    app.add_typer(outbox_app, name="outbox")


@contextmanager
def _service(ctx: typer.Context) -> Iterator[ReviewService]:
    from ethics_review.service import ReviewService

    with state(ctx).opened() as catalog:
        yield ReviewService(catalog)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise CartableError(f"{option} {value}: {' or '.join(allowed)}")
    return value


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` whole or not at all (a partial file, then a rename)."""
    if not path.parent.is_dir():
        raise CartableError(f"folder {path.parent} not found")
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(content)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CartableError(f"cannot write {path}: {error.strerror}") from None


@register_app.command("ai")
def register_ai(
    ctx: typer.Context,
    format: str = typer.Option("json", "--format", help="json, csv or md (a page)."),
    out: Path = typer.Option(None, "--out", help="Write to this file (default: stdout)."),
    lang: str = LANG,
    as_json: bool = typer.Option(False, "--json", help="JSON (with --out: a summary)."),
) -> None:
    """The public register of AI systems: every AI system approved, in use or retired."""
    from ethics_review import ai_register

    _choice(lang, ("fr", "en"), "--lang")
    chosen = (
        "json" if as_json and out is None else _choice(format, ("json", "csv", "md"), "--format")
    )
    with _service(ctx) as service:
        entries = ai_register.collect(service, lang)
    text = {
        "json": lambda: ai_register.to_json(entries),
        "csv": lambda: ai_register.to_csv(entries, lang),
        "md": lambda: ai_register.to_markdown(entries, lang),
    }[chosen]()
    if out is None:
        typer.echo(text, nl=False)
        return
    _write(out, text.encode("utf-8"))
    if as_json:
        print_json({"file": str(out), "format": chosen, "language": lang, "entries": len(entries)})
    else:
        console.print(f"{len(entries)} système(s) d'IA au registre : {out}")


def record(
    ctx: typer.Context,
    request_id: str = typer.Argument(..., help="The request (DEM-…)."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    format: str = typer.Option(
        None, "--format", help="md or pdf (default: from --out's suffix, else md)."
    ),
    lang: str = LANG,
    as_json: bool = JSON,
) -> None:
    """Write a request's decision record, in Markdown or PDF.

    The answers, score, reviews, votes, conditions, grant and the audit journal's head.
    """
    from ethics_review.decision_record import gather, render_record

    _choice(lang, ("fr", "en"), "--lang")
    chosen = format or ("pdf" if out.suffix.lower() == ".pdf" else "md")
    _choice(chosen, ("md", "pdf"), "--format")
    with _service(ctx) as service:
        gathered = gather(service, request_id)
    content = render_record(gathered, lang, chosen)
    _write(out, content)
    head = gathered.head
    if as_json:
        print_json(
            {
                "request": request_id,
                "file": str(out),
                "format": chosen,
                "language": lang,
                "bytes": len(content),
                "journal_head": head,
            }
        )
        return
    anchor = f"journal n° {head.seq} {head.hash[:12]}…" if head and head.hash else "journal vide"
    console.print(f"{request_id} : dossier de décision écrit dans {out} ({chosen}, {anchor})")


@outbox_app.command("list")
def outbox_list(
    ctx: typer.Context,
    every: bool = typer.Option(False, "--all", help="Sent messages too."),
    as_json: bool = JSON,
) -> None:
    """The messages waiting to be sent (with --all, every message)."""
    from ethics_review.outbox import Outbox

    with state(ctx).opened() as catalog:
        messages = Outbox(catalog.database).messages(pending_only=not every)
    if as_json:
        print_json(messages)
        return
    print_table(
        "Boîte d'envoi",
        ("n°", "créé", "destinataire", "demande", "type", "objet", "envoyé", "erreur"),
        [
            (str(m.id), f"{m.created_on:%Y-%m-%d %H:%M}", m.recipient, m.request_id, m.kind,
             m.subject, f"{m.sent_on:%Y-%m-%d %H:%M}" if m.sent_on else "—", m.error or "")
            for m in messages
        ],
    )  # fmt: skip


@outbox_app.command("send")
def outbox_send(
    ctx: typer.Context,
    smtp_url: str = typer.Option(
        None, "--smtp-url", envvar="CARTABLE_SMTP_URL", help="smtp://host:port (or smtps://)."
    ),
    as_json: bool = JSON,
) -> None:
    """Mail the waiting messages (exit 1 when some could not be sent: they stay waiting)."""
    from ethics_review.outbox import MailSettings, Outbox

    settings = MailSettings.from_env()
    with state(ctx).opened() as catalog:
        report = Outbox(catalog.database, settings).send(smtp_url)
    if as_json:
        print_json(report)
    elif not report.configured:
        console.print(
            f"Aucun serveur SMTP (CARTABLE_SMTP_URL) : {report.pending} message(s) en attente"
        )
    else:
        console.print(f"{len(report.sent)} message(s) envoyé(s), {len(report.failed)} en échec")
        for message_id, error in report.failed.items():
            console.print(f"  n° {message_id} : {error}")
    if report.failed:
        raise typer.Exit(1)
