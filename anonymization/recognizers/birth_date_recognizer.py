"""Dates, in French and English words or in figures; a birth date only with its context.

A date in a teacher's note is not personal information by itself (a meeting), so the base
score stays under the threshold and words like « né le », « DDN » or "born" raise it."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.recognizers.base import CartableRecognizer

FRENCH_MONTHS = (
    r"janv(?:ier|\.)?|f[ée]v(?:rier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?"
    r"|ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?"
)
ENGLISH_MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|march|apr(?:il|\.)?|may|june|july|aug(?:ust|\.)?"
    r"|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)


class BirthDateRecognizer(CartableRecognizer):
    """« 14 mars 2011 », « 1er février 2012 », "March 14, 2011", 2011-03-14, 14/03/2011."""

    ENTITY = "BIRTH_DATE"
    PATTERNS = [
        Pattern("French words", rf"\b(?:1er|\d{{1,2}})\s+(?:{FRENCH_MONTHS})\s+\d{{4}}\b", 0.3),
        Pattern("English words", rf"\b(?:{ENGLISH_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}\b", 0.3),
        Pattern("ISO", r"\b(?:19|20)\d{2}-[01]\d-[0-3]\d\b", 0.3),
        Pattern("day first", r"\b[0-3]?\d/[01]?\d/(?:19|20)\d{2}\b", 0.3),
    ]
    CONTEXT = {
        "fr": ["naissance", "ne", "nee", "naitre", "ddn", "age", "anniversaire"],
        "en": ["birth", "born", "bear", "dob", "birthday", "age"],  # "bear": the lemma of born
    }
