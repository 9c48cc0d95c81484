"""The review questionnaires, as data: ``questionnaire/<kind>.yaml`` loaded into models.

A questionnaire has sections of questions, each a *risk* question or a *mitigation*
question, in the manner of Canada's Algorithmic Impact Assessment. A question is answered
by a choice (each choice worth points), yes or no (``points: {yes: n, no: m}``), a number
(points by the highest band it reaches) or a text (worth nothing, but it may be required).
Every text is in French and English. The files are checked when they are loaded (unique
ids, choices where they are needed, points ≥ 0, both languages); the answers to a
questionnaire are checked by ``check_answers``, which names every problem on one line.

The YAML files sit in the ``questionnaire/`` folder beside this module, as package data
read through ``importlib.resources``; the folder has no ``__init__.py`` on purpose (one
would make it a package that hides this module).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from catalog.errors import CartableError

Kind = Literal["dataset_access", "ai_system"]
YES_NO = {"yes": True, "no": False}


class Frozen(BaseModel):
    """A model read from configuration: no unknown keys, no change once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Frozen):
    """A text in French and English."""

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_(self, language: str) -> str:
        """The text in ``language`` (``fr`` or ``en``; French for any other)."""
        return self.en if language == "en" else self.fr


class Choice(Frozen):
    """One answer to a choice question."""

    id: str = Field(min_length=1)
    text: Text
    points: int = Field(ge=0)


class YesNoPoints(Frozen):
    """The points of a yes/no question (``yes`` and ``no`` may come from YAML as booleans)."""

    yes: int = Field(ge=0)
    no: int = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {{True: "yes", False: "no"}.get(k, k): v for k, v in data.items()}
        return data


class Band(Frozen):
    """The points a number earns from ``at_least`` up to the next band."""

    at_least: float
    points: int = Field(ge=0)


class Question(Frozen):
    """A question: what it asks, what kind of answer it takes and what each answer is worth."""

    id: str = Field(min_length=1)
    text: Text
    help: Text | None = None
    kind: Literal["risk", "mitigation"]
    answer: Literal["choice", "yes_no", "number", "text"]
    choices: list[Choice] = []
    points: YesNoPoints | None = None  # yes_no questions only
    bands: list[Band] = []  # number questions only (none: the number scores 0)
    required: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        name = f"question {self.id}"
        if (self.answer == "choice") != bool(self.choices):
            raise ValueError(f"{name}: choices go with choice questions, and only with them")
        if (self.answer == "yes_no") != (self.points is not None):
            raise ValueError(f"{name}: points {{yes, no}} go with yes_no questions, only them")
        if self.bands and self.answer != "number":
            raise ValueError(f"{name}: bands go with number questions only")
        if self.answer == "choice" and len(self.choices) < 2:
            raise ValueError(f"{name}: a choice question offers at least two choices")
        duplicates = _duplicates(c.id for c in self.choices)
        if duplicates:
            raise ValueError(f"{name}: choice ids repeated: {', '.join(duplicates)}")
        starts = [b.at_least for b in self.bands]
        if starts != sorted(set(starts)):
            raise ValueError(f"{name}: bands go up strictly by at_least")
        return self

    @property
    def max_points(self) -> int:
        """The most an answer to this question is worth."""
        if self.points is not None:
            return max(self.points.yes, self.points.no)
        return max([c.points for c in self.choices] + [b.points for b in self.bands] + [0])

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with this id, if any."""
        return next((c for c in self.choices if c.id == choice_id), None)


class Section(Frozen):
    """A group of questions (a Five Safes dimension, an area of the impact assessment)."""

    id: str = Field(min_length=1)
    title: Text
    help: Text | None = None
    questions: list[Question] = Field(min_length=1)


class Questionnaire(Frozen):
    """A whole questionnaire."""

    id: str = Field(min_length=1)
    version: int = Field(default=1, ge=1)
    title: Text
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_and_scored(self) -> Questionnaire:
        for what, ids in (
            ("section", [s.id for s in self.sections]),
            ("question", [q.id for q in self.questions()]),
        ):
            duplicates = _duplicates(ids)
            if duplicates:
                raise ValueError(f"{what} ids repeated: {', '.join(duplicates)}")
        if self.max_points("risk") == 0:
            raise ValueError("no risk question can score: the maximum raw score is 0")
        return self

    def questions(self) -> Iterator[Question]:
        """Every question, in order."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return next((q for q in self.questions() if q.id == question_id), None)

    def max_points(self, kind: Literal["risk", "mitigation"]) -> int:
        """The maximum score of the risk (raw) or mitigation questions."""
        return sum(q.max_points for q in self.questions() if q.kind == kind)


def _duplicates(ids: Iterator[str] | list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def one_line(error: ValidationError) -> str:
    """A pydantic validation error as one line: ``where: what; where: what``."""
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts).replace("\n", " ")


def parse_questionnaire(text: str, source: str = "questionnaire") -> Questionnaire:
    """A questionnaire from YAML text; CartableError (one line) when it is not valid."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CartableError(f"{source}: not YAML ({str(error).splitlines()[0]})") from None
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        raise CartableError(f"{source}: {one_line(error)}") from None


@cache
def load_questionnaire(kind: Kind) -> Questionnaire:
    """The questionnaire shipped for a kind of request (``questionnaire/<kind>.yaml``)."""
    if kind not in ("dataset_access", "ai_system"):
        raise CartableError(f"no questionnaire for '{kind}'")
    path = resources.files("ethics_review") / "questionnaire" / f"{kind}.yaml"
    return parse_questionnaire(path.read_text("utf-8"), f"questionnaire/{kind}.yaml")


def _problem(question: Question, value: Any) -> str | None:
    """What is wrong with a given (not None) answer, if anything."""
    if question.answer == "choice":
        if isinstance(value, str) and question.choice(value):
            return None
        ids = ", ".join(c.id for c in question.choices)
        return f"{question.id}: {value!r} is not one of its choices ({ids})"
    if question.answer == "yes_no":
        if isinstance(value, bool) or (isinstance(value, str) and value in YES_NO):
            return None
        return f"{question.id}: {value!r} is not yes or no"
    if question.answer == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            return f"{question.id}: {value!r} is not a number"
        if math.isinf(value) or (question.bands and value < question.bands[0].at_least):
            return f"{question.id}: {value!r} is out of range"
        return None
    if not isinstance(value, str):
        return f"{question.id}: {value!r} is not text"
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> None:
    """CartableError naming, on one line, every problem with ``answers`` (question id → answer).

    A choice is answered by the choice's id, yes/no by a boolean or ``"yes"``/``"no"``, a
    number by an int or float, a text by a string; None or a blank text is no answer.
    """
    missing = [q.id for q in questionnaire.questions() if q.required and _blank(answers.get(q.id))]
    unknown = [key for key in answers if questionnaire.question(key) is None]
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown questions {', '.join(map(str, unknown))}")
    for question in questionnaire.questions():
        value = answers.get(question.id)
        if not _blank(value):
            problem = _problem(question, value)
            if problem:
                problems.append(problem)
    if problems:
        message = f"answers to the {questionnaire.id} questionnaire: {'; '.join(problems)}"
        raise CartableError(message.replace("\n", " "))
