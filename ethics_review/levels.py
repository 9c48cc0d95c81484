"""What each impact level requires, from ``questionnaire/levels.yaml``.

For levels I–IV: the reviews (the privacy officer's EFVP always; an ethics review and the
committee from level III; the top authority at level IV), who decides, how many distinct
reviewers, the longest grant, and the conditions an approval must carry for each kind of
request — in the manner of the Algorithmic Impact Assessment's level requirements.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from catalog.errors import CartableError
from ethics_review.models import Condition
from ethics_review.questionnaire import Frozen, Kind, Text, one_line

LEVELS = (1, 2, 3, 4)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
Decider = Literal["privacy_officer", "committee", "admin"]


class Requirement(Frozen):
    """A review or a condition: its code and its text in French and English."""

    code: str
    text: Text


class LevelRequirements(Frozen):
    """Everything a level requires."""

    level: int = Field(ge=1, le=4)
    label: Text
    reviews: list[Requirement]
    decided_by: Decider
    distinct_reviewers: int = Field(ge=1)
    max_grant_months: int = Field(ge=1)
    conditions: dict[Kind, list[Requirement]]

    def review_codes(self) -> list[str]:
        """The codes of the reviews required (``privacy``, ``ethics``…)."""
        return [r.code for r in self.reviews]

    def condition_codes(self, kind: Kind) -> list[str]:
        """The codes of the conditions an approval of a ``kind`` request must carry."""
        return [c.code for c in self.conditions[kind]]


class _Level(Frozen):
    level: int
    label: Text
    reviews: list[str] = Field(min_length=1)
    decided_by: Decider
    distinct_reviewers: int = Field(ge=1)
    max_grant_months: int = Field(ge=1)
    conditions: dict[Kind, list[str]]


class _LevelsFile(Frozen):
    reviews: dict[str, Text]
    conditions: dict[str, Text]
    levels: list[_Level]

    @model_validator(mode="after")
    def _complete(self) -> _LevelsFile:
        if tuple(entry.level for entry in self.levels) != LEVELS:
            raise ValueError("levels are 1, 2, 3 and 4, in that order")
        for entry in self.levels:
            unknown = [r for r in entry.reviews if r not in self.reviews]
            for kind in ("dataset_access", "ai_system"):
                if kind not in entry.conditions:
                    raise ValueError(f"level {entry.level}: no conditions for {kind}")
                unknown += [c for c in entry.conditions[kind] if c not in self.conditions]
            if unknown:
                raise ValueError(f"level {entry.level}: unknown codes {', '.join(unknown)}")
        months = [entry.max_grant_months for entry in self.levels]
        if months != sorted(months, reverse=True):
            raise ValueError("max_grant_months may not grow with the level")
        return self

    def resolved(self) -> dict[int, LevelRequirements]:
        """Each level with its reviews and conditions spelled out."""
        return {
            entry.level: LevelRequirements(
                level=entry.level,
                label=entry.label,
                reviews=[Requirement(code=r, text=self.reviews[r]) for r in entry.reviews],
                decided_by=entry.decided_by,
                distinct_reviewers=entry.distinct_reviewers,
                max_grant_months=entry.max_grant_months,
                conditions={
                    kind: [Requirement(code=c, text=self.conditions[c]) for c in codes]
                    for kind, codes in entry.conditions.items()
                },
            )
            for entry in self.levels
        }


def parse_levels(text: str, source: str = "levels") -> dict[int, LevelRequirements]:
    """Level → requirements, from YAML text; CartableError (one line) when not valid."""
    try:
        return _LevelsFile.model_validate(yaml.safe_load(text)).resolved()
    except ValidationError as error:
        raise CartableError(f"{source}: {one_line(error)}") from None


@cache
def all_levels() -> dict[int, LevelRequirements]:
    """The shipped levels (``questionnaire/levels.yaml``)."""
    path = resources.files("ethics_review") / "questionnaire" / "levels.yaml"
    return parse_levels(path.read_text("utf-8"), "questionnaire/levels.yaml")


def level_requirements(level: int) -> LevelRequirements:
    """What ``level`` (1–4) requires; ValueError for another number."""
    if level not in LEVELS:
        raise ValueError(f"no impact level {level} (levels are 1 to 4)")
    return all_levels()[level]


def approval_conditions(
    level: int,
    kind: Kind,
    *,
    policy: tuple[str, str] | None = None,
    extra: Sequence[str] = (),
) -> list[Condition]:
    """The conditions an approval at ``level`` carries, then ``extra`` ones; the
    de-identification condition names ``policy`` (its name and digest) when given."""
    codes = dict.fromkeys([*level_requirements(level).condition_codes(kind), *extra])
    return [
        Condition(code=code, policy=policy[0], policy_digest=policy[1])
        if code == "deidentify" and policy is not None
        else Condition(code=code)
        for code in codes
    ]
