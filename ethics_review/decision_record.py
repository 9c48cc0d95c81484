"""The decision record of a request: Markdown and PDF, in French or English.

Everything a committee or a privacy officer signs: the request (for an access, the datasets
and columns, purpose, legal basis, recipients, dates, setting; for an AI system, the
decision it supports, who it affects, how automated it is, its features with the protected
ones and their proxies, bias testing, oversight, explanation, monitoring, consultation),
every answer with its question and points, the assessment (scores, computed level, floors
and what they mean, final level), the reviews with their declarations, the votes (recusals
shown), the decisions with their grounds and conditions (the de-identification policy and
its digest), the grant, and the audit journal's head when the record was made — an external
anchor: whoever keeps the record can later check that the journal still has that hash at
that seq (``cartable audit verify``).

The Markdown comes from ``templates/decision_record.{fr,en}.md.j2``; the PDF is that very
Markdown laid out by reportlab with the standard fonts (WinAnsi: é, œ, «, », ’ and — print;
a character outside it is replaced by its closest plain form), so both say the same.
``gather`` is the only function here that reads the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel

from catalog.errors import CartableError, NotFoundError
from ethics_review.levels import ROMAN, all_levels, level_requirements
from ethics_review.models import LEGAL_BASES, ReviewRequest, Vote
from ethics_review.questionnaire import Question, load_questionnaire
from ethics_review.scoring import points

if TYPE_CHECKING:
    from catalog.service import Catalog
    from ethics_review.service import ReviewService

LANGUAGES = ("fr", "en")
_T = dict[str, dict[str, str]]  # value -> {language: label}


def _pairs(**labels: tuple[str, str]) -> _T:
    return {key: {"fr": fr, "en": en} for key, (fr, en) in labels.items()}


STATES: _T = _pairs(
    draft=("brouillon", "draft"), submitted=("soumise", "submitted"), triage=("triage", "triage"),
    privacy_review=("examen vie privée", "privacy review"),
    committee_review=("examen par le comité", "committee review"),
    approved=("approuvée", "approved"), refused=("refusée", "refused"),
    revise=("à réviser", "to revise"), active=("accès actif", "active access"),
    renewal=("renouvellement", "renewal"), expired=("expirée", "expired"),
    revoked=("révoquée", "revoked"), closed=("fermée", "closed"),
    validation=("validation", "validation"), pilot=("pilote", "pilot"),
    production=("production", "production"), monitoring=("surveillance", "monitoring"),
)  # fmt: skip
FLOORS: _T = _pairs(
    identifiable_minors_external=(
        "renseignements identificatoires sur des élèves mineurs communiqués hors de l'organisme",
        "identifiable information about minor students disclosed outside the organization",
    ),
    solely_automated=(
        "décision fondée exclusivement sur un traitement automatisé (art. 65.2)",
        "decision based exclusively on automated processing (s. 65.2)",
    ),
    hdaa_or_health=(
        "données sur les élèves HDAA ou de santé",
        "data on students with special needs (HDAA) or health data",
    ),
    linkage=(
        "appariement de jeux de données qui identifient les mêmes personnes",
        "linkage of datasets that identify the same people",
    ),
)
WORDS: _T = _pairs(
    # kinds of request, settings, automation, people affected, answers and outcomes
    dataset_access=("Demande d'accès à des jeux de données", "Dataset access request"),
    ai_system=("Demande de projet d'IA", "AI system request"),
    cartable_extract=("extrait produit par Cartable", "extract produced by Cartable"),
    secure_enclave=("enclave sécurisée", "secure enclave"),
    recipient_premises=("locaux du destinataire", "recipient's premises"),
    assistive=("aide à la décision", "decision support"),
    partial=("décision partiellement automatisée", "partly automated decision"),
    solely_automated=(
        "décision entièrement automatisée (art. 65.2)", "fully automated decision (s. 65.2)"
    ),
    students=("élèves", "students"), minors=("élèves mineurs", "minor students"),
    staff=("personnel", "staff"), parents=("parents", "parents"),
    yes=("oui", "yes"), no=("non", "no"),
    risk=("risque", "risk"), mitigation=("atténuation", "mitigation"),
    approve=("approuver", "approve"),
    approve_with_conditions=("approuver avec conditions", "approve with conditions"),
    refuse=("refuser", "refuse"), abstain=("abstention", "abstain"),
    approved=("approuvée", "approved"), refused=("refusée", "refused"),
    revise=("à réviser", "to revise"),
    privacy=("vie privée (EFVP)", "privacy (EFVP)"), ethics=("éthique", "ethics"),
    privacy_officer=("RPRP", "privacy officer"),
    ethics_member=("membre du comité", "committee member"),
    admin=("plus haute autorité", "highest authority"), committee=("comité", "committee"),
    requester=("demandeur·euse", "requester"), data_steward=("intendance", "data steward"),
    system=("système", "system"),
)  # fmt: skip


class JournalHead(BaseModel):
    """The audit journal's head when the record was made, and whether the chain verified."""

    seq: int | None
    hash: str | None
    verified: bool


class Record(BaseModel):
    """Everything a decision record shows (``gather`` reads it from the service)."""

    request: ReviewRequest
    votes: list[Vote]  # of every round
    names: dict[str, str] = {}  # dataset URN -> its name in the catalogue
    head: JournalHead | None = None
    rendered_at: datetime


# Reading -------------------------------------------------------------------------------------


def dataset_name(urn: str) -> str:
    """A dataset's name from its URN alone (``css-x.hdaa.plans``) when the catalogue has none."""
    match = re.match(r"urn:li:dataset:\([^,]+,(.+),[A-Z]+\)$", urn)
    return match.group(1) if match else urn


def dataset_names(catalog: Catalog, urns: Sequence[str]) -> dict[str, str]:
    """URN -> the dataset's name in the catalogue (its qualified name, else from the URN)."""
    names = {}
    for urn in dict.fromkeys(urns):
        try:
            summary = catalog.entity(urn).summary
        except NotFoundError:
            names[urn] = dataset_name(urn)
            continue
        names[urn] = summary.name or summary.qualified_name or dataset_name(urn)
    return names


def gather(service: ReviewService, request_id: str, now: datetime | None = None) -> Record:
    """The record of a request: the request, its votes of every round, its datasets' names
    and the journal's head (verified) at this moment."""
    from ethics_review.audit import AuditJournal

    request = service.get(request_id)
    votes = [
        vote
        for round_ in range(1, request.round + 1)
        for vote in service.repository.votes(request.id, round_)
    ]
    checked = AuditJournal(service.catalog.database).verify()
    return Record(
        request=request,
        votes=votes,
        names=dataset_names(service.catalog, [d.urn for d in request.datasets()]),
        head=JournalHead(seq=checked.head_seq, hash=checked.head_hash, verified=checked.ok),
        rendered_at=now or datetime.now(UTC),
    )


# Markdown ------------------------------------------------------------------------------------


@cache
def condition_texts() -> dict[str, dict[str, str]]:
    """Condition code -> its text in French and English (``questionnaire/levels.yaml``)."""
    texts = {}
    for level in all_levels().values():
        for requirements in level.conditions.values():
            for requirement in requirements:
                texts[requirement.code] = {"fr": requirement.text.fr, "en": requirement.text.en}
    return texts


def _number(value: float, language: str, digits: int = 2) -> str:
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"
    if language == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def _percent(share: float, language: str) -> str:
    if language == "fr":
        return f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"
    return f"{share * 100:.1f}%"


def _cell(text: Any) -> str:
    """A value fit for a table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _answer(question: Question, value: Any, language: str) -> dict[str, Any]:
    if value is None or (isinstance(value, str) and not value.strip()):
        shown = "—"
    elif question.answer == "choice":
        choice = question.choice(value)
        shown = choice.text.in_(language) if choice else str(value)
    elif question.answer == "yes_no":
        said = value if isinstance(value, bool) else value == "yes"
        shown = WORDS["yes" if said else "no"][language]
    elif question.answer == "number":
        shown = _number(value, language, 0 if float(value).is_integer() else 2)
    else:
        shown = str(value)
    scored = question.answer != "text"
    return {
        "question": question.text.in_(language),
        "answer": shown,
        "kind": WORDS[question.kind][language],
        "points": f"{points(question, value)} / {question.max_points}" if scored else "—",
    }


def _answers(request: ReviewRequest, language: str) -> dict[str, Any]:
    questionnaire = load_questionnaire(request.kind)
    sections = [
        {
            "title": section.title.in_(language),
            "rows": [_answer(q, request.answers.get(q.id), language) for q in section.questions],
        }
        for section in questionnaire.sections
    ]
    return {"title": questionnaire.title.in_(language), "version": questionnaire.version,
            "sections": sections}  # fmt: skip


def _context(record: Record, language: str) -> dict[str, Any]:
    request = record.request
    assessment = request.assessment
    level = level_requirements(request.level) if request.level else None
    return {
        "r": request,
        "b": request.body,
        "record": record,
        "names": {d.urn: record.names.get(d.urn, dataset_name(d.urn)) for d in request.datasets()},
        "legal": LEGAL_BASES,
        "lang": language,
        "li": 1 if language == "en" else 0,
        "a": assessment,
        "level": level,
        "roman": ROMAN,
        "answers": _answers(request, language),
        "rounds": sorted({v.round for v in record.votes} | {r.round for r in request.reviews}),
        "conditions": condition_texts(),
    }


def _environment(language: str) -> Environment:
    environment = Environment(
        loader=PackageLoader("ethics_review", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML  # noqa: S701
    )
    environment.filters.update(
        cell=_cell,
        pct=lambda share: _percent(share, language),
        num=lambda value: _number(value, language),
        t=lambda key, table=WORDS: table.get(str(key), {}).get(language, str(key)),
        state=lambda key: STATES[str(key)][language],
        floor=lambda key: FLOORS.get(str(key), {}).get(language, str(key)),
        label=lambda text: text.split(" — ", 1)[-1],
        day=lambda value: value.isoformat() if isinstance(value, date) else "—",
        moment=lambda value: value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    return environment


def render_markdown(
    request: ReviewRequest,
    votes: Sequence[Vote],
    language: str = "fr",
    *,
    names: Mapping[str, str] | None = None,
    head: JournalHead | None = None,
    rendered_at: datetime | None = None,
) -> str:
    """The decision record as Markdown in ``language`` (fr or en)."""
    if language not in LANGUAGES:
        raise CartableError(f"record language {language}: fr or en")
    record = Record(
        request=request,
        votes=list(votes),
        names=dict(names or {}),
        head=head,
        rendered_at=rendered_at or datetime.now(UTC),
    )
    template = _environment(language).get_template(f"decision_record.{language}.md.j2")
    return re.sub(r"\n{3,}", "\n\n", template.render(**_context(record, language)))


def render_record(record: Record, language: str = "fr", format: str = "md") -> bytes:
    """A gathered record as Markdown (UTF-8) or PDF bytes."""
    arguments = (record.request, record.votes, language)
    options: dict[str, Any] = {
        "names": record.names, "head": record.head, "rendered_at": record.rendered_at,
    }  # fmt: skip
    if format == "md":
        return render_markdown(*arguments, **options).encode("utf-8")
    if format == "pdf":
        return render_pdf(*arguments, **options)
    raise CartableError(f"record format {format}: md or pdf")


# PDF -----------------------------------------------------------------------------------------

MARGIN = 54  # points: three quarters of an inch
_PLAIN = {"≥": ">=", "≤": "<=", "→": "->", "←": "<-", "✓": "v", "\u202f": "\u00a0"}


def _winansi(text: str) -> str:
    """``text`` with every character the standard fonts lack replaced by a plain form."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = _PLAIN.get(char)
            if plain is None:
                decomposed = unicodedata.normalize("NFKD", char)
                plain = "".join(c for c in decomposed if not unicodedata.combining(c))
                plain = plain if plain and all(_in_cp1252(c) for c in plain) else "?"
            out.append(plain)
    return "".join(out)


def _in_cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def _inline(text: str) -> str:
    """Markdown inline marks (``**bold**``, ```code```) as reportlab paragraph markup."""
    escaped = _winansi(text).replace("\\|", "|")
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    return re.sub(r"`([^`]+)`", r'<font face="Courier">\1</font>', escaped)


def _row(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def _widths(rows: list[list[Any]], width: float) -> list[float]:
    """Column widths in proportion to each column's longest text, none under a tenth."""
    columns = max(len(row) for row in rows)
    longest = [
        max((len(row[c].text) for row in rows if c < len(row)), default=1) or 1
        for c in range(columns)
    ]
    shares = [max(min(n, 50), 12) for n in longest]
    return [width * s / sum(shares) for s in shares]


def render_pdf(
    request: ReviewRequest,
    votes: Sequence[Vote],
    language: str = "fr",
    *,
    names: Mapping[str, str] | None = None,
    head: JournalHead | None = None,
    rendered_at: datetime | None = None,
) -> bytes:
    """The decision record as a PDF: the Markdown record laid out page by page."""
    from reportlab.lib.pagesizes import LETTER

    markdown = render_markdown(
        request, votes, language, names=names, head=head, rendered_at=rendered_at
    )
    buffer = BytesIO()
    document = _document(buffer, LETTER, request.id)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(LETTER[0] - MARGIN, 30, f"{request.id} · {doc.page}")

    document.build(_flowables(markdown), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _document(buffer: BytesIO, size: tuple[float, float], title: str) -> Any:
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        buffer, pagesize=size, title=_winansi(title), author="Cartable", invariant=1,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
    )  # fmt: skip


def _flowables(markdown: str) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    sheet = getSampleStyleSheet()
    width = LETTER[0] - 2 * MARGIN
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontSize=9, leading=11.5)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=2)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    quote = ParagraphStyle("quote", parent=body, leftIndent=12, textColor=colors.HexColor("#333"))
    styles = {
        marks: ParagraphStyle(f"h{len(marks)}", parent=sheet[name], keepWithNext=1)
        for marks, name in (("#", "Title"), ("##", "Heading2"), ("###", "Heading3"))
    }
    flowables: list[Any] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i].strip()):
                    rows.append([Paragraph(_inline(c), cell) for c in _row(lines[i])])
                i += 1
            table = Table(rows, colWidths=_widths(rows, width), repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]))  # fmt: skip
            flowables += [table, Spacer(1, 6)]
            continue
        heading = re.match(r"(#{1,3}) (.*)", line)
        if heading:
            flowables.append(Paragraph(_inline(heading.group(2)), styles[heading.group(1)]))
        elif line.startswith(("- ", "* ")):
            flowables.append(Paragraph(_inline(line[2:]), bullet, bulletText="•"))
        elif re.match(r"\d+\. ", line):
            number, text = line.split(" ", 1)
            flowables.append(Paragraph(_inline(text), bullet, bulletText=number))
        elif line.startswith(">"):
            flowables.append(Paragraph(_inline(line.lstrip("> ")), quote))
        elif line.strip():
            flowables.append(Paragraph(_inline(line), body))
        i += 1
    return flowables
