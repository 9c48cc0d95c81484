"""Street addresses: a civic number, a street type and a name (« 1234, rue des Érables »).

A school's or a building's address has the same shape: it is told apart by the column
(and the table) it sits in, not here; in free text, words such as « domicile » or « habite »
raise the score."""

from __future__ import annotations

from presidio_analyzer import Pattern

from anonymization.recognizers.base import CartableRecognizer

FRENCH_STREETS = (
    r"rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.|rang|route|place|côte|montée|impasse"
    r"|croissant|terrasse"
)
ENGLISH_STREETS = (
    r"street|st\.|avenue|ave\.?|road|rd\.|boulevard|blvd\.?|drive|dr\.|lane|crescent|court"
)


# A street's name starts with a capital even though Presidio matches without regard to case
# (« 5, rang décile » in an indicator is no address, nor "12 points on the road" in a note);
# the scoped flag keeps case here, in French and in English.
NAME_WORD = r"(?-i:[A-ZÀ-Ý])[\w'À-ÿ-]+"


class StreetAddressRecognizer(CartableRecognizer):
    """« 1234, rue des Érables », « 56 boul. Saint-Joseph Est », "12 Maple Street"."""

    ENTITY = "HOME_ADDRESS"
    PATTERNS = [
        Pattern(
            "French street",
            rf"\b\d{{1,5}}(?:-\d{{1,4}})?,?\s+(?:{FRENCH_STREETS})\s+(?:(?:de|du|des|de la|d')\s*)?"
            rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}",
            0.4,
        ),
        Pattern(
            "English street",
            rf"\b\d{{1,5}}\s+{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}\s+(?:{ENGLISH_STREETS})\b",
            0.4,
        ),
    ]
    CONTEXT = {
        "fr": ["domicile", "habite", "adresse", "demeure", "reside"],
        "en": ["home", "lives", "address", "resides"],
    }
