"""A labelled evaluation set for personal-information detection, synthetic and seeded.

Tables (``tables``): columns of the network's systems, each labelled with the term of
``catalog.pi_terms`` it holds or ``None`` (not personal). Free texts (``texts``): French and
English notes whose entity spans are known by construction. ``HARD_CASES`` names what makes
detection hard; columns and texts carry the names of the cases they exercise.
"""

from benchmarks.pii_eval.tables import EvalColumn, EvalTable, tables
from benchmarks.pii_eval.texts import EvalText, Span, texts

HARD_CASES = {
    "uppercase_names": "names in capitals with accents, as legacy systems store them",
    "code_permanent_vs_ramq": "code permanent and NAM: same shape, date in another order",
    "sin_bare": "a NAS as nine bare digits (one random number in ten passes Luhn)",
    "sin_formatted": "a NAS written 123 456 782 or 123-456-782",
    "nine_digit_not_sin": "purchase-order numbers of nine digits, half Luhn-valid: not a NAS",
    "school_address": "a school's address, postal code, phone and email: not personal",
    "building_address": "a building's address: not personal",
    "school_names": "schools named after people (« École Marie-Victorin »): not personal",
    "subject_names": "subject names in capitals (« Histoire du Québec »): not personal",
    "job_class": "job-class names: not personal",
    "indicators": "school-level indicators (IMSE, decile rank, condition index): not personal",
    "meeting_date": "a date that is not a birth date",
    "french_written_date": "birth dates in French words (« 14 mars 2011 »)",
    "misleading_name": "a column name that points the wrong way (« nom » of a school)",
    "unnamed_column": "a column whose name says nothing (« Colonne 3 »): values decide",
}

__all__ = ["HARD_CASES", "EvalColumn", "EvalTable", "EvalText", "Span", "tables", "texts"]
