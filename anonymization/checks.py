"""Validation of Quebec identifiers: the checks behind the recognizers (pure functions).

>>> luhn_valid("046454286")
True
>>> code_permanent_date_valid("TREM12345678")  # day 12, month 34: not a date
False
>>> code_permanent_date_valid("TREM12554678")  # day 12, month 55 (May, female), year 46
True
>>> ramq_date_valid("TREM 4655 1278")  # year 46, month 55 (May, female), day 12
True
"""

from __future__ import annotations

import calendar

QUEBEC_AREA_CODES = frozenset(
    {"263", "273", "354", "367", "418", "438", "450", "468", "514", "579", "581", "819", "873"}
)


def digits_of(text: str) -> str:
    """The digits of a text, in order."""
    return "".join(ch for ch in text if ch.isdigit())


def luhn_valid(number: str) -> bool:
    """The Luhn check of social insurance numbers (on the digits of ``number``)."""
    digits = digits_of(number)
    if not digits:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _date_valid(day: int, month: int, year: int) -> bool:
    """A real day of a real month; the month may carry +50 (female), and a two-digit year
    is read in this century (a leap year every four years, 2000 included)."""
    if 51 <= month <= 62:
        month -= 50
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2000 + year, month)[1]


def code_permanent_date_valid(code: str) -> bool:
    """The code permanent's digits read DD MM(+50) YY as a real day of a real month.

    >>> code_permanent_date_valid("TREM31025512"), code_permanent_date_valid("TREM29020012")
    (False, True)
    """
    digits = digits_of(code)
    if len(digits) != 8:
        return False
    return _date_valid(int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))


def ramq_date_valid(number: str) -> bool:
    """The health insurance number's digits read YY MM(+50) DD as a real month and day.

    >>> ramq_date_valid("TREM 1202 3112"), ramq_date_valid("TREM 1254 3012")
    (False, True)
    """
    digits = digits_of(number)
    if len(digits) != 8:
        return False
    return _date_valid(int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))


def quebec_phone_valid(number: str) -> bool:
    """A North American number whose area code is one of Quebec's."""
    digits = digits_of(number)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[:3] in QUEBEC_AREA_CODES
