"""The risk report written beside an extract: JSON for machines, Markdown a privacy officer
reads and signs (French or English, from the templates in ``templates/``)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from anonymization.extract_record import ExtractRecord
from catalog.errors import CartableError

LANGUAGES = ("fr", "en")
LEVELS = {
    "fr": {"very_low": "très faible", "low": "faible", "high": "élevé"},
    "en": {"very_low": "very low", "low": "low", "high": "high"},
}


def _percent(language: str):  # type: ignore[no-untyped-def]
    """A share as a percentage the reader's way: ``12,4 %`` in French, ``12.4%`` in English."""
    if language == "fr":
        return lambda share: f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"
    return lambda share: f"{share * 100:.1f}%"


def _environment(language: str) -> Environment:
    environment = Environment(
        loader=PackageLoader("anonymization", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML  # noqa: S701
    )
    environment.filters["pct"] = _percent(language)
    environment.filters["dec"] = lambda number: (
        f"{number:.2f}".replace(".", ",") if language == "fr" else f"{number:.2f}"
    )
    return environment


def render_markdown(record: ExtractRecord, language: str = "fr") -> str:
    """The report as Markdown in ``language`` (fr or en)."""
    if language not in LANGUAGES:
        raise CartableError(f"report language {language}: fr or en")
    template = _environment(language).get_template(f"risk_report.{language}.md.j2")
    return template.render(r=record, name=Path(record.path).name, level=LEVELS[language])


def report_paths(extract: Path) -> tuple[Path, Path]:
    """Where the JSON and Markdown reports of an extract are written."""
    return extract.with_name(extract.name + ".risk.json"), extract.with_name(
        extract.name + ".risk.md"
    )


def write_reports(record: ExtractRecord, language: str = "fr") -> list[tuple[Path, Path]]:
    """Write both reports as ``.partial`` files; (partial, final) of each."""
    written = []
    for final, text in zip(
        report_paths(Path(record.path)),
        (record.model_dump_json(indent=2), render_markdown(record, language)),
        strict=True,
    ):
        partial = final.with_name(final.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        written.append((partial, final))
    return written
