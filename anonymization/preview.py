"""A policy's effect shown before any data is read: synthetic rows shaped like a source's
columns, through the extract's plan, with a key made for the preview only.

The rows come from each column's personal-information terms and kind (Faker ``fr_CA`` and a
seeded generator): one invented person per row, so that the code permanent, the name, the
date of birth and the sex of a row agree. Nothing here reads a source; a preview never shows
a real value nor a real pseudonym (its key is random and thrown away).

>>> rows = synthetic_rows([SourceColumn(name="code_postal", terms=["postal_code"])], n=2)
>>> [len(code) for code in rows["code_postal"]]
[7, 7]
"""

from __future__ import annotations

import random
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from faker import Faker
from presidio_analyzer import AnalyzerEngine

from anonymization.extract_plan import ExtractPlan, SourceColumn, run_steps
from anonymization.keys import KEY_BYTES, Keyring
from anonymization.operators import OperatorContext, ValueKind
from catalog.demo import identifiers as ids

SEED = 2026
ROWS = 5
PREVIEW_KEY = "apercu"
HDAA_CODES = ("33", "34", "50", "53", "99")
HEALTH = ("Asthme", "Allergie aux arachides", "Diabète de type 1", "Épilepsie", "Aucun")
NOTES = (
    "{given} {surname} a rencontré l'orthopédagogue. Rappeler sa mère au {phone}.",
    "Rencontre avec le père de {given} {surname}; joignable au {phone} après 16 h.",
    "Suivi TES : {given} {surname} s'est absenté·e trois jours. Appel au {phone} sans réponse.",
)


# the native types of the catalogue's schemas, by the word they contain (first match wins)
@dataclass(frozen=True)
class Person:
    """The invented person behind one synthetic row."""

    surname: str
    given_name: str
    parent_name: str
    birth: date
    female: bool
    phone: str


def _person(fake: Faker, rng: random.Random) -> Person:
    female = rng.random() < 0.5
    given = fake.first_name_female() if female else fake.first_name_male()
    surname = fake.last_name()
    birth = date(2008, 1, 1) + timedelta(days=rng.randint(0, 11 * 365))
    parent = f"{fake.first_name()} {surname}"
    return Person(surname, given, parent, birth, female, ids.phone_number(rng))


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii()).lower()


def _name(person: Person, column: str) -> str:
    """The name a column of that name would hold: given name, surname, a parent's, or both."""
    folded = _ascii(column)
    if any(word in folded for word in ("prenom", "first", "given")):
        return person.given_name
    if any(word in folded for word in ("parent", "mere", "pere", "tuteur", "contact")):
        return person.parent_name
    if folded.startswith("nom") or any(word in folded for word in ("surname", "last", "famille")):
        return person.surname
    return f"{person.given_name} {person.surname}"


Maker = Callable[[Person, str, random.Random, Faker], object]
# personal-information term: the value a row's person has for it
TERM_VALUES: dict[str, Maker] = {
    "code_permanent": lambda p, _c, rng, _f: ids.code_permanent(
        p.surname, p.given_name, p.birth, p.female, rng
    ),
    "ramq_number": lambda p, _c, rng, _f: ids.health_insurance_number(
        p.surname, p.given_name, p.birth, p.female, rng
    ),
    "sin": lambda _p, _c, rng, _f: ids.social_insurance_number(rng),
    "file_number": lambda _p, _c, rng, _f: str(rng.randint(100000, 999999)),
    "person_name": lambda p, column, _rng, _f: _name(p, column),
    "email": lambda p, _c, _rng, _f: f"{_ascii(p.given_name)}.{_ascii(p.surname)}@example.com",
    "phone_number": lambda p, _c, _rng, _f: p.phone,
    "saaq_licence": lambda p, _c, rng, _f: ids.driver_licence(p.surname, rng),
    "home_address": lambda _p, _c, _rng, fake: fake.street_address(),
    "birth_date": lambda p, _c, _rng, _f: p.birth.isoformat(),
    "postal_code": lambda _p, _c, rng, _f: ids.postal_code(rng),
    "gender": lambda p, _c, _rng, _f: "F" if p.female else "M",
    "special_needs": lambda _p, _c, rng, _f: rng.choice(HDAA_CODES),
    "health": lambda _p, _c, rng, _f: rng.choice(HEALTH),
    "free_text": lambda p, _c, rng, _f: rng.choice(NOTES).format(
        given=p.given_name, surname=p.surname, phone=p.phone
    ),
}


def _day(rng: random.Random) -> date:
    return date(2023, 9, 1) + timedelta(days=rng.randint(0, 730))


# kind: a value of a column without personal information
KIND_VALUES: dict[ValueKind, Callable[[str, random.Random], object]] = {
    "integer": lambda _c, rng: rng.randint(1, 99),
    "float": lambda _c, rng: round(rng.uniform(40, 100), 1),
    "boolean": lambda _c, rng: rng.random() < 0.5,
    "date": lambda _c, rng: _day(rng).isoformat(),
    "datetime": lambda _c, rng: datetime.combine(
        _day(rng), time(rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
    ).isoformat(sep=" "),
    "string": lambda column, rng: f"{_ascii(column)[:3].upper() or 'VAL'}-{rng.randint(1, 99):02d}",
}


def _value(column: SourceColumn, person: Person, rng: random.Random, fake: Faker) -> object:
    term = next((t for t in column.terms if t in TERM_VALUES), None)
    if term is not None:
        value = TERM_VALUES[term](person, column.name, rng, fake)
        if column.kind == "integer" and isinstance(value, str) and value.isdigit():
            return int(value)
        return value
    return KIND_VALUES.get(column.kind, KIND_VALUES["string"])(column.name, rng)


def synthetic_rows(columns: list[SourceColumn], n: int = ROWS, seed: int = SEED) -> pd.DataFrame:
    """``n`` invented rows for a source with ``columns`` (the same for the same seed), as a
    reader yields them: Python values in ``object`` columns, dates as ISO text."""
    rng = random.Random(seed)
    fake = Faker("fr_CA")
    fake.seed_instance(seed)
    rows = []
    for _ in range(n):
        person = _person(fake, rng)
        rows.append([_value(column, person, rng, fake) for column in columns])
    frame = pd.DataFrame(rows, columns=[c.name for c in columns], dtype=object)
    return frame.astype(object)


def preview_keyring() -> Keyring:
    """A random key made for one preview and never kept: its pseudonyms match no extract's."""
    return Keyring({PREVIEW_KEY: secrets.token_bytes(KEY_BYTES)}, PREVIEW_KEY)


def _frequencies(
    plan: ExtractPlan, rows: pd.DataFrame, context: OperatorContext
) -> dict[str, Counter[object]]:
    """Value counts of the columns that suppress rare values, over the preview's rows."""
    found: dict[str, Counter[object]] = {}
    for name, steps in plan.counted_steps().items():
        values = run_steps(name, steps, rows[name], context)
        found[name] = Counter(values.dropna().value_counts().to_dict())
    return found


def preview(
    plan: ExtractPlan,
    rows: pd.DataFrame,
    analyzer_factory: Callable[[], AnalyzerEngine] | None,
    organization: str | None = None,
) -> pd.DataFrame:
    """``rows`` as the extract would hold them: the plan's steps with a throwaway key, ages
    counted today, the analyzer only if the plan scrubs free text, rare values counted over
    these rows only."""
    context = OperatorContext(
        keyring=preview_keyring(),
        organization=organization,
        as_of=date.today(),
        analyzer=analyzer_factory if plan.needs_analyzer else None,
    )
    context.frequencies = _frequencies(plan, rows, context)
    return plan.transform(rows, context)
