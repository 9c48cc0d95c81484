"""Scoring with the AIA's arithmetic, the floors, and what each level requires.

Every expected score is worked out by hand in the comments, from the points of the small
questionnaire below or of the shipped files.
"""

from __future__ import annotations

from typing import Any

import pytest

from catalog.errors import CartableError
from ethics_review.levels import LEVELS, level_requirements, parse_levels
from ethics_review.questionnaire import Questionnaire, load_questionnaire, parse_questionnaire
from ethics_review.scoring import Assessment, FloorFacts, assess, points

# Risk: impact (0/240/490/740/989) + people (bands 0 → 0, 10 → 9, 100 → 10) + minors
# (yes 1): maximum raw 989 + 10 + 1 = 1000, so a raw score of n is n/10 %.
# Mitigation: oversight (yes 4) + tests (full 4, partial 3) + notice (yes 2): maximum 10;
# 80 % of it is 8.
TINY = """
id: tiny
title: {fr: Petit questionnaire, en: Tiny questionnaire}
sections:
  - id: risks
    title: {fr: Risques, en: Risks}
    questions:
      - id: purpose
        kind: risk
        answer: text
        text: {fr: Finalité, en: Purpose}
      - id: impact
        kind: risk
        answer: choice
        text: {fr: "Incidence?", en: "Impact?"}
        choices:
          - {id: none, text: {fr: Aucune, en: None}, points: 0}
          - {id: low, text: {fr: Faible, en: Low}, points: 240}
          - {id: some, text: {fr: Moyenne, en: Some}, points: 490}
          - {id: high, text: {fr: Élevée, en: High}, points: 740}
          - {id: top, text: {fr: Très élevée, en: Very high}, points: 989}
      - id: people
        kind: risk
        answer: number
        text: {fr: "Combien de personnes?", en: "How many people?"}
        bands:
          - {at_least: 0, points: 0}
          - {at_least: 10, points: 9}
          - {at_least: 100, points: 10}
      - id: minors
        kind: risk
        answer: yes_no
        text: {fr: "Des mineurs?", en: "Minors?"}
        points: {yes: 1, no: 0}
  - id: mitigations
    title: {fr: Atténuation, en: Mitigation}
    questions:
      - id: oversight
        kind: mitigation
        answer: yes_no
        text: {fr: "Supervision?", en: "Oversight?"}
        points: {yes: 4, no: 0}
      - id: tests
        kind: mitigation
        answer: choice
        text: {fr: "Tests?", en: "Tests?"}
        choices:
          - {id: full, text: {fr: Complets, en: Full}, points: 4}
          - {id: partial, text: {fr: Partiels, en: Partial}, points: 3}
          - {id: none, text: {fr: Aucun, en: None}, points: 0}
      - id: notice
        kind: mitigation
        answer: yes_no
        text: {fr: "Avis?", en: "Notice?"}
        points: {yes: 2, no: 0}
      - id: notes
        kind: mitigation
        answer: text
        required: false
        text: {fr: Notes, en: Notes}
"""
NO_MITIGATION = {"oversight": False, "tests": "none", "notice": False}
FLOORS = list(FloorFacts.model_fields)


@pytest.fixture(scope="module")
def tiny() -> Questionnaire:
    return parse_questionnaire(TINY, "tiny")


def risk(impact: str, people: int, minors: bool, **mitigation: Any) -> dict[str, Any]:
    """Answers to the small questionnaire (no mitigation unless given)."""
    return {
        "purpose": "Planifier les services",
        "impact": impact,
        "people": people,
        "minors": minors,
        **NO_MITIGATION,
        **mitigation,
    }


# Points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("impact", "some", 490),
        ("impact", None, 0),
        ("people", 0, 0),
        ("people", 9.5, 0),
        ("people", 10, 9),  # a band starts at its at_least
        ("people", 99, 9),
        ("people", 100, 10),
        ("people", 1_000_000, 10),
        ("minors", True, 1),
        ("minors", "yes", 1),
        ("minors", False, 0),
        ("minors", "no", 0),
        ("notes", "long text", 0),  # a text is worth nothing
    ],
)
def test_points(tiny: Questionnaire, question: str, answer: Any, expected: int) -> None:
    found = tiny.question(question)
    assert found is not None
    assert points(found, answer) == expected


def test_the_maxima(tiny: Questionnaire) -> None:
    assert (tiny.max_points("risk"), tiny.max_points("mitigation")) == (1000, 10)


# Thresholds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "raw", "level"),
    [
        (risk("none", 0, False), 0, 1),  # 0 + 0 + 0 = 0 → 0 %
        (risk("low", 50, False), 249, 1),  # 240 + 9 + 0 = 249 → 24.9 %
        (risk("low", 50, True), 250, 2),  # 240 + 9 + 1 = 250 → exactly 25 %: level II
        (risk("some", 50, False), 499, 2),  # 490 + 9 + 0 = 499 → 49.9 %
        (risk("some", 100, False), 500, 3),  # 490 + 10 + 0 = 500 → exactly 50 %: level III
        (risk("high", 50, False), 749, 3),  # 740 + 9 + 0 = 749 → 74.9 %
        (risk("high", 50, True), 750, 4),  # 740 + 9 + 1 = 750 → exactly 75 %: level IV
        (risk("top", 100, True), 1000, 4),  # 989 + 10 + 1 = 1000 → 100 %
    ],
)
def test_level_boundaries(tiny: Questionnaire, answers: dict[str, Any], raw: int,
                          level: int) -> None:  # fmt: skip
    assessment = assess(tiny, answers, FloorFacts())
    assert (assessment.raw, assessment.max_raw) == (raw, 1000)
    assert (assessment.mitigation, assessment.mitigation_applied) == (0, False)
    assert assessment.score == raw
    assert assessment.percent == pytest.approx(raw / 1000)
    assert assessment.computed_level == assessment.level == level
    assert assessment.floors == []
    assert assessment.requirements == level_requirements(level)


# Mitigation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mitigation", "total", "applied", "score", "level"),
    [
        # oversight 4 + tests partial 3 = 7/10 = 70 %, just below 80 %: 500 stays 500 → III
        ({"oversight": True, "tests": "partial"}, 7, False, 500.0, 3),
        # oversight 4 + notice 2 = 6 and tests none: 60 %, still no reduction → III
        ({"oversight": "yes", "notice": "yes"}, 6, False, 500.0, 3),
        # oversight 4 + tests full 4 = 8/10 = exactly 80 %: 500 × 0.85 = 425 → 42.5 % → II
        ({"oversight": True, "tests": "full"}, 8, True, 425.0, 2),
        # 4 + 4 + 2 = 10/10: 500 × 0.85 = 425 → II
        ({"oversight": True, "tests": "full", "notice": True}, 10, True, 425.0, 2),
    ],
)
def test_mitigation_takes_15_percent_off_from_80_percent(
    tiny: Questionnaire,
    mitigation: dict[str, Any],
    total: int,
    applied: bool,
    score: float,
    level: int,
) -> None:
    # raw: some 490 + people (150 → 10) + minors no 0 = 500, exactly 50 %
    assessment = assess(tiny, risk("some", 150, False, **mitigation), FloorFacts())
    assert (assessment.raw, assessment.mitigation, assessment.max_mitigation) == (500, total, 10)
    assert assessment.mitigation_applied is applied
    assert assessment.score == pytest.approx(score)
    assert assessment.percent == pytest.approx(score / 1000)
    assert assessment.computed_level == assessment.level == level


def test_mitigation_moves_level_iv_down_to_iii(tiny: Questionnaire) -> None:
    # raw 750 (75 %, IV); mitigation 8/10: 750 × 0.85 = 637.5 → 63.75 % → III
    answers = risk("high", 50, True, oversight=True, tests="full")
    assessment = assess(tiny, answers, FloorFacts())
    assert (assessment.score, assessment.computed_level) == (637.5, 3)


def test_optional_text_left_out_or_filled_changes_nothing(tiny: Questionnaire) -> None:
    base = assess(tiny, risk("low", 50, True), FloorFacts())
    noted = assess(tiny, {**risk("low", 50, True), "notes": "Voir le protocole"}, FloorFacts())
    assert base == noted


# Floors --------------------------------------------------------------------------------


@pytest.mark.parametrize("floor", FLOORS)
@pytest.mark.parametrize(
    ("answers", "computed"),
    [(risk("low", 50, False), 1), (risk("low", 50, True), 2)],  # 249 → I; 250 → II
    ids=["from I", "from II"],
)
def test_each_floor_raises_to_level_iii(
    tiny: Questionnaire, floor: str, answers: dict[str, Any], computed: int
) -> None:
    assessment = assess(tiny, answers, FloorFacts(**{floor: True}))
    assert assessment.computed_level == computed
    assert assessment.floors == [floor]
    assert assessment.level == 3
    assert assessment.requirements.level == 3


@pytest.mark.parametrize(
    ("answers", "level"),
    [(risk("some", 100, False), 3), (risk("high", 50, True), 4)],  # 500 → III; 750 → IV
)
def test_floors_never_lower_a_level(
    tiny: Questionnaire, answers: dict[str, Any], level: int
) -> None:
    every_floor = FloorFacts(**dict.fromkeys(FLOORS, True))
    assessment = assess(tiny, answers, every_floor)
    assert assessment.floors == [
        "identifiable_minors_external", "solely_automated", "hdaa_or_health", "linkage"
    ]  # fmt: skip
    assert assessment.computed_level == assessment.level == level


def test_answers_are_checked_first(tiny: Questionnaire) -> None:
    with pytest.raises(CartableError, match=r"^answers to the tiny questionnaire: missing purpose"):
        assess(tiny, {**risk("low", 50, False), "purpose": ""}, FloorFacts(linkage=True))


def test_the_assessment_survives_json(tiny: Questionnaire) -> None:
    # ReviewRequest.assessment keeps it as JSON
    assessment = assess(tiny, risk("high", 50, True), FloorFacts(linkage=True))
    assert Assessment.model_validate(assessment.model_dump(mode="json")) == assessment


# Realistic cases on the shipped questionnaires ----------------------------------------

DROPOUT_MODEL = {  # a model flagging 6th-graders at risk of dropping out, run by a vendor
    "decision_description": "Signaler les élèves de 6e année à risque de décrochage",
    "affected": "minors",  # 4
    "decision_area": "services_to_person",  # 4
    "reversibility": "hard",  # 3
    "automation": "solely_automated",  # 6
    "opacity": "post_hoc",  # 2
    "vendor": "vendor",  # 2
    "personal_information": "identifiable",  # 4
    "sensitive_data": True,  # 4 (HDAA codes among the features)
    "protected_characteristics": "proxies",  # 3 (deprivation index, school)
    "data_sources": "own_systems",  # 0
    "scale": 12_000,  # 3
}  # raw: 4 + 4 + 3 + 6 + 2 + 2 + 4 + 4 + 3 + 0 + 3 = 35 of 45
NO_AI_MITIGATION = {
    "human_oversight": "none",
    "explanation": False,
    "appeal": False,
    "bias_testing": "not_done",
    "data_quality": False,
    "monitoring": False,
    "consultation": "none",
    "security": False,
    "documentation": False,
}  # mitigation 0 of 24
STRONG_AI_MITIGATION = {
    "human_oversight": "sample",  # 2 (the decision itself stays automated)
    "explanation": True,  # 3
    "appeal": True,  # 3
    "bias_testing": "done",  # 3
    "data_quality": True,  # 2
    "monitoring": True,  # 2
    "consultation": "all",  # 3
    "security": True,  # 2
    "documentation": True,  # 2
}  # mitigation 2 + 3 + 3 + 3 + 2 + 2 + 3 + 2 + 2 = 22 of 24 (80 % of 24 is 19.2)
DROPOUT_FACTS = FloorFacts(
    identifiable_minors_external=True, solely_automated=True, hdaa_or_health=True
)


def test_an_automated_dropout_model_without_mitigation_is_level_iv() -> None:
    # 35 / 45 = 77.8 % ≥ 75 % → IV; no mitigation, no reduction
    ai = load_questionnaire("ai_system")
    assessment = assess(ai, {**DROPOUT_MODEL, **NO_AI_MITIGATION}, DROPOUT_FACTS)
    assert (assessment.raw, assessment.max_raw) == (35, 45)
    assert (assessment.mitigation, assessment.max_mitigation) == (0, 24)
    assert not assessment.mitigation_applied
    assert assessment.percent == pytest.approx(35 / 45)
    assert assessment.computed_level == assessment.level == 4
    assert assessment.floors == ["identifiable_minors_external", "solely_automated",
                                 "hdaa_or_health"]  # fmt: skip
    assert assessment.requirements.decided_by == "admin"


def test_the_same_model_with_strong_mitigation_is_computed_lower_and_stays_at_iii() -> None:
    # mitigation 22/24 = 91.7 % ≥ 80 %: 35 × 0.85 = 29.75 → 29.75 / 45 = 66.1 % → III
    ai = load_questionnaire("ai_system")
    assessment = assess(ai, {**DROPOUT_MODEL, **STRONG_AI_MITIGATION}, DROPOUT_FACTS)
    assert (assessment.raw, assessment.mitigation) == (35, 22)
    assert assessment.mitigation_applied
    assert assessment.score == pytest.approx(29.75)
    assert assessment.percent == pytest.approx(29.75 / 45)
    assert assessment.computed_level == 3
    assert assessment.level == 3
    assert "human_final_decision" in assessment.requirements.condition_codes("ai_system")


def test_without_an_appeal_the_mitigation_misses_80_percent() -> None:
    # no appeal: 22 − 3 = 19/24 = 79.2 % < 80 %: no reduction, 35 / 45 = 77.8 % → IV
    ai = load_questionnaire("ai_system")
    answers = {**DROPOUT_MODEL, **STRONG_AI_MITIGATION, "appeal": False}
    assessment = assess(ai, answers, DROPOUT_FACTS)
    assert (assessment.mitigation, assessment.mitigation_applied) == (19, False)
    assert assessment.level == 4


def test_a_small_in_house_pilot_is_computed_ii_but_floored_at_iii() -> None:
    # one school (scale 400 → 1), an interpretable model (0) built in-house (0), no HDAA
    # data (0): 4 + 4 + 3 + 6 + 0 + 0 + 4 + 0 + 3 + 0 + 1 = 25; mitigation 22/24 ≥ 80 %:
    # 25 × 0.85 = 21.25 → 21.25 / 45 = 47.2 % → II; solely automated → III
    ai = load_questionnaire("ai_system")
    pilot = {**DROPOUT_MODEL, "scale": 400, "opacity": "interpretable", "vendor": "internal",
             "sensitive_data": False}  # fmt: skip
    assessment = assess(ai, {**pilot, **STRONG_AI_MITIGATION}, FloorFacts(solely_automated=True))
    assert (assessment.raw, assessment.score) == (25, pytest.approx(21.25))
    assert assessment.computed_level == 2
    assert assessment.floors == ["solely_automated"]
    assert assessment.level == 3


FULL_ACCESS_MITIGATION = {
    "public_interest": True,  # 2
    "necessity": True,  # 2
    "public_interest_details": "Suivre la diplomation par école pour cibler les services",  # 0
    "training": True,  # 2
    "confidentiality_agreement": True,  # 2
    "security_measures": True,  # 3
    "deidentification_policy": True,  # 3
    "small_cells": True,  # 2
    "output_check": True,  # 2
    "retention": "end_of_project",  # 2
}  # 20 of 20
INTERNAL_STATISTICS = {  # graduation rates by school, from a de-identified extract
    "purpose": "statistics",  # 0
    "legal_basis": "65.1",  # 1
    "recipient": "internal_unit",  # 0
    "setting": "cartable_extract",  # 2
    "outside_quebec": False,  # 0
    "identifiability": "deidentified",  # 3
    "minors": True,  # 3
    "sensitive_categories": "none",  # 0
    "volume": 12_000,  # 3
    "linkage": "none",  # 0
    "publication": "internal",  # 0
}  # raw 0 + 1 + 0 + 2 + 0 + 3 + 3 + 0 + 3 + 0 + 0 = 12 of 38


def test_internal_statistics_on_a_deidentified_extract_is_level_ii() -> None:
    # mitigation 20/20: 12 × 0.85 = 10.2 → 10.2 / 38 = 26.8 % → II
    access = load_questionnaire("dataset_access")
    assessment = assess(access, {**INTERNAL_STATISTICS, **FULL_ACCESS_MITIGATION}, FloorFacts())
    assert (assessment.raw, assessment.max_raw, assessment.mitigation) == (12, 38, 20)
    assert assessment.score == pytest.approx(10.2)
    assert assessment.level == 2
    assert assessment.requirements.decided_by == "privacy_officer"


def test_hdaa_counts_by_school_are_floored_at_iii() -> None:
    # aggregated (1 instead of 3), HDAA (4), 800 students (1): 0 + 1 + 0 + 2 + 0 + 1 + 3 + 4
    # + 1 + 0 + 0 = 12; 12 × 0.85 = 10.2 → 26.8 % → II; HDAA data → III
    access = load_questionnaire("dataset_access")
    answers = {**INTERNAL_STATISTICS, **FULL_ACCESS_MITIGATION, "identifiability": "aggregated",
               "sensitive_categories": "hdaa_or_health", "volume": 800}  # fmt: skip
    assessment = assess(access, answers, FloorFacts(hdaa_or_health=True))
    assert (assessment.raw, assessment.computed_level, assessment.level) == (12, 2, 3)


def test_identifiable_hdaa_data_linked_by_a_university_team_is_level_iv() -> None:
    # research 2 + 67.2.1 2 + research team 2 + their premises 4 + Quebec 0 + identifiable 6
    # + minors 3 + HDAA 4 + 2,500 people 2 + external linkage 4 + publication 2 = 31 of 38;
    # mitigation 20 − 3 (no de-identified extract) − 2 (no output check) = 15/20 = 75 % < 80 %:
    # 31 / 38 = 81.6 % → IV
    access = load_questionnaire("dataset_access")
    answers = {
        **FULL_ACCESS_MITIGATION,
        "purpose": "research",
        "legal_basis": "67.2.1",
        "recipient": "research_team",
        "setting": "recipient_premises",
        "outside_quebec": False,
        "identifiability": "identifiable",
        "minors": True,
        "sensitive_categories": "hdaa_or_health",
        "volume": 2_500,
        "linkage": "external",
        "publication": "public",
        "deidentification_policy": False,
        "output_check": False,
    }
    facts = FloorFacts(identifiable_minors_external=True, hdaa_or_health=True, linkage=True)
    assessment = assess(access, answers, facts)
    assert (assessment.raw, assessment.mitigation, assessment.mitigation_applied) == (31, 15, False)
    assert assessment.level == 4
    assert assessment.floors == ["identifiable_minors_external", "hdaa_or_health", "linkage"]


# Levels --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_names_its_reviews_and_conditions(level: int) -> None:
    requirements = level_requirements(level)
    assert requirements.level == level
    assert requirements.label.fr and requirements.label.en
    assert requirements.review_codes()[0] == "privacy"  # the RPRP's review, always
    for kind in ("dataset_access", "ai_system"):
        assert requirements.condition_codes(kind), kind  # type: ignore[arg-type]
        assert all(c.text.fr and c.text.en for c in requirements.conditions[kind])  # type: ignore[index]


@pytest.mark.parametrize(
    ("level", "reviews", "decided_by", "reviewers"),
    [
        (1, ["privacy"], "privacy_officer", 1),
        (2, ["privacy"], "privacy_officer", 1),
        (3, ["privacy", "ethics", "committee"], "committee", 2),
        (4, ["privacy", "ethics", "committee", "top_authority"], "admin", 2),
    ],
)
def test_who_reviews_and_decides_each_level(
    level: int, reviews: list[str], decided_by: str, reviewers: int
) -> None:
    requirements = level_requirements(level)
    assert requirements.review_codes() == reviews
    assert requirements.decided_by == decided_by
    assert requirements.distinct_reviewers == reviewers


def test_grants_shorten_and_conditions_accumulate_as_the_level_rises() -> None:
    months = [level_requirements(level).max_grant_months for level in LEVELS]
    assert months == sorted(months, reverse=True)
    assert months == [24, 12, 12, 6]
    for kind in ("dataset_access", "ai_system"):
        for lower, higher in zip(LEVELS, LEVELS[1:], strict=False):
            below = set(level_requirements(lower).condition_codes(kind))  # type: ignore[arg-type]
            above = set(level_requirements(higher).condition_codes(kind))  # type: ignore[arg-type]
            assert below <= above, (kind, lower, higher)


@pytest.mark.parametrize(
    ("level", "kind", "code"),
    [
        (2, "dataset_access", "deidentify"),
        (3, "dataset_access", "secure_setting"),
        (1, "ai_system", "bias_testing"),
        (1, "ai_system", "explanation"),
        (2, "ai_system", "peer_review"),
        (3, "ai_system", "human_final_decision"),
    ],
)
def test_the_aia_requirements_appear_from_their_level(level: int, kind: str, code: str) -> None:
    assert code in level_requirements(level).condition_codes(kind)  # type: ignore[arg-type]
    if level > 1:
        assert code not in level_requirements(level - 1).condition_codes(kind)  # type: ignore[arg-type]


def test_there_is_no_level_five() -> None:
    with pytest.raises(ValueError, match="no impact level 5"):
        level_requirements(5)


LEVELS_YAML = """
reviews: {privacy: {fr: EFVP, en: PIA}}
conditions: {destroy_at_end: {fr: Détruire, en: Destroy}}
levels:
"""


def _levels(months: list[int], condition: str = "destroy_at_end") -> str:
    entries = "".join(
        f"  - {{level: {n}, label: {{fr: N{n}, en: L{n}}}, reviews: [privacy], "
        f"decided_by: privacy_officer, distinct_reviewers: 1, max_grant_months: {m}, "
        f"conditions: {{dataset_access: [{condition}], ai_system: []}}}}\n"
        for n, m in zip(LEVELS, months, strict=True)
    )
    return LEVELS_YAML + entries


def test_a_levels_file_parses() -> None:
    assert parse_levels(_levels([24, 12, 12, 6]))[4].max_grant_months == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_levels([6, 12, 12, 24]), "max_grant_months may not grow with the level"),
        (_levels([24, 12, 12, 6], "teleport"), "level 1: unknown codes teleport"),
        (LEVELS_YAML + "  []\n", "levels are 1, 2, 3 and 4"),
    ],
)
def test_a_broken_levels_file_is_refused_on_one_line(text: str, expected: str) -> None:
    with pytest.raises(CartableError) as caught:
        parse_levels(text, "levels.yaml")
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)
