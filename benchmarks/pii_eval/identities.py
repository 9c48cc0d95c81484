"""Synthetic people and places with the shapes and checks of Quebec's identifiers.

Everything comes from a seeded ``random.Random`` and Faker (``fr_CA``, ``en_CA``): nobody
here is real. The identifiers pass the checks real ones pass (the code permanent's and the
NAM's date parts, the NAS's Luhn digit, Canada Post's letters, Quebec area codes), so that
a detector cannot win by rejecting them on form.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

QUEBEC_AREA_CODES = ("418", "438", "450", "514", "579", "581", "819", "873", "367", "354")
POSTAL_FIRST = "GHJ"  # Quebec
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"  # never D F I O Q U
FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
FRENCH_STREETS = ("rue", "rue", "avenue", "boulevard", "chemin", "rang", "montée", "place")
ENGLISH_STREETS = ("Street", "Street", "Avenue", "Road", "Drive", "Crescent", "Boulevard")
STREET_NAMES_FR = (
    "des Érables", "Saint-Joseph", "Principale", "de la Montagne", "du Lac", "Sainte-Catherine",
    "des Pins", "Notre-Dame", "de l'Église", "Champlain", "des Cèdres", "du Moulin",
)  # fmt: skip
STREET_NAMES_EN = (
    "Maple", "Oak", "Elm", "Cedar", "Victoria", "Lakeshore", "Church", "Mill", "Pine", "Hillside",
)  # fmt: skip


def plain_upper(text: str) -> str:
    """Capitals without accents or other signs: ``Côté`` → ``COTE``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch)
    ).upper()


def luhn_digit(digits: str) -> str:
    """The digit that makes ``digits`` + it pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (1 if index % 2 else 2)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Person:
    """One synthetic person: names, birth date, sex and every identifier the network keeps."""

    first: str
    last: str
    female: bool
    born: date
    code_permanent: str
    nam: str  # compact; see ``nam_formatted``
    nas: str  # nine digits
    postal_code: str
    phone: str  # ten digits
    saaq: str  # compact
    street_address: str
    email: str
    file_number: str
    matricule: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def nam_formatted(self) -> str:
        return f"{self.nam[:4]} {self.nam[4:8]} {self.nam[8:]}"


class PeopleFactory:
    """Synthetic people of one language, from one seed."""

    def __init__(self, language: str, seed: int) -> None:
        self.language = language
        self.rng = random.Random(seed)
        self.fake = Faker("fr_CA" if language == "fr" else "en_CA")
        self.fake.seed_instance(seed)

    def person(self, adult: bool = False) -> Person:
        """A student (born 2006–2019) or, with ``adult``, a parent or an employee."""
        rng, fake = self.rng, self.fake
        female = rng.random() < 0.5
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        if rng.random() < 0.1:
            last = f"{last}-{fake.last_name()}"
        start = date(1960, 1, 1) if adult else date(2006, 1, 1)
        born = start + timedelta(days=rng.randrange(365 * (40 if adult else 13)))
        letters = (plain_upper(last) + "XXX")[:3] + plain_upper(first)[:1]
        month = born.month + (50 if female else 0)
        yy = born.year % 100
        code = f"{letters}{born.day:02d}{month:02d}{yy:02d}{rng.randrange(1, 99):02d}"
        nam = f"{letters}{yy:02d}{month:02d}{born.day:02d}{rng.randrange(10, 99):02d}"
        head = rng.choice("2233345679") + "".join(rng.choice("0123456789") for _ in range(7))
        postal = (
            f"{rng.choice(POSTAL_FIRST)}{rng.randrange(10)}{rng.choice(POSTAL_LETTERS)} "
            f"{rng.randrange(10)}{rng.choice(POSTAL_LETTERS)}{rng.randrange(10)}"
        )
        phone = (
            f"{rng.choice(QUEBEC_AREA_CODES)}{rng.randrange(200, 999)}{rng.randrange(10000):04d}"
        )
        saaq = f"{letters[0]}{rng.randrange(10**12):012d}"
        email_user = f"{plain_upper(first)[:1]}{plain_upper(last)}".lower()[:20]
        domain = rng.choice(("example.com", "example.org", "exemple.ca", "courriel.example.net"))
        return Person(
            first=first,
            last=last,
            female=female,
            born=born,
            code_permanent=code,
            nam=nam,
            nas=head + luhn_digit(head),
            postal_code=postal,
            phone=phone,
            saaq=saaq,
            street_address=self.street_address(),
            email=f"{email_user}{rng.randrange(100)}@{domain}",
            file_number=str(rng.randrange(1_000_000, 9_999_999)),
            matricule=rng.choice(("", "E", "P")) + str(rng.randrange(10_000, 999_999)),
        )

    def street_address(self) -> str:
        """« 1234, rue des Érables » or "56 Maple Street", sometimes with an apartment."""
        rng = self.rng
        number = str(rng.randrange(1, 9999))
        if self.language == "fr":
            name = rng.choice((*STREET_NAMES_FR, self.fake.last_name()))
            address = f"{number}, {rng.choice(FRENCH_STREETS)} {name}"
            return address + (f", app. {rng.randrange(1, 12)}" if rng.random() < 0.15 else "")
        name = rng.choice((*STREET_NAMES_EN, self.fake.last_name()))
        address = f"{number} {name} {rng.choice(ENGLISH_STREETS)}"
        return address + (f", Apt. {rng.randrange(1, 12)}" if rng.random() < 0.15 else "")

    def city(self) -> str:
        """A Quebec municipality."""
        return self.rng.choice(
            ("Laval", "Longueuil", "Sherbrooke", "Gatineau", "Trois-Rivières", "Rimouski",
             "Saguenay", "Lévis", "Drummondville", "Granby", "Montréal", "Québec")
        )  # fmt: skip


def phone_format(number: str, rng: random.Random) -> str:
    """A ten-digit number written one of the ways people write them."""
    a, b, c = number[:3], number[3:6], number[6:]
    return rng.choice(
        (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a} {b}-{c}", f"{a}.{b}.{c}", f"1 {a} {b}-{c}")
    )


def sin_format(nas: str, style: str) -> str:
    """``spaced`` 123 456 782, ``dashed`` 123-456-782 or ``bare`` 123456782."""
    if style == "bare":
        return nas
    sep = " " if style == "spaced" else "-"
    return sep.join((nas[:3], nas[3:6], nas[6:]))


def saaq_format(saaq: str, formatted: bool) -> str:
    """``A1234-567890-12`` or compact."""
    return f"{saaq[:5]}-{saaq[5:11]}-{saaq[11:]}" if formatted else saaq


def written_date(day: date, language: str) -> str:
    """« 14 mars 2011 », « 1er février 2012 » or "March 14, 2011"."""
    if language == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    return f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}"


def event_date(rng: random.Random) -> date:
    """A school-year date (a meeting, an absence, a work order): not a birth date."""
    return date(2023, 8, 25) + timedelta(days=rng.randrange(900))


def not_sin_number(rng: random.Random) -> str:
    """A nine-digit purchase-order or account number; half pass Luhn, like one NAS."""
    head = rng.choice("1234567") + "".join(rng.choice("0123456789") for _ in range(7))
    last = luhn_digit(head) if rng.random() < 0.5 else str(rng.randrange(10))
    return head + last
