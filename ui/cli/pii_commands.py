"""Personal-information commands: ``cartable pii text`` (``scan`` in pii_scan.py; ``review``,
``accept`` and ``reject`` in pii_review.py)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from catalog.errors import CartableError
from ui.cli.context import console, print_json

pii_app = typer.Typer(help="Personal-information detection.", no_args_is_help=True)
LANGUAGES = ("auto", "fr", "en")


def register(app: typer.Typer) -> None:
    """Add the ``pii`` command group to the application."""
    from ui.cli.pii_review import accept, reject, review
    from ui.cli.pii_scan import scan

    pii_app.command("scan")(scan)
    pii_app.command("review")(review)
    pii_app.command("accept")(accept)
    pii_app.command("reject")(reject)
    app.add_typer(pii_app, name="pii")


def _read_texts(text: str | None, file: Path | None) -> list[tuple[str, str]]:
    """(id, text) pairs from the argument or a JSON-lines file of {"id"?, "text"}."""
    if (text is None) == (file is None):
        raise CartableError("give either a TEXT or --file F.jsonl")
    if text is not None:
        return [("1", text)]
    assert file is not None
    if not file.is_file():
        raise CartableError(f"file not found: {file}")
    texts = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            value = entry["text"]
            if not isinstance(value, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise CartableError(
                f"{file}:{number}: each line must be a JSON object with a text string"
            ) from None
        texts.append((str(entry.get("id", number)), value))
    return texts


@pii_app.command("text")
def text_command(
    text: str = typer.Argument(None, help="A text to analyse."),
    file: Path = typer.Option(None, "--file", help='JSON lines: {"id": …, "text": …}'),
    lang: str = typer.Option("auto", "--lang", help="auto, fr or en."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Entity spans (type, offsets, score) in free text; the text itself is never printed."""
    if lang not in LANGUAGES:
        raise CartableError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
    texts = _read_texts(text, file)
    from anonymization.analyzer import network_analyzer
    from anonymization.models import TextFindings
    from anonymization.text_scan import scan_texts

    results = scan_texts(network_analyzer(), [t for _id, t in texts], lang)
    report = [
        TextFindings(id=text_id, spans=spans)
        for (text_id, _t), spans in zip(texts, results, strict=True)
    ]
    if as_json:
        print_json(report)
        return
    table = Table(title="Renseignements personnels détectés", title_justify="left")
    for column in ("text", "language", "entity", "start", "end", "score"):
        table.add_column(column)
    for entry in report:
        for span in entry.spans:
            table.add_row(
                entry.id, span.language, span.entity, str(span.start), str(span.end),
                f"{span.score:.2f}",
            )  # fmt: skip
    console.print(table)
    total = sum(len(entry.spans) for entry in report)
    console.print(f"{total} span(s) in {len(report)} text(s)")
