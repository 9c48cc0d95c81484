"""The extract-policy operators, one by one, and the union that reads them from a policy."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from faker import Faker
from pydantic import TypeAdapter, ValidationError

from anonymization.keys import Keyring, create_keyring, load_keyring, rotate_keyring
from anonymization.operators import (
    Encrypt,
    GeneralizeDate,
    GeneralizePostalCode,
    GeneralizeSchool,
    Keep,
    Mask,
    OperatorContext,
    Pseudonym,
    Redact,
    Remove,
    Scrub,
    Step,
    SuppressRare,
    TopBottom,
    decrypt,
)
from anonymization.text_scan import scan_texts
from catalog.errors import CartableError

AS_OF = date(2026, 6, 30)
STEP = TypeAdapter(Step)


def series(values: list[Any]) -> pd.Series:
    return pd.Series(values, dtype=object)


def run(step: Any, values: list[Any], context: OperatorContext | None = None) -> list[Any]:
    return step.apply(series(values), context or OperatorContext(as_of=AS_OF)).tolist()


def new_ring(folder: Path, name: str = "extract.keyring") -> tuple[Path, Keyring]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    create_keyring(path)
    return path, load_keyring(file=path)


@pytest.fixture
def ring(tmp_path: Path) -> Keyring:
    return new_ring(tmp_path / "keys")[1]


# keep, redact, mask ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "values", "expected"),
    [
        (Keep(), ["a", None, 3], ["a", None, 3]),
        (Redact(), ["a", None, "b"], [None, None, None]),
        (Redact(replacement="[retiré]"), ["a", None, "b"], ["[retiré]", None, "[retiré]"]),
        (Mask(), ["abc", None, ""], ["***", None, ""]),
        (Mask(keep_last=4), ["514 555-1234", None], ["********1234", None]),
        (Mask(keep_first=4), ["TREM12345678"], ["TREM********"]),
        (Mask(keep_first=2, keep_last=2), ["abcdef", "abcde"], ["ab**ef", "ab*de"]),
        # nothing would be hidden: the whole value is masked
        (Mask(keep_first=2, keep_last=2), ["abcd", "abc", "a"], ["****", "***", "*"]),
        (Mask(keep_last=4), ["123"], ["***"]),
        (Mask(char="#", keep_last=2), [12345, 12.0], ["###45", "##"]),
    ],
    ids=[
        "keep",
        "redact-empty",
        "redact-text",
        "mask-all",
        "mask-last",
        "mask-first",
        "mask-both",
        "mask-too-short",
        "mask-shorter-than-kept",
        "mask-numbers",
    ],
)
def test_keep_redact_mask(step, values, expected):
    assert run(step, values) == expected


def test_mask_validation():
    with pytest.raises(ValidationError):
        Mask(char="**")
    with pytest.raises(ValidationError):
        Mask(keep_last=-1)


def test_remove_is_never_applied():
    with pytest.raises(AssertionError):
        Remove().apply(series(["a"]), OperatorContext())


# pseudonym -----------------------------------------------------------------------------------


CODES = ["TREM12345678", "GAGM05520912", None, "TREM12345678", "ROYP03091822"]


def test_pseudonym_is_deterministic_across_calls_and_chunks(ring):
    context = OperatorContext(keyring=ring, column="code_permanent")
    whole = run(Pseudonym(), CODES, context)
    assert whole == run(Pseudonym(), CODES, context)
    chunks = run(Pseudonym(), CODES[:2], context) + run(Pseudonym(), CODES[2:], context)
    assert chunks == whole
    assert whole[0] == whole[3]
    assert len({whole[0], whole[1], whole[4]}) == 3
    assert whole[2] is None


def test_pseudonym_normalises_the_value(ring):
    context = OperatorContext(keyring=ring)
    found = run(Pseudonym(), ["trem12345678 ", "TREM12345678", " Trem12345678\t"], context)
    assert len(set(found)) == 1
    # Unicode NFC: a composed and a decomposed « é » are one value
    composed, decomposed = "CÔTÉ", unicodedata.normalize("NFD", "CÔTÉ")
    assert composed != decomposed
    assert len(set(run(Pseudonym(), [composed, decomposed], context))) == 1


def test_pseudonym_is_hmac_sha256_with_the_pseudonym_subkey(monkeypatch):
    """The construction, computed independently: changing it would break every join."""
    secret = bytes(range(32))
    monkeypatch.setenv("CARTABLE_TEST_KEY", base64.b64encode(secret).decode())
    ring = load_keyring(env="CARTABLE_TEST_KEY")
    subkey = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"cartable-pseudonym"
    ).derive(secret)
    expected = hmac.new(subkey, b"eleves\x1fTREM12345678", hashlib.sha256).hexdigest()[:16]
    found = run(Pseudonym(namespace="eleves"), ["trem12345678"], OperatorContext(keyring=ring))
    assert found == [expected]


def test_pseudonyms_differ_between_keys_and_after_rotation(tmp_path):
    path, first = new_ring(tmp_path / "a")
    second = new_ring(tmp_path / "b")[1]
    rotate_keyring(path)
    rotated = load_keyring(file=path)
    made = {
        name: run(Pseudonym(), CODES[:2], OperatorContext(keyring=ring))
        for name, ring in (("first", first), ("second", second), ("rotated", rotated))
    }
    for one, other in (("first", "second"), ("first", "rotated"), ("second", "rotated")):
        assert not set(made[one]) & set(made[other]), (one, other)


def test_pseudonym_namespace_changes_it(ring):
    context = OperatorContext(keyring=ring)
    plain = run(Pseudonym(), CODES[:2], context)
    spaced = run(Pseudonym(namespace="parents"), CODES[:2], context)
    assert not set(plain) & set(spaced)


@pytest.mark.parametrize(("prefix", "length"), [("", 16), ("P-", 12), ("eleve_", 64)])
def test_pseudonym_length_and_prefix(ring, prefix, length):
    found = run(Pseudonym(prefix=prefix, length=length), CODES[:2], OperatorContext(keyring=ring))
    for pseudonym in found:
        assert pseudonym.startswith(prefix)
        body = pseudonym[len(prefix) :]
        assert len(body) == length
        assert set(body) <= set("0123456789abcdef")


def test_pseudonym_never_holds_the_value(ring):
    # values a hexadecimal digest cannot hold by chance (letters beyond f, or 12 digits)
    values = ["TREM12345678", "Hélène Côté", "514555123456"]
    for prefix in ("", "P-"):
        found = run(Pseudonym(prefix=prefix), values, OperatorContext(keyring=ring))
        for index, (value, pseudonym) in enumerate(zip(values, found, strict=True)):
            assert pseudonym != value, index
            assert value.lower() not in pseudonym.lower(), index
            assert "TREM" not in pseudonym.upper() and "12345678" not in pseudonym, index


@pytest.mark.parametrize("length", [11, 65])
def test_pseudonym_length_is_bounded(length):
    with pytest.raises(ValidationError):
        Pseudonym(length=length)


@pytest.mark.parametrize("step", [Pseudonym(), Encrypt()], ids=["pseudonym", "encrypt"])
def test_keyed_operators_without_a_key(step):
    with pytest.raises(CartableError, match="column code_permanent: this operator needs a key"):
        run(step, CODES, OperatorContext(column="code_permanent"))


# encrypt -------------------------------------------------------------------------------------

VALUES = ["TREM12345678", "Hélène Côté", 12, 12.0, None, "TREM12345678", ""]


def test_encrypt_round_trip(ring):
    tokens = run(Encrypt(), VALUES, OperatorContext(keyring=ring))
    assert tokens[4] is None
    opened = [None if token is None else decrypt(ring, token) for token in tokens]
    assert opened == ["TREM12345678", "Hélène Côté", "12", "12", None, "TREM12345678", ""]


def test_equal_values_give_equal_tokens_that_name_the_key(ring):
    tokens = run(Encrypt(), VALUES, OperatorContext(keyring=ring))
    assert tokens[0] == tokens[5]
    assert tokens[2] == tokens[3]  # 12 and 12.0 read as the same text
    assert len({tokens[0], tokens[1], tokens[2], tokens[6]}) == 4
    for token in (t for t in tokens if t is not None):
        key_id, separator, body = token.partition("~")
        assert (key_id, separator) == (ring.active_id, "~")
        assert body and "Côté" not in token and "TREM" not in token


def test_encryption_survives_a_rotation(tmp_path):
    path, old = new_ring(tmp_path / "keys")
    old_tokens = run(Encrypt(), VALUES[:2], OperatorContext(keyring=old))
    new_id = rotate_keyring(path)
    rotated = load_keyring(file=path)
    assert rotated.active_id == new_id != old.active_id
    assert [decrypt(rotated, token) for token in old_tokens] == VALUES[:2]
    new_tokens = run(Encrypt(), VALUES[:2], OperatorContext(keyring=rotated))
    assert all(token.startswith(new_id + "~") for token in new_tokens)
    assert not set(new_tokens) & set(old_tokens)
    assert [decrypt(rotated, token) for token in new_tokens] == VALUES[:2]
    with pytest.raises(CartableError, match="has no key"):
        decrypt(old, new_tokens[0])  # the old ring does not know the new key


def tampered(token: str) -> str:
    key_id, _, body = token.partition("~")
    middle = len(body) // 2
    flipped = "B" if body[middle] != "B" else "C"
    return f"{key_id}~{body[:middle]}{flipped}{body[middle + 1 :]}"


def test_tampered_and_foreign_tokens_are_refused(tmp_path):
    ring = new_ring(tmp_path / "mine")[1]
    other = new_ring(tmp_path / "theirs")[1]
    token = run(Encrypt(), ["TREM12345678"], OperatorContext(keyring=ring))[0]
    foreign = run(Encrypt(), ["TREM12345678"], OperatorContext(keyring=other))[0]
    key_id = token.partition("~")[0]
    bad = {
        "tampered": tampered(token),
        "truncated": token[:-4],
        "foreign": foreign,  # same key id (k1-<today>), another secret
        "unknown key": "k9-20000101~" + token.partition("~")[2],
        "no body": key_id + "~",
        "not a token": "TREM12345678",
    }
    accepted = []
    for name, text in bad.items():
        try:
            decrypt(ring, text)
        except CartableError:
            continue
        accepted.append(name)
    assert accepted == []


def test_env_key_tokens_name_env(monkeypatch):
    monkeypatch.setenv("CARTABLE_TEST_KEY", "A" * 44)
    ring = load_keyring(env="CARTABLE_TEST_KEY")
    token = run(Encrypt(), ["x"], OperatorContext(keyring=ring))[0]
    assert token.startswith("env~")
    assert decrypt(ring, token) == "x"


# generalize a date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "values", "expected"),
    [
        (
            GeneralizeDate(to="year"),
            ["2011-03-14", "1999-12-31T23:59:00", None],
            ["2011", "1999", None],
        ),
        (GeneralizeDate(to="month"), ["2011-03-14", date(2009, 11, 2)], ["2011-03", "2009-11"]),
        (
            GeneralizeDate(to="year", format="%d/%m/%Y"),
            ["14/03/2011", "2011-03-14", "31/02/2011"],
            ["2011", None, None],
        ),
        (
            GeneralizeDate(to="month", format="%d/%m/%Y"),
            ["01/12/2010", "12/01/2010"],
            ["2010-12", "2010-01"],
        ),
        # what is not a date is left empty, never copied through
        (
            GeneralizeDate(to="year"),
            ["abc", "2011-13-45", "", "14/03/2011", float("nan")],
            [None] * 5,
        ),
        (GeneralizeDate(to="age_band"), ["inconnu", None], [None, None]),
    ],
    ids=["year", "month", "format-year", "format-month", "non-dates", "age-non-dates"],
)
def test_generalize_date(step, values, expected):
    assert run(step, values) == expected


@pytest.mark.parametrize(
    ("width", "born", "expected"),
    [
        # 15 on the reference day itself (2026-06-30), 14 until the day after
        (5, "2011-06-30", "15-19"),
        (5, "2011-07-01", "10-14"),
        (5, "2011-06-29", "15-19"),
        (10, "2016-06-30", "10-19"),
        (10, "2016-07-01", "0-9"),
        (10, "2006-06-30", "20-29"),
        (10, "2006-07-01", "10-19"),
        (1, "2012-12-31", "13-13"),
        (5, "2026-06-30", "0-4"),  # born on the reference day: 0
    ],
)
def test_age_bands_counted_by_hand(width, born, expected):
    assert run(GeneralizeDate(to="age_band", width=width), [born]) == [expected]


def test_age_band_reference_day():
    step = GeneralizeDate(to="age_band", width=5)
    # the context's day (the extract's) by default
    assert run(step, ["2011-07-01"], OperatorContext(as_of=date(2026, 7, 1))) == ["15-19"]
    # the step's own day wins over the context's
    fixed = GeneralizeDate(to="age_band", width=5, as_of=date(2026, 6, 30))
    assert run(fixed, ["2011-07-01"], OperatorContext(as_of=date(2026, 7, 1))) == ["10-14"]


def test_a_birth_date_after_the_reference_day_has_no_age_band():
    assert run(GeneralizeDate(to="age_band", width=5), ["2027-01-01"]) == [None]


@pytest.mark.parametrize(
    ("step", "value", "coarser"),
    [
        (GeneralizeDate(to="year"), "2011", "2010s"),
        (GeneralizeDate(to="year"), "1999", "1990s"),
        (GeneralizeDate(to="month"), "2011-03", "2011"),
        (GeneralizeDate(to="age_band", width=5), "15-19", "10-19"),
        (GeneralizeDate(to="age_band", width=5), "10-14", "10-19"),
        (GeneralizeDate(to="age_band", width=5), "20-24", "20-29"),
        (GeneralizeDate(to="age_band", width=10), "10-19", "0-19"),
    ],
)
def test_date_coarsen(step, value, coarser):
    assert step.coarsen()(value) == coarser


def test_date_labels():
    assert GeneralizeDate(to="year").label() == "generalize(year)"
    assert GeneralizeDate(to="age_band", width=10).label() == "generalize(age band of 10 years)"


# generalize a postal code, a school ----------------------------------------------------------


@pytest.mark.parametrize(
    ("keep", "values", "expected"),
    [
        (3, ["h2x 1y4", "G1R4P5", " j8y  3a2 ", None], ["H2X", "G1R", "J8Y", None]),
        (4, ["h2x 1y4"], ["H2X1"]),
        (1, ["h2x 1y4"], ["H"]),
    ],
)
def test_postal_prefix(keep, values, expected):
    assert run(GeneralizePostalCode(to="postal_prefix", keep=keep), values) == expected


def test_postal_prefix_coarsen():
    three, two = (GeneralizePostalCode(to="postal_prefix", keep=k).coarsen() for k in (3, 2))
    assert three is not None and three("H2X") == "H2"
    assert two is not None and two("H2") == "H"
    assert GeneralizePostalCode(to="postal_prefix", keep=1).coarsen() is None


def test_school_to_the_context_organization():
    context = OperatorContext(organization="CSSDM", column="ecole")
    assert run(GeneralizeSchool(to="organization"), ["123", 456, None], context) == [
        "CSSDM",
        "CSSDM",
        None,
    ]


def test_school_with_a_mapping():
    step = GeneralizeSchool(to="organization", mapping={"123": "CSSDM", "456": "CSSMB"})
    found = run(step, ["123", 456, "999", None], OperatorContext(organization="AUTRE"))
    assert found == ["CSSDM", "CSSMB", None, None]  # unknown school: empty, not copied


def test_school_without_organization_nor_mapping():
    with pytest.raises(CartableError, match="column ecole: the dataset has no organization"):
        run(GeneralizeSchool(to="organization"), ["123"], OperatorContext(column="ecole"))


# top/bottom-coding ---------------------------------------------------------------------------


def test_top_bottom_whole_numbers_stay_whole():
    found = TopBottom(top=18, bottom=12).apply(series([11, 14, 21, None, 16]), OperatorContext())
    assert str(found.dtype) == "Int64"
    assert found.tolist()[:3] == [12, 14, 18]
    assert found.isna().tolist() == [False, False, False, True, False]
    assert found.iloc[4] == 16


def test_top_bottom_text_stays_text():
    """A CSV's numbers are text: they come out as text, whole numbers without « .0 »."""
    found = TopBottom(top=18, bottom=12).apply(
        series(["11", "14.5", "21", None]), OperatorContext()
    )
    assert found.tolist() == ["12", "14.5", "18", None]


def test_top_bottom_floats_stay_floats():
    found = TopBottom(top=80.5).apply(series([72.25, 95.0, None, 60]), OperatorContext())
    assert found.dtype == "float64"
    assert found.tolist()[:2] == [72.25, 80.5]
    assert found.isna().tolist() == [False, False, True, False]


def test_top_bottom_fractional_input_clipped_to_whole_bounds_stays_float():
    found = TopBottom(top=18, bottom=12).apply(series([1.5, 20.25]), OperatorContext())
    assert found.dtype == "float64"


@pytest.mark.parametrize(
    ("step", "values", "expected"),
    [
        (TopBottom(top=18), [5, 30], [5, 18]),
        (TopBottom(bottom=12), [5, 30], [12, 30]),
        (TopBottom(top=18, bottom=18), [5, 30], [18, 18]),
    ],
)
def test_top_bottom_one_or_both_bounds(step, values, expected):
    assert run(step, values) == expected


def test_top_bottom_non_numbers_are_null():
    found = TopBottom(top=18).apply(series(["abc", "", "12", None]), OperatorContext())
    assert found.isna().tolist() == [True, True, False, True]


@pytest.mark.parametrize(
    ("settings", "problem"),
    [({}, "give top, bottom or both"), ({"top": 10, "bottom": 12}, "bottom is above top")],
)
def test_top_bottom_validation(settings, problem):
    with pytest.raises(ValidationError, match=problem):
        TopBottom(**settings)


def test_top_bottom_label():
    assert TopBottom(top=18, bottom=12).label() == "top/bottom-coding(12, 18)"
    assert TopBottom(top=18).label() == "top/bottom-coding(-, 18)"


# suppress rare values ------------------------------------------------------------------------


def test_suppress_rare_uses_the_whole_extract_counts():
    context = OperatorContext(
        column="code_postal", frequencies={"code_postal": {"H2X": 5, "G1R": 4, "J8Y": 12}}
    )
    values = ["H2X", "G1R", None, "J8Y", "A0A"]  # A0A: not counted at all
    assert run(SuppressRare(), values, context) == ["H2X", None, None, "J8Y", None]
    assert run(SuppressRare(min_count=5, replacement="autre"), values, context) == [
        "H2X",
        "autre",
        None,  # a null stays null, never becomes the replacement
        "J8Y",
        "autre",
    ]
    assert run(SuppressRare(min_count=4), values, context) == ["H2X", "G1R", None, "J8Y", None]


def test_suppress_rare_reads_its_own_column_counts():
    context = OperatorContext(column="b", frequencies={"a": {"x": 100}, "b": {"x": 1}})
    assert run(SuppressRare(min_count=2, replacement="-"), ["x"], context) == ["-"]


def test_suppress_rare_min_count_is_at_least_two():
    with pytest.raises(ValidationError):
        SuppressRare(min_count=1)


# scrub ---------------------------------------------------------------------------------------

TEMPLATES = {
    "fr_CA": (
        "Rencontre avec {name} (code permanent {code}) le matin. "
        "Joindre la mère au {phone} ou par courriel à {email}."
    ),
    "en_CA": (
        "Met with {name} (permanent code {code}) this morning. "
        "Call the mother at {phone} or write to {email}."
    ),
}
ENTITY_OF = {
    "name": "PERSON",
    "code": "CODE_PERMANENT",
    "phone": "PHONE_NUMBER",
    "email": "EMAIL_ADDRESS",
}


def _plain_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c)).upper()


def synthetic_notes(per_language: int = 6, seed: int = 2026) -> list[tuple[str, dict[str, str]]]:
    """Notes holding a Faker name, a code permanent, a Quebec phone number and an email."""
    notes = []
    for locale, template in TEMPLATES.items():
        fake, rng = Faker(locale), random.Random(seed)
        fake.seed_instance(seed)
        for _ in range(per_language):
            female = rng.random() < 0.5
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name()
            born = fake.date_between(date(2009, 1, 1), date(2020, 12, 31))  # not from today
            month = born.month + (50 if female else 0)
            code = (
                f"{(_plain_upper(last) + 'XXX')[:3]}{_plain_upper(first)[0]}"
                f"{born.day:02d}{month:02d}{born.year % 100:02d}{rng.randint(10, 99)}"
            )
            area = rng.choice(["514", "418", "450", "819"])
            values = {
                "name": f"{first} {last}",
                "code": code,
                "phone": f"{area}-555-{rng.randint(1000, 9999)}",
                "email": fake.email(),
            }
            notes.append((template.format(**values), values))
    return notes


@pytest.fixture(scope="module")
def notes(analyzer):
    """The notes, and the entities the analyzer finds in each before scrubbing."""
    made = synthetic_notes()
    texts = [text for text, _ in made]
    found = [{span.entity for span in spans} for spans in scan_texts(analyzer, texts)]
    return texts, [values for _, values in made], found


def scrubbed(analyzer: Any, texts: list[str | None], **settings: Any) -> list[Any]:
    context = OperatorContext(analyzer=lambda: analyzer, column="note")
    return Scrub(**settings).apply(pd.Series(texts), context).tolist()


def test_the_synthetic_notes_hold_what_the_analyzer_finds(notes):
    _, _, found = notes
    for index, entities in enumerate(found):
        assert {"CODE_PERMANENT", "PHONE_NUMBER", "EMAIL_ADDRESS"} <= entities, index
    # the names, by spaCy's models: most of them (the test would be empty otherwise)
    assert sum("PERSON" in entities for entities in found) >= 10


def leaks(texts: list[str], values: list[dict[str, str]], found: list[set[str]]) -> list[str]:
    """Ids (note:kind) of the values the analyzer found that are still in the scrubbed text."""
    return [
        f"{index}:{kind}"
        for index, (text, held) in enumerate(zip(texts, values, strict=True))
        for kind, value in held.items()
        if ENTITY_OF[kind] in found[index] and value in text
    ]


def test_scrubbed_notes_have_no_span_left(analyzer, notes):
    texts, values, found = notes
    out = scrubbed(analyzer, texts)
    left = [index for index, spans in enumerate(scan_texts(analyzer, out)) if spans]
    assert left == [], "notes with a span the analyzer still finds"
    assert leaks(out, values, found) == []
    for index, entities in enumerate(found):
        missing = [entity for entity in entities if f"<{entity}>" not in out[index]]
        assert missing == [], index
    assert "Rencontre avec <PERSON> (code permanent <CODE_PERMANENT>)" in out[0]


def test_scrub_redact(analyzer, notes):
    texts, values, found = notes
    out = scrubbed(analyzer, texts, replace_with="redact")
    assert [index for index, spans in enumerate(scan_texts(analyzer, out)) if spans] == []
    assert leaks(out, values, found) == []
    assert not any("<" in text for text in out)
    assert out[0].startswith("Rencontre avec  (code permanent ) le matin.")


def test_scrub_mask(analyzer, notes):
    texts, values, found = notes
    out = scrubbed(analyzer, texts, replace_with="mask")
    assert [index for index, spans in enumerate(scan_texts(analyzer, out)) if spans] == []
    assert leaks(out, values, found) == []
    assert all("*" in text for text in out)


def test_scrub_keeps_nulls_and_text_without_personal_information(analyzer):
    plain = "Le groupe 301 a terminé le module de mathématiques."
    out = scrubbed(analyzer, [None, plain, None])
    assert out == [None, plain, None]
    assert scrubbed(analyzer, [None]) == [None]


def test_scrub_needs_the_analyzer():
    with pytest.raises(CartableError, match="column note: scrubbing needs the analyzer"):
        Scrub().apply(series(["x"]), OperatorContext(column="note"))


# the Step union ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "model"),
    [
        ({"operator": "keep"}, Keep),
        ({"operator": "remove"}, Remove),
        ({"operator": "redact", "replacement": "x"}, Redact),
        ({"operator": "mask", "keep_last": 4}, Mask),
        ({"operator": "pseudonym", "prefix": "P"}, Pseudonym),
        ({"operator": "encrypt"}, Encrypt),
        ({"operator": "generalize", "to": "year"}, GeneralizeDate),
        ({"operator": "generalize", "to": "month"}, GeneralizeDate),
        ({"operator": "generalize", "to": "age_band", "width": 10}, GeneralizeDate),
        ({"operator": "generalize", "to": "postal_prefix"}, GeneralizePostalCode),
        ({"operator": "generalize", "to": "organization"}, GeneralizeSchool),
        ({"operator": "top_bottom", "top": 18}, TopBottom),
        ({"operator": "suppress_rare", "min_count": 3}, SuppressRare),
        ({"operator": "scrub", "replace_with": "redact"}, Scrub),
    ],
    ids=lambda v: v.get("to", v["operator"]) if isinstance(v, dict) else "",
)
def test_every_operator_parses(data, model):
    step = STEP.validate_python(data)
    assert type(step) is model
    assert step.model_dump(exclude_defaults=True) | {"operator": data["operator"]} == data


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"operator": "shred"}, "unknown operator"),
        ({"operator": "generalize", "to": "week"}, "generalize to: age_band, month"),
        ({"operator": "generalize"}, "unknown operator"),
        ({"to": "year"}, "unknown operator"),
        ({"operator": "mask", "keep_middle": 2}, "keep_middle"),
        ({"operator": "generalize", "to": "year", "width": 5, "digits": 2}, "digits"),
        ({"operator": "scrub", "replace_with": "blur"}, "replace_with"),
    ],
    ids=["unknown", "unknown-target", "no-target", "no-operator", "extra", "extra-date", "value"],
)
def test_bad_steps_give_clear_errors(data, problem):
    with pytest.raises(ValidationError, match=problem):
        STEP.validate_python(data)


@pytest.mark.parametrize("data", ["keep", None, 3, [{"operator": "keep"}]])
def test_a_step_that_is_not_a_mapping_is_a_validation_error(data):
    with pytest.raises(ValidationError, match="unknown operator"):
        STEP.validate_python(data)
