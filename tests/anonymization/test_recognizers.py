"""Each recognizer on French and English text: what it must find, what it must leave alone.

Every value here is synthetic; the identifiers have the shapes and checks of real ones.
"""

import pytest

from anonymization.text_scan import scan_texts


def found(analyzer, text: str, language: str = "auto") -> set[tuple[str, str]]:
    [spans] = scan_texts(analyzer, [text], language)
    return {(s.entity, text[s.start : s.end]) for s in spans}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # code permanent: the date part is validated
        ("Code permanent de l'élève : TREM12554601.", {("CODE_PERMANENT", "TREM12554601")}),
        ("Code permanent : TREM12345678.", set()),  # month 34: not a code permanent
        ("Code permanent : TREM31025512.", set()),  # 31 February: not a code permanent
        # NAM: same shape, date in the other order, its own context
        ("Carte d'assurance maladie (NAM) : TREM 4655 1278.", {("RAMQ_NUMBER", "TREM 4655 1278")}),
        # both dates valid: the context decides, not the order of the recognizers
        ("Carte d'assurance maladie : LAMV 1357 2825.", {("RAMQ_NUMBER", "LAMV 1357 2825")}),
        # both labelled in one note: the nearest label before each value decides
        (
            "Code permanent BERS26530792 confirmé; NAM BERS07532681 au dossier.",
            {("CODE_PERMANENT", "BERS26530792"), ("RAMQ_NUMBER", "BERS07532681")},
        ),
        # NAS: formatted, Luhn-valid
        ("Le NAS de l'employée est 362 328 601.", {("SIN", "362 328 601")}),
        ("Le NAS de l'employée est 362 328 602.", set()),  # fails Luhn
        ("NAS 272153974 au dossier.", {("SIN", "272153974")}),  # bare digits, with context
        ("Bon de commande 272153974.", set()),  # bare digits, no context
        # postal code, phone
        ("Domicile : Sherbrooke J1H 2K3.", {("POSTAL_CODE", "J1H 2K3")}),
        ("Joindre la mère au (819) 555-0199.", {("PHONE_NUMBER", "(819) 555-0199")}),
        ("Appeler au (212) 555-0199.", set()),  # not a Quebec area code
        # SAAQ licence
        ("Permis de conduire T1234-567890-12.", {("SAAQ_LICENCE", "T1234-567890-12")}),
        # dates: a birth date only with its context, in French words
        ("Élève née le 14 mars 2011 à Laval.", {("BIRTH_DATE", "14 mars 2011")}),
        ("Réunion du comité le 14 mars 2025.", set()),
        ("Date de naissance : 2011-03-14.", {("BIRTH_DATE", "2011-03-14")}),
        # file and employee numbers: only by context
        ("Numéro de fiche 1023456.", {("FILE_NUMBER", "1023456")}),
        # home address
        (
            "La famille habite au 1234, rue des Érables.",
            {("HOME_ADDRESS", "1234, rue des Érables")},
        ),
        # email (Presidio's recognizer, offline)
        (
            "Courriel : parent.tremblay@example.com",
            {("EMAIL_ADDRESS", "parent.tremblay@example.com")},
        ),
        # names in UPPERCASE, as legacy systems write them
        ("Rencontre avec HÉLÈNE CÔTÉ et son fils.", {("PERSON", "HÉLÈNE CÔTÉ")}),
        # not personal: a subject, an indicator, a school code
        ("Taux de réussite en mathématique : 78 %, IMSE 7.", set()),
        ("Taux de réussite de 62 %, IMSE 10, rang décile 5.", set()),  # « rang »: no street
        # a school's or a building's address, postal code and phone
        (
            "L'École Sainte-Famille est située au 9284, rang Saint-Joseph, Lévis G6V 4H2; "
            "secrétariat : 418 555-0100.",
            set(),
        ),
        ("Travaux au bâtiment B-751-033 (2411, avenue de l'Église) : toiture.", set()),
        # a person named in a school's name; a common noun the model takes for a name
        ("Dossier transmis à la Polyvalente Henri-Bourassa le 5 octobre.", set()),
        ("Bon de commande : manuels de Physique livrés.", set()),
    ],
)
def test_french(analyzer, text, expected):
    assert found(analyzer, text, "fr") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Met with KEVIN SMITH's father.", {("PERSON", "KEVIN SMITH")}),
        ("Student was born March 3, 2012.", {("BIRTH_DATE", "March 3, 2012")}),
        ("His SIN is 362-328-601.", {("SIN", "362-328-601")}),
        ("Call the mother at 514-555-0123.", {("PHONE_NUMBER", "514-555-0123")}),
        ("The class met on March 3, 2025.", set()),
        # two people joined by "and" are two names
        (
            "Parents: Olivia Vincent and Philippe Desbiens.",
            {("PERSON", "Olivia Vincent"), ("PERSON", "Philippe Desbiens")},
        ),
        # a street's name starts with a capital: ordinary words before "road" or "court" are none
        ("He scored 12 points on the road.", set()),
        ("We met 3 kids in the court yard.", set()),
        # the municipality after a street address is no person
        ("Lakeside Academy is located at 1832 Hillside Street, Lévis.", set()),
        (
            "The family lives at 1832 Hillside Street, Lévis.",
            {("HOME_ADDRESS", "1832 Hillside Street")},
        ),
    ],
)
def test_english(analyzer, text, expected):
    assert found(analyzer, text, "en") == expected


def test_context_words_match_without_accents(analyzer):
    assert found(analyzer, "Eleve nee le 14 mars 2011.", "fr") == {("BIRTH_DATE", "14 mars 2011")}


def test_the_language_of_each_text_is_detected_and_routed(analyzer):
    texts = ["L'élève est arrivée en retard ce matin.", "The student arrived late this morning."]
    assert [s == [] for s in scan_texts(analyzer, texts)] == [True, True]
    from anonymization.language import detect_languages

    assert detect_languages(texts) == ["fr", "en"]


def test_a_home_address_in_a_sentence_about_a_school_stays_personal(analyzer):
    text = "L'élève de l'École Saint-Luc habite au 40, rue Roy, J1H 2K3."
    assert found(analyzer, text, "fr") == {
        ("HOME_ADDRESS", "40, rue Roy"),
        ("POSTAL_CODE", "J1H 2K3"),
    }
