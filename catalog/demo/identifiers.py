"""Synthetic Quebec identifiers with the shapes and checks of the real ones.

Everything here is generated from a seeded ``random.Random``; none of it is real data.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date

from anonymization.checks import luhn_valid

QUEBEC_AREA_CODES = ("418", "438", "450", "514", "579", "581", "819", "873", "367", "354")
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"  # D F I O Q U never used
QUEBEC_FSA_FIRST = "GHJ"


def _letters(text: str) -> str:
    """Uppercase ASCII letters of a name (accents and punctuation removed)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.upper() if ch.isalpha())


def _name_letters(surname: str, given_name: str) -> str:
    """The 4 letters shared by the code permanent and the NAM: 3 of surname, 1 of given name."""
    return (_letters(surname) + "XXX")[:3] + (_letters(given_name) + "X")[0]


def _birth_month(birth: date, female: bool) -> int:
    """The birth month as both identifiers write it: +50 for a woman or a girl."""
    return birth.month + (50 if female else 0)


def code_permanent(
    surname: str, given_name: str, birth: date, female: bool, rng: random.Random
) -> str:
    """MEQ code permanent: 3 letters of surname + 1 of given name, DD, MM(+50 F), YY, 2 digits."""
    day, month, year = birth.day, _birth_month(birth, female), birth.year % 100
    suffix = rng.randint(10, 99)
    return f"{_name_letters(surname, given_name)}{day:02d}{month:02d}{year:02d}{suffix}"


def health_insurance_number(
    surname: str, given_name: str, birth: date, female: bool, rng: random.Random
) -> str:
    """RAMQ NAM: same letters, then YY, MM(+50 F), DD and 2 administrative digits."""
    day, month, year = birth.day, _birth_month(birth, female), birth.year % 100
    suffix = rng.randint(10, 99)
    return f"{_name_letters(surname, given_name)} {year:02d}{month:02d} {day:02d}{suffix}"


def social_insurance_number(rng: random.Random, formatted: bool = True) -> str:
    """A Luhn-valid NAS starting with 2 or 3 (issued in Quebec)."""
    while True:
        digits = str(rng.choice((2, 3))) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        if luhn_valid(digits):
            break
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if formatted else digits


def postal_code(rng: random.Random) -> str:
    """A Quebec-shaped postal code, e.g. ``H2X 1Y4``."""
    first = rng.choice(QUEBEC_FSA_FIRST)
    return (
        f"{first}{rng.randint(0, 9)}{rng.choice(POSTAL_LETTERS)} "
        f"{rng.randint(0, 9)}{rng.choice(POSTAL_LETTERS)}{rng.randint(0, 9)}"
    )


def phone_number(rng: random.Random) -> str:
    """A fictitious Quebec phone number in the 555 exchange."""
    return f"({rng.choice(QUEBEC_AREA_CODES)}) 555-{rng.randint(0, 9999):04d}"


def driver_licence(surname: str, rng: random.Random) -> str:
    """A SAAQ-shaped driver's licence number, e.g. ``T1234-567890-12``."""
    letter = (_letters(surname) + "X")[0]
    digits = "".join(str(rng.randint(0, 9)) for _ in range(12))
    return f"{letter}{digits[:4]}-{digits[4:10]}-{digits[10:]}"
