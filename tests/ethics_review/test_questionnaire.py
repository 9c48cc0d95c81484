"""The questionnaires as data: the shipped files load and validate, a broken file is
refused on one line, and ``check_answers`` names every problem with a set of answers."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, get_args

import pytest
import yaml

from catalog.errors import CartableError
from ethics_review.models import LEGAL_BASES, Automation, Setting
from ethics_review.questionnaire import (
    Questionnaire,
    check_answers,
    load_questionnaire,
    parse_questionnaire,
)

KINDS = ("dataset_access", "ai_system")
# kind: (maximum raw score, maximum mitigation score), as the files' headers say
MAXIMA = {"dataset_access": (38, 20), "ai_system": (45, 24)}

TINY = """
id: tiny
title: {fr: Petit questionnaire, en: Tiny questionnaire}
sections:
  - id: only
    title: {fr: Seule section, en: Only section}
    questions:
      - id: color
        kind: risk
        answer: choice
        text: {fr: "Quelle couleur?", en: "Which colour?"}
        choices:
          - {id: red, text: {fr: Rouge, en: Red}, points: 1}
          - {id: blue, text: {fr: Bleu, en: Blue}, points: 0}
      - id: minors
        kind: risk
        answer: yes_no
        text: {fr: "Des mineurs?", en: "Minors?"}
        points: {yes: 2, no: 0}
      - id: count
        kind: risk
        answer: number
        text: {fr: "Combien?", en: "How many?"}
        bands: [{at_least: 0, points: 0}, {at_least: 10, points: 1}]
      - id: notes
        kind: risk
        answer: text
        text: {fr: Notes, en: Notes}
      - id: extra
        kind: mitigation
        answer: text
        required: false
        text: {fr: "Autre chose?", en: "Anything else?"}
      - id: helped
        kind: mitigation
        answer: yes_no
        required: false
        text: {fr: "Aidé?", en: "Helped?"}
        points: {yes: 1, no: 0}
"""
GOOD = {"color": "red", "minors": True, "count": 12, "notes": "Rien à signaler"}
PREFIX = "answers to the tiny questionnaire: "


@pytest.fixture(scope="module")
def tiny() -> Questionnaire:
    return parse_questionnaire(TINY, "tiny")


# The shipped files ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_questionnaire_loads_and_validates(kind: str) -> None:
    questionnaire = load_questionnaire(kind)  # type: ignore[arg-type]
    questions = list(questionnaire.questions())
    assert questionnaire.id == kind
    assert 12 <= len(questions) <= 21
    assert {q.kind for q in questions} == {"risk", "mitigation"}
    assert all(q.text.fr.strip() and q.text.en.strip() for q in questions)
    max_raw, max_mitigation = MAXIMA[kind]
    assert questionnaire.max_points("risk") == max_raw
    assert questionnaire.max_points("mitigation") == max_mitigation
    assert max_raw > max_mitigation  # the AIA's proportions
    assert load_questionnaire(kind) is questionnaire  # type: ignore[arg-type]  # cached


def test_dataset_access_has_the_five_safes() -> None:
    sections = [s.id for s in load_questionnaire("dataset_access").sections]
    assert sections == [
        "safe_projects", "safe_people", "safe_settings", "safe_data", "safe_outputs"
    ]  # fmt: skip
    for section in load_questionnaire("dataset_access").sections:
        assert {q.kind for q in section.questions} == {"risk", "mitigation"}, section.id


def test_choices_that_repeat_a_request_field_use_its_values() -> None:
    access, ai = load_questionnaire("dataset_access"), load_questionnaire("ai_system")

    def ids(questionnaire: Questionnaire, question_id: str) -> set[str]:
        question = questionnaire.question(question_id)
        assert question is not None
        return {c.id for c in question.choices}

    assert ids(access, "legal_basis") == set(LEGAL_BASES)
    assert ids(access, "setting") == set(get_args(Setting))
    assert ids(ai, "automation") == set(get_args(Automation))


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(CartableError, match="no questionnaire for 'research'"):
        load_questionnaire("research")  # type: ignore[arg-type]


# Broken files --------------------------------------------------------------------------


def _question(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in data["sections"][0]["questions"] if q["id"] == question_id)


def _set(question_id: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _question(data, question_id)[key] = value

    return change


def _drop(question_id: str, key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: _question(data, question_id).pop(key)


def _no_risk(data: dict[str, Any]) -> None:
    for question in data["sections"][0]["questions"]:
        question["kind"] = "mitigation"


BROKEN = [
    ("duplicate question", _set("minors", "id", "color"), "question ids repeated: color"),
    ("choice without choices", _drop("color", "choices"), "choices go with choice questions"),
    (
        "one choice",
        _set("color", "choices", [{"id": "red", "text": {"fr": "R", "en": "R"}, "points": 1}]),
        "at least two choices",
    ),  # fmt: skip
    (
        "choices on yes_no",
        _set("minors", "choices", [{"id": "a", "text": {"fr": "A", "en": "A"}, "points": 0}]),
        "choices go with",
    ),  # fmt: skip
    ("yes_no without points", _drop("minors", "points"), "points {yes, no} go with yes_no"),
    (
        "negative points",
        _set("minors", "points", {"yes": -1, "no": 0}),
        "points.yes: Input should be greater than or equal to 0",
    ),  # fmt: skip
    (
        "duplicate choice",
        _set(
            "color",
            "choices",
            [
                {"id": "red", "text": {"fr": "R", "en": "R"}, "points": 1},
                {"id": "red", "text": {"fr": "R", "en": "R"}, "points": 0},
            ],
        ),
        "choice ids repeated: red",
    ),  # fmt: skip
    ("missing English", _set("notes", "text", {"fr": "Notes"}), "text.en: Field required"),
    (
        "blank French",
        _set("notes", "text", {"fr": "  ", "en": "Notes"}),
        "text.fr: String should have at least 1 character",
    ),  # fmt: skip
    (
        "bands not increasing",
        _set("count", "bands", [{"at_least": 10, "points": 1}, {"at_least": 0, "points": 0}]),
        "bands go up strictly",
    ),  # fmt: skip
    (
        "bands on a choice",
        _set("color", "bands", [{"at_least": 0, "points": 1}]),
        "bands go with number questions only",
    ),  # fmt: skip
    ("unknown key", _set("notes", "weight", 3), "weight: Extra inputs are not permitted"),
    ("unknown kind", _set("notes", "kind", "benefit"), "kind: Input should be 'risk'"),
    ("no risk", _no_risk, "no risk question can score"),
]


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_a_broken_file_is_refused_on_one_line(
    change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = yaml.safe_load(TINY)
    change(data)
    with pytest.raises(CartableError) as caught:
        parse_questionnaire(yaml.safe_dump(data, allow_unicode=True), "broken.yaml")
    message = str(caught.value)
    assert message.startswith("broken.yaml: ")
    assert expected in message
    assert "\n" not in message


def test_yes_and_no_keys_read_as_booleans_by_yaml_still_count(tiny: Questionnaire) -> None:
    # PyYAML reads the unquoted keys of ``points: {yes: 2, no: 0}`` as True and False
    minors = tiny.question("minors")
    assert minors is not None and minors.points is not None
    assert (minors.points.yes, minors.points.no) == (2, 0)


def test_not_yaml_is_refused() -> None:
    with pytest.raises(CartableError, match=r"^bad.yaml: not YAML"):
        parse_questionnaire("id: [unclosed", "bad.yaml")


# Answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        GOOD,
        {**GOOD, "minors": "no", "count": 0.5, "extra": "", "helped": None},
        {**GOOD, "minors": "yes", "count": 10, "helped": False, "extra": "Merci"},
    ],
)
def test_good_answers_pass(tiny: Questionnaire, answers: dict[str, Any]) -> None:
    check_answers(tiny, answers)


BAD_ANSWERS = [
    ("nothing", {}, "missing color, minors, count, notes"),
    ("blank text", {**GOOD, "notes": "   "}, "missing notes"),
    ("None", {**GOOD, "color": None}, "missing color"),
    ("unknown question", {**GOOD, "colour": "red"}, "unknown questions colour"),
    (
        "not a choice",
        {**GOOD, "color": "green"},
        "color: 'green' is not one of its choices (red, blue)",
    ),  # fmt: skip
    ("choice by points", {**GOOD, "color": 1}, "color: 1 is not one of its choices (red, blue)"),
    ("not yes or no", {**GOOD, "minors": "maybe"}, "minors: 'maybe' is not yes or no"),
    ("yes_no as 1", {**GOOD, "minors": 1}, "minors: 1 is not yes or no"),
    ("number as text", {**GOOD, "count": "ten"}, "count: 'ten' is not a number"),
    ("number as digits", {**GOOD, "count": "12"}, "count: '12' is not a number"),
    ("number as boolean", {**GOOD, "count": True}, "count: True is not a number"),
    ("NaN", {**GOOD, "count": math.nan}, "count: nan is not a number"),
    ("negative", {**GOOD, "count": -1}, "count: -1 is out of range"),
    ("infinite", {**GOOD, "count": math.inf}, "count: inf is out of range"),
    ("text as number", {**GOOD, "notes": 3}, "notes: 3 is not text"),
]


@pytest.mark.parametrize(
    ("answers", "expected"), [case[1:] for case in BAD_ANSWERS], ids=[c[0] for c in BAD_ANSWERS]
)
def test_each_bad_answer_is_named(
    tiny: Questionnaire, answers: dict[str, Any], expected: str
) -> None:
    with pytest.raises(CartableError) as caught:
        check_answers(tiny, answers)
    assert str(caught.value) == PREFIX + expected


def test_every_problem_is_named_on_one_line(tiny: Questionnaire) -> None:
    answers = {"color": "green", "minors": "maybe", "count": "ten", "colour": "red"}
    with pytest.raises(CartableError) as caught:
        check_answers(tiny, answers)
    assert str(caught.value) == PREFIX + (
        "missing notes; unknown questions colour; "
        "color: 'green' is not one of its choices (red, blue); "
        "minors: 'maybe' is not yes or no; count: 'ten' is not a number"
    )


def test_a_newline_in_an_answer_stays_on_one_line(tiny: Questionnaire) -> None:
    with pytest.raises(CartableError) as caught:
        check_answers(tiny, {**GOOD, "color": "green\nred"})
    assert "\n" not in str(caught.value)
