"""Tables of the network's systems, each column labelled with the term it holds.

A template describes one kind of table (students, staff, schools, buildings…); it is drawn
in three styles whose column names and value formats differ: 0 the French snake case of
modern systems, 1 legacy UPPERCASE systems (names in capitals, bare numbers), 2 spreadsheets
and abbreviations (« DDN », « Tél. parent », « Colonne 3 »). English templates use styles 0
(snake case) and 2 (spreadsheet headers). Labels are term ids of ``catalog.pi_terms``;
``None`` is not personal.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.pii_eval import school_facts as facts
from benchmarks.pii_eval.identities import (
    PeopleFactory,
    Person,
    event_date,
    not_sin_number,
    phone_format,
    saaq_format,
    sin_format,
    written_date,
)
from benchmarks.pii_eval.texts import TextFactory


@dataclass(frozen=True)
class EvalColumn:
    """One column: its name, native type, sampled values and expected term."""

    name: str
    native_type: str
    values: tuple[str, ...]
    expected: str | None
    cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvalTable:
    """One table of the evaluation set."""

    name: str
    language: str
    columns: tuple[EvalColumn, ...]
    source: str = ""

    @property
    def qualified(self) -> str:
        """``org.table``, unique in the set."""
        return f"{self.source}.{self.name}"


@dataclass
class Row:
    """What one row is drawn from."""

    rng: random.Random
    language: str
    style: int
    person: Person
    other: Person
    people: PeopleFactory
    texts: TextFactory


def _upper(row: Row, value: str) -> str:
    return value.upper() if row.style == 1 else value


def _full_name(row: Row, person: Person) -> str:
    if row.style == 1:
        return f"{person.last}, {person.first}".upper()
    if row.style == 2 and row.rng.random() < 0.5:
        return f"{person.last}, {person.first}"
    return person.name


def _birth(row: Row) -> str:
    born = row.person.born
    if row.style == 2:
        return (
            written_date(born, row.language)
            if row.rng.random() < 0.5
            else born.strftime("%d/%m/%Y")
        )
    return born.isoformat()


def _phone(row: Row, person: Person) -> str:
    return person.phone if row.style == 1 else phone_format(person.phone, row.rng)


def _note(row: Row, personal: bool) -> str:
    factory = row.texts
    index = row.rng.randrange(1000)
    return factory.text(index, row.language, personal=personal).text


Kind = Callable[[Row], str]
KINDS: dict[str, Kind] = {
    # personal
    "file_number": lambda r: r.person.file_number,
    "matricule": lambda r: r.person.matricule,
    "code_permanent": lambda r: r.person.code_permanent,
    "nam": lambda r: r.person.nam_formatted if r.style == 2 else r.person.nam,
    "nam_formatted": lambda r: r.person.nam_formatted,
    "last": lambda r: _upper(r, r.person.last),
    "first": lambda r: _upper(r, r.person.first),
    "full_name": lambda r: _full_name(r, r.person),
    "other_last": lambda r: _upper(r, r.other.last),
    "other_first": lambda r: _upper(r, r.other.first),
    "other_name": lambda r: _full_name(r, r.other),
    "birth": _birth,
    "sex": lambda r: r.rng.choice(("M", "F")),
    "address": lambda r: _upper(r, r.person.street_address),
    "postal": lambda r: (
        r.person.postal_code.replace(" ", "") if r.style == 1 else r.person.postal_code
    ),  # noqa: E501
    "phone": lambda r: _phone(r, r.person),
    "other_phone": lambda r: _phone(r, r.other),
    "email": lambda r: r.person.email,
    "sin": lambda r: sin_format(r.person.nas, ("spaced", "bare", "dashed")[r.style]),
    "saaq": lambda r: saaq_format(r.person.saaq, r.style != 1),
    "difficulty": lambda r: r.rng.choice(("33", "34", "36", "42", "50", "53", "99")),
    "allergy": lambda r: r.rng.choice(("Arachides", "Noix", "Aucune", "Lactose", "Pénicilline")),
    "medication": lambda r: r.rng.choice(("Ritalin 10 mg", "Ventolin", "Aucun", "EpiPen")),
    "note_pi": lambda r: _note(r, personal=True),
    # not personal
    "note_no_pi": lambda r: _note(r, personal=False),
    "school_code": lambda r: facts.school_code(r.rng),
    "school_name": lambda r: facts.school_name(r.rng, r.language),
    "school_address": lambda r: _upper(r, r.people.street_address()),
    "school_postal": lambda r: r.people.person(adult=True).postal_code,
    "school_phone": lambda r: phone_format(r.people.person(adult=True).phone, r.rng),
    "school_email": lambda r: f"secretariat.{facts.school_code(r.rng)}@css.example.qc.ca",
    "city": lambda r: r.people.city(),
    "building_code": lambda r: facts.building_code(r.rng),
    "roll_number": lambda r: (
        f"{r.rng.randrange(1000, 9999)}-{r.rng.randrange(10, 99)}-{r.rng.randrange(1000, 9999)}"
    ),  # noqa: E501
    "school_year": lambda r: facts.school_year(r.rng),
    "grade": lambda r: facts.grade(r.rng, r.language),
    "group": lambda r: str(r.rng.randrange(101, 599)),
    "subject": lambda r: r.rng.choice(
        facts.SUBJECTS_FR if r.language == "fr" else facts.SUBJECTS_EN
    ),  # noqa: E501
    "job": lambda r: r.rng.choice(facts.JOBS_FR if r.language == "fr" else facts.JOBS_EN),
    "relation": lambda r: r.rng.choice(("Mère", "Père", "Tuteur", "Tutrice")),
    "event_date": lambda r: event_date(r.rng).isoformat(),
    "decile": lambda r: str(r.rng.randrange(1, 11)),
    "index": lambda r: f"{r.rng.randrange(0, 1000) / 10:.1f}",
    "count": lambda r: str(r.rng.randrange(5, 2500)),
    "mark": lambda r: str(r.rng.randrange(35, 101)),
    "term": lambda r: str(r.rng.randrange(1, 4)),
    "amount": lambda r: f"{r.rng.randrange(100, 9_000_000) / 100:.2f}",
    "year": lambda r: str(r.rng.randrange(1930, 2024)),
    "route": lambda r: f"C-{r.rng.randrange(100, 999)}",
    "yes_no": lambda r: r.rng.choice(("O", "N")),
    "po_number": lambda r: not_sin_number(r.rng),
    "work": lambda r: r.rng.choice(facts.WORK_FR if r.language == "fr" else facts.WORK_EN),
}
NUMERIC = {"count", "mark", "term", "amount", "decile", "index", "year"}


@dataclass(frozen=True)
class Col:
    """A column of a template: its name in each style, its kind, its label, its hard cases."""

    names: tuple[str, ...]
    kind: str
    term: str | None
    cases: tuple[str, ...] = ()
    native: str | None = None


@dataclass(frozen=True)
class Template:
    """One kind of table: its names in each style and its columns."""

    names: tuple[str, ...]
    language: str
    adult: bool
    columns: tuple[Col, ...]


def name_of(names: tuple[str, ...], style: int) -> str:
    """The name of a style (the last given one for styles beyond)."""
    return names[min(style, len(names) - 1)]


def _native_type(kind: str, style: int) -> str:
    if kind in NUMERIC:
        return ("INTEGER", "NUMBER(10)", "double")[style] if kind != "amount" else "DECIMAL(12,2)"
    return ("TEXT", "VARCHAR2(120)", "string")[style]


def draw(template: Template, style: int, rows: int, seed: int, source: str) -> EvalTable:
    """One table of a template in a style, ``rows`` rows drawn from ``seed``."""
    people = PeopleFactory(template.language, seed)
    texts = TextFactory(seed + 7)
    rng = random.Random(seed)
    drawn = [
        Row(
            rng=rng,
            language=template.language,
            style=style,
            person=people.person(adult=template.adult),
            other=people.person(adult=True),
            people=people,
            texts=texts,
        )
        for _ in range(rows)
    ]
    columns = tuple(
        EvalColumn(
            name=name_of(col.names, style),
            native_type=col.native or _native_type(col.kind, style),
            values=tuple(KINDS[col.kind](row) for row in drawn),
            expected=col.term,
            cases=col.cases,
        )
        for col in template.columns
    )
    return EvalTable(
        name=name_of(template.names, style),
        language=template.language,
        columns=columns,
        source=source,
    )


def tables(rows: int = 30, seed: int = 2026, limit: int | None = None) -> list[EvalTable]:
    """Every template in each of its styles (``limit``: the first tables only)."""
    from benchmarks.pii_eval.table_templates import (
        ENGLISH,
        ENGLISH_STYLES,
        FRENCH,
        FRENCH_STYLES,
    )

    plan = [(t, s) for t in FRENCH for s in FRENCH_STYLES]
    plan += [(t, s) for t in ENGLISH for s in ENGLISH_STYLES]
    plan.sort(key=lambda ts: ts[1])  # every template once before the second style
    found = []
    for index, (template, style) in enumerate(plan[:limit]):
        found.append(draw(template, style, rows, seed + 101 * index, f"org{index % 72:02d}"))
    return found
