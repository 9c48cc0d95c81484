"""The impact level of a request, from its answers, with the AIA's arithmetic (pure).

The *raw* score adds the points of the risk answers, the *mitigation* score those of the
mitigation answers (a text, or an optional question left blank, is worth 0). When the
mitigation reaches 80 % of its maximum, 15 % comes off the raw score. The score's share of
the maximum raw score gives the computed level::

    percent < 25 %  → I      25 % ≤ percent < 50 % → II
    50 % ≤ percent < 75 % → III      75 % ≤ percent → IV

Exactly 25 % is level II, 50 % level III, 75 % level IV: the AIA publishes its ranges as
"0–25 %", "26–50 %", "51–75 %", "76–100 %", which leave both the boundary and the shares
in between (25.5 %) undecided; we take half-open ranges and resolve a boundary toward the
higher level. Comparisons are exact (fractions, not floats), so a score of exactly a
quarter of the maximum is never taken for slightly less.

Floors then apply: identifiable minors going to an external recipient, a decision based
solely on automated processing (art. 65.2), HDAA or health data, linkage of datasets about
the same people — each puts the request at level III at least; a floor never lowers a level.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from ethics_review.levels import LevelRequirements, level_requirements
from ethics_review.questionnaire import YES_NO, Question, Questionnaire, check_answers

MITIGATION_SHARE = Fraction(4, 5)  # mitigation at 80 % of its maximum…
MITIGATION_FACTOR = Fraction(85, 100)  # …takes 15 % off the raw score
THRESHOLDS = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))  # lower bounds of II, III, IV
FLOOR = 3


class FloorFacts(BaseModel):
    """Facts the workflow establishes from the request and the catalogue, not from answers."""

    identifiable_minors_external: bool = False
    solely_automated: bool = False
    hdaa_or_health: bool = False
    linkage: bool = False


class Assessment(BaseModel):
    """A questionnaire's scores, the level they give, the floors and what the level requires."""

    raw: int
    max_raw: int
    mitigation: int
    max_mitigation: int
    mitigation_applied: bool  # mitigation >= 80 % of its maximum
    score: float  # raw × 0.85 when applied, else raw
    percent: float  # score / max_raw (0–1)
    computed_level: int  # 1..4 from the thresholds 25/50/75 %
    floors: list[str]  # the FloorFacts that hold (their field names)
    level: int  # max(computed_level, 3 if any floor)
    requirements: LevelRequirements


def points(question: Question, answer: Any) -> int:
    """The points an answer (already checked) earns; no answer earns 0."""
    if answer is None or question.answer == "text":
        return 0
    if question.answer == "choice":
        choice = question.choice(answer)
        return choice.points if choice else 0
    if question.answer == "yes_no":
        assert question.points is not None
        said_yes = answer if isinstance(answer, bool) else YES_NO.get(answer, False)
        return question.points.yes if said_yes else question.points.no
    reached = [band.points for band in question.bands if answer >= band.at_least]
    return reached[-1] if reached else 0


def computed_level(share: Fraction) -> int:
    """The level for a score's share of the maximum raw score (exactly 25 % is level II).

    >>> [computed_level(Fraction(p, 1000)) for p in (249, 250, 499, 500, 749, 750)]
    [1, 2, 2, 3, 3, 4]
    """
    return 1 + sum(share >= threshold for threshold in THRESHOLDS)


def assess(
    questionnaire: Questionnaire, answers: Mapping[str, Any], facts: FloorFacts
) -> Assessment:
    """Score ``answers`` (checked first: CartableError naming every problem) and apply the
    floors ``facts`` establish."""
    check_answers(questionnaire, answers)
    totals = {"risk": 0, "mitigation": 0}
    for question in questionnaire.questions():
        totals[question.kind] += points(question, answers.get(question.id))
    raw, mitigation = totals["risk"], totals["mitigation"]
    max_raw = questionnaire.max_points("risk")
    max_mitigation = questionnaire.max_points("mitigation")
    applied = max_mitigation > 0 and mitigation >= MITIGATION_SHARE * max_mitigation
    score = raw * MITIGATION_FACTOR if applied else Fraction(raw)
    computed = computed_level(score / max_raw)
    floors = [name for name, holds in facts.model_dump().items() if holds]
    level = max(computed, FLOOR) if floors else computed
    return Assessment(
        raw=raw,
        max_raw=max_raw,
        mitigation=mitigation,
        max_mitigation=max_mitigation,
        mitigation_applied=applied,
        score=float(score),
        percent=float(score / max_raw),
        computed_level=computed,
        floors=floors,
        level=level,
        requirements=level_requirements(level),
    )
