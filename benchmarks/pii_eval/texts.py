# ruff: noqa: E501  (sentences are data: one template per line)
"""Free texts, French and English, whose personal-information spans are known by construction.

Each template is a sentence with slots; a slot is filled with a synthetic value and, when
the value is personal information, its span is recorded with its glossary term
(``catalog.pi_terms``). Hard cases are named on each template (see ``HARD_CASES``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date

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

SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Span:
    """One expected entity: its glossary term and where it is."""

    term: str
    start: int
    end: int


@dataclass(frozen=True)
class EvalText:
    """A synthetic free text and the spans a perfect detector finds in it."""

    id: str
    language: str
    text: str
    spans: tuple[Span, ...]
    cases: tuple[str, ...] = ()


@dataclass
class TextContext:
    """The people and the random source one text is written from."""

    rng: random.Random
    language: str
    people: PeopleFactory
    student: Person
    parent: Person
    staff: Person
    extra: dict[str, str] = field(default_factory=dict)


def _event(ctx: TextContext) -> str:
    day = event_date(ctx.rng)
    return written_date(day, ctx.language) if ctx.rng.random() < 0.7 else day.isoformat()


def _birth(ctx: TextContext) -> str:
    born: date = ctx.student.born
    return written_date(born, ctx.language) if ctx.rng.random() < 0.75 else born.isoformat()


# slot → (value, term or None: not personal)
SLOTS = {
    "student": (lambda c: c.student.name, "person_name"),
    "student_first": (lambda c: c.student.first, "person_name"),
    "student_upper": (lambda c: c.student.name.upper(), "person_name"),
    "parent": (lambda c: c.parent.name, "person_name"),
    "parent_upper": (lambda c: f"{c.parent.first} {c.parent.last}".upper(), "person_name"),
    "parent_last": (lambda c: c.parent.last, "person_name"),
    "staff": (lambda c: c.staff.name, "person_name"),
    "staff_upper": (lambda c: c.staff.name.upper(), "person_name"),
    "staff_last": (lambda c: c.staff.last, "person_name"),
    "cp": (lambda c: c.student.code_permanent, "code_permanent"),
    "nam": (lambda c: c.student.nam, "ramq_number"),
    "nam_fmt": (lambda c: c.student.nam_formatted, "ramq_number"),
    "nas_bare": (lambda c: sin_format(c.staff.nas, "bare"), "sin"),
    "nas_fmt": (lambda c: sin_format(c.staff.nas, c.rng.choice(("spaced", "dashed"))), "sin"),
    "postal": (lambda c: c.student.postal_code, "postal_code"),
    "phone": (lambda c: phone_format(c.parent.phone, c.rng), "phone_number"),
    "staff_phone": (lambda c: phone_format(c.staff.phone, c.rng), "phone_number"),
    "email": (lambda c: c.parent.email, "email"),
    "home": (lambda c: c.student.street_address, "home_address"),
    "birth": (_birth, "birth_date"),
    "file_no": (lambda c: c.student.file_number, "file_number"),
    "matricule": (lambda c: c.staff.matricule, "file_number"),
    "saaq": (lambda c: saaq_format(c.staff.saaq, c.rng.random() < 0.7), "saaq_licence"),
    # not personal
    "event": (_event, None),
    "school": (lambda c: facts.school_name(c.rng, c.language), None),
    "school_addr": (lambda c: c.people.street_address(), None),
    "school_postal": (lambda c: c.people.person(adult=True).postal_code, None),
    "school_phone": (lambda c: phone_format(c.people.person(adult=True).phone, c.rng), None),
    "building": (lambda c: facts.building_code(c.rng), None),
    "subject": (
        lambda c: c.rng.choice(facts.SUBJECTS_FR if c.language == "fr" else facts.SUBJECTS_EN),
        None,
    ),
    "job": (lambda c: c.rng.choice(facts.JOBS_FR if c.language == "fr" else facts.JOBS_EN), None),
    "pct": (lambda c: facts.percent(c.rng), None),
    "decile": (lambda c: str(c.rng.randrange(1, 11)), None),
    "city": (lambda c: c.people.city(), None),
    "grade": (lambda c: facts.grade(c.rng, c.language), None),
    "po": (lambda c: not_sin_number(c.rng), None),
    "amount": (lambda c: f"{c.rng.randrange(500, 90000):,}".replace(",", " "), None),
}

# (template, hard cases); personal information in every one but those marked "no_pi".
FRENCH = (
    (
        "Rencontre le {event} avec {parent}, mère de {student_first}, au sujet des absences en {subject}.",
        ("meeting_date", "subject_names"),
    ),
    (
        "Appel de {parent_upper} au {phone} : {student_first} sera absent demain.",
        ("uppercase_names",),
    ),
    (
        "L'élève {student} (code permanent {cp}), née le {birth}, est inscrite en {grade}.",
        ("french_written_date",),
    ),
    (
        "Carte d'assurance maladie de {student_first} : {nam_fmt}, à vérifier auprès de la RAMQ.",
        ("code_permanent_vs_ramq",),
    ),
    (
        "Code permanent {cp} à confirmer dans Charlemagne; NAM {nam} au dossier de santé.",
        ("code_permanent_vs_ramq",),
    ),
    ("NAS de l'employé {staff} : {nas_bare}.", ("sin_bare",)),
    (
        "Le NAS {nas_fmt} a été saisi au dossier de {staff_upper}.",
        ("sin_formatted", "uppercase_names"),
    ),
    ("La famille habite au {home}, {city}, {postal}. Joindre la mère au {phone}.", ()),
    ("Nouvelle adresse du domicile : {home}, {postal}.", ()),
    (
        "{school} est située au {school_addr}, {city} {school_postal}; secrétariat : {school_phone}.",
        ("school_address", "no_pi"),
    ),
    (
        "Travaux au bâtiment {building} ({school_addr}) : réfection de la toiture, indice de vétusté {pct}.",
        ("building_address", "indicators", "no_pi"),
    ),
    (
        "Résultats de l'étape 2 : taux de réussite de {pct} en {subject}, IMSE {decile}, rang décile {decile}.",
        ("indicators", "subject_names", "no_pi"),
    ),
    (
        "Numéro de fiche {file_no} : plan d'intervention révisé le {event} par {staff}, orthopédagogue.",
        ("meeting_date",),
    ),
    (
        "Matricule {matricule} — {staff_upper}, {job}, départ à la retraite prévu le {event}.",
        ("uppercase_names", "meeting_date"),
    ),
    ("Permis de conduire du chauffeur {staff} : {saaq}.", ()),
    ("Courriel du parent : {email}. Joindre aussi {parent} au {phone}.", ()),
    (
        "Dossier de {student_upper} transmis à {school} le {event}.",
        ("uppercase_names", "meeting_date"),
    ),
    (
        "{student_first} a eu une bonne semaine en {subject}; rencontre avec Mme {staff_last} jeudi.",
        ("subject_names",),
    ),
    ("Élève née le {birth} à {city}; parents : {parent} et {staff}.", ("french_written_date",)),
    (
        "Réunion du comité de parents le {event} à {school}, {school_addr}.",
        ("school_address", "meeting_date", "no_pi"),
    ),
    (
        "Bon de commande {po} : manuels de {subject} livrés à {school}, {school_addr}, montant {amount} $.",
        ("nine_digit_not_sin", "school_address", "no_pi"),
    ),
    ("{student_first} présente un TDAH; suivi par {staff}, psychoéducatrice ({staff_phone}).", ()),
    ("Date de naissance de {student} : {birth}. Code postal du domicile : {postal}.", ()),
    (
        "Le conseil d'établissement de {school} se réunira le {event} pour le budget de {amount} $.",
        ("meeting_date", "no_pi"),
    ),
)
ENGLISH = (
    (
        "Meeting on {event} with {parent}, {student_first}'s mother, about absences in {subject}.",
        ("meeting_date", "subject_names"),
    ),
    (
        "Call from {parent_upper} at {phone}: {student_first} will be absent tomorrow.",
        ("uppercase_names",),
    ),
    ("Student {student} (permanent code {cp}), born {birth}, is enrolled in {grade}.", ()),
    ("Medicare card (RAMQ) of {student_first}: {nam_fmt}.", ("code_permanent_vs_ramq",)),
    ("Employee SIN: {nas_bare}, recorded for {staff}.", ("sin_bare",)),
    ("SIN {nas_fmt} recorded in the file of {staff_upper}.", ("sin_formatted", "uppercase_names")),
    ("The family lives at {home}, {city}, {postal}. Call the mother at {phone}.", ()),
    (
        "{school} is located at {school_addr}, {city}; office: {school_phone}.",
        ("school_address", "no_pi"),
    ),
    (
        "Work order for building {building} ({school_addr}): roof repair, condition index {pct}.",
        ("building_address", "indicators", "no_pi"),
    ),
    (
        "Term 2 results: success rate {pct} in {subject}, SES index decile {decile}.",
        ("indicators", "subject_names", "no_pi"),
    ),
    ("Student file number {file_no}: IEP reviewed on {event} by {staff}.", ("meeting_date",)),
    (
        "Employee number {matricule} — {staff_upper}, {job}, retiring on {event}.",
        ("uppercase_names", "meeting_date"),
    ),
    ("Driver's licence of bus driver {staff}: {saaq}.", ()),
    ("Parent email: {email}. {parent} can also be reached at {phone}.", ()),
    (
        "{student_first} had a good week in {subject}; meeting with Ms. {staff_last} on Thursday.",
        ("subject_names",),
    ),
    (
        "Purchase order {po}: {subject} textbooks delivered to {school}, {school_addr}.",
        ("nine_digit_not_sin", "school_address", "no_pi"),
    ),
    ("Born {birth} in {city}; parents: {parent} and {staff}.", ()),
    (
        "The governing board of {school} meets on {event} about the {amount} $ budget.",
        ("meeting_date", "no_pi"),
    ),
)


def fill(template: str, ctx: TextContext) -> tuple[str, tuple[Span, ...]]:
    """The template with its slots filled, and the spans of the personal ones."""
    parts: list[str] = []
    spans: list[Span] = []
    position = 0
    cursor = 0
    for match in SLOT.finditer(template):
        literal = template[cursor : match.start()]
        parts.append(literal)
        position += len(literal)
        make, term = SLOTS[match.group(1)]
        value = make(ctx)
        if term is not None:
            spans.append(Span(term, position, position + len(value)))
        parts.append(value)
        position += len(value)
        cursor = match.end()
    parts.append(template[cursor:])
    return "".join(parts), tuple(spans)


class TextFactory:
    """Free texts from one seed; English texts name Quebec people a third of the time."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = {"fr": PeopleFactory("fr", seed + 1), "en": PeopleFactory("en", seed + 2)}

    def context(self, language: str) -> TextContext:
        names = self.people["fr" if language == "fr" or self.rng.random() < 0.33 else "en"]
        return TextContext(
            rng=self.rng,
            language=language,
            people=self.people[language],
            student=names.person(),
            parent=names.person(adult=True),
            staff=names.person(adult=True),
        )

    def text(self, index: int, language: str, personal: bool | None = None) -> EvalText:
        """Text number ``index``; ``personal`` True or False picks templates with or
        without personal information (None: all, in turn)."""
        templates = FRENCH if language == "fr" else ENGLISH
        if personal is not None:
            templates = tuple(t for t in templates if ("no_pi" not in t[1]) == personal)
        template, cases = templates[index % len(templates)]
        text, spans = fill(template, self.context(language))
        return EvalText(f"{language}-{index:04d}", language, text, spans, cases)


def texts(count: int = 440, seed: int = 2026) -> list[EvalText]:
    """``count`` texts, French and English alternating by pairs of three to two."""
    factory = TextFactory(seed)
    counters = {"fr": 0, "en": 0}
    found = []
    for index in range(count):
        language = "en" if index % 5 in (1, 3) else "fr"
        found.append(factory.text(counters[language], language))
        counters[language] += 1
    return found
