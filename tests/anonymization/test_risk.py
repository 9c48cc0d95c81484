"""Re-identification risk: metrics against tables computed by hand, levels at their limits."""

import math

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from anonymization.risk import (
    ClassCounter,
    Level,
    Limits,
    RiskSettings,
    assess,
    worst,
)

URN = "urn:li:dataset:(urn:li:dataPlatform:postgres,csslaval.eleves.inscriptions,PROD)"


def table(*groups):
    """Rows from (values, count) pairs: each dict of column values repeated count times."""
    return pd.DataFrame([values for values, count in groups for _ in range(count)])


def counted(frame, quasi_identifiers, sensitive=(), chunk=None):
    counter = ClassCounter(list(quasi_identifiers), list(sensitive))
    size = chunk or max(len(frame), 1)
    for start in range(0, len(frame), size):
        counter.add(frame.iloc[start : start + size])
    return counter


def report(frame, quasi_identifiers, sensitive=(), *, chunk=None, settings=None, **options):
    counter = counted(frame, quasi_identifiers, sensitive, chunk)
    return assess(counter, settings or RiskSettings(), **options)


def classes_of(*sizes):
    """One quasi-identifier ``c`` whose classes have ``sizes``."""
    return table(*[({"c": index}, size) for index, size in enumerate(sizes)])


def diverse(*classes):
    """Classes of quasi-identifier ``c``, each a {sensitive value of ``s``: records} dict."""
    return table(
        *[
            ({"c": index, "s": value}, n)
            for index, values in enumerate(classes)
            for value, n in values.items()
        ]
    )


# Table A: 10 pupils, quasi-identifiers (postal, year), sensitive diagnosis.
#   (H2X, 2010): A A B   -> 3      (H2X, 2011): A A -> 2      (H3Z, 2010): C C C -> 3
#   (H3Z, 2012): A       -> 1      (NULL, 2010): B  -> 1
TABLE_A = table(
    ({"postal": "H2X", "year": 2010, "diagnosis": "A"}, 2),
    ({"postal": "H2X", "year": 2010, "diagnosis": "B"}, 1),
    ({"postal": "H2X", "year": 2011, "diagnosis": "A"}, 2),
    ({"postal": "H3Z", "year": 2010, "diagnosis": "C"}, 3),
    ({"postal": "H3Z", "year": 2012, "diagnosis": "A"}, 1),
    ({"postal": None, "year": 2010, "diagnosis": "B"}, 1),
)

# Table B: 9 records, quasi-identifier group, two sensitive attributes (grade, status).
#   class a (4): (x,p) (x,q) (y,p) (z,q)
#   class b (5): (x,p) (x,q) (x,r) (x,p) (y,q)
TABLE_B = table(
    ({"group": "a", "grade": "x", "status": "p"}, 1),
    ({"group": "a", "grade": "x", "status": "q"}, 1),
    ({"group": "a", "grade": "y", "status": "p"}, 1),
    ({"group": "a", "grade": "z", "status": "q"}, 1),
    ({"group": "b", "grade": "x", "status": "p"}, 2),
    ({"group": "b", "grade": "x", "status": "q"}, 1),
    ({"group": "b", "grade": "x", "status": "r"}, 1),
    ({"group": "b", "grade": "y", "status": "q"}, 1),
)


# --- metrics by hand ---------------------------------------------------------------------------


def test_individualization_of_table_a():
    found = report(TABLE_A, ["postal", "year"], ["diagnosis"]).individualization
    # classes 3, 2, 3, 1, 1: 5 classes, 10 records, k = 1, unique = 2 records (2 / 10 = 0.2),
    # all 10 records in classes smaller than 5; mean risk 5 / 10 = 0.5, max risk 1 / 1.
    assert (found.records, found.classes, found.k) == (10, 5, 1)
    assert (found.unique_records, found.unique_share) == (2, pytest.approx(0.2))
    assert (found.below_k_records, found.below_k_share) == (10, 1.0)
    assert (found.mean_risk, found.max_risk) == (0.5, 1.0)
    assert {b.label: b.records for b in found.histogram} == {
        "1": 2, "2": 2, "3–4": 6, "5–9": 0, "10–19": 0, "20+": 0
    }  # fmt: skip
    assert found.level is Level.HIGH


def test_correlation_of_table_a_marginalizes_on_the_linking_quasi_identifiers():
    found = report(
        TABLE_A, ["postal", "year"], linking=["year", "school"], persistent_keys=["pupil"]
    ).correlation
    # "school" is no quasi-identifier: ignored. Years: 2010 -> 3 + 3 + 1 = 7, 2011 -> 2,
    # 2012 -> 1: one linkable record, 1 / 10 = 0.1 > 0.05.
    assert found.linking_quasi_identifiers == ["year"]
    assert (found.linkable_records, found.linkable_share) == (1, 0.1)
    assert found.persistent_keys == ["pupil"]
    assert found.level is Level.HIGH


def test_inference_of_table_a():
    (found,) = report(TABLE_A, ["postal", "year"], ["diagnosis"]).inference.attributes
    # (H2X, 2010) holds A A B: 2 values, H = -(2/3 ln 2/3 + 1/3 ln 1/3) = 0.2703 + 0.3662
    # = 0.6365, top share 2/3 < 0.8; the four other classes hold one value each (H = -1 ln 1
    # = 0): l = 1, entropy l = e^0 = 1, max confidence 1; exposed = 2 + 3 + 1 + 1 = 7 (7 / 10).
    assert (found.l, found.entropy_l, found.max_confidence) == (1, 1.0, 1.0)
    assert (found.exposed_records, found.exposed_share) == (7, 0.7)


def test_inference_of_table_b_per_attribute():
    found = report(TABLE_B, ["group"], ["grade", "status"])
    grade, status = found.inference.attributes
    # grade, class a: x2 y1 z1 -> 3 values, H = 0.5 ln 2 + 2 * 0.25 ln 4 = 0.3466 + 0.6931
    #   = 1.0397, top 2/4 = 0.5; class b: x4 y1 -> 2 values, H = -(0.8 ln 0.8 + 0.2 ln 0.2)
    #   = 0.1785 + 0.3219 = 0.5004, top 4/5 = 0.8 >= 0.8 -> 5 exposed.
    #   l = 2, entropy l = e^0.5004 = 1.6494, max confidence 0.8, exposed 5 / 9.
    assert grade.attribute == "grade"
    assert (grade.l, grade.max_confidence, grade.exposed_records) == (2, 0.8, 5)
    assert grade.entropy_l == pytest.approx(math.exp(-(0.8 * math.log(0.8) + 0.2 * math.log(0.2))))
    assert grade.entropy_l == pytest.approx(1.6494, abs=1e-4)
    assert grade.exposed_share == pytest.approx(5 / 9)
    # status, class a: p2 q2 -> 2 values, H = ln 2 = 0.6931, top 0.5; class b: p2 q2 r1 ->
    #   3 values, H = 2 * 0.4 ln(1/0.4) + 0.2 ln 5 = 0.7330 + 0.3219 = 1.0549, top 0.4.
    #   l = 2, entropy l = e^(ln 2) = 2, max confidence 0.5, nobody exposed.
    assert (status.l, status.max_confidence, status.exposed_records) == (2, 0.5, 0)
    assert status.entropy_l == pytest.approx(2.0)
    assert found.inference.level is Level.HIGH  # 5/9 exposed > 0.05
    # classes of 4 and 5 records: k = 4, mean risk 2 / 9, the 4 records of a below k = 5.
    assert (found.individualization.k, found.individualization.mean_risk) == (4, 2 / 9)
    assert found.individualization.below_k_share == 4 / 9


def test_one_chunk_or_several_give_the_same_report():
    frame = pd.concat([TABLE_A] * 4, ignore_index=True)  # 40 rows: > 16 parts, merged twice
    options = {"linking": ["postal"], "coarseners": {"postal": lambda v: v[0]}}
    whole = report(frame, ["postal", "year"], ["diagnosis"], **options)
    for chunk in (1, 3, 7):
        assert report(frame, ["postal", "year"], ["diagnosis"], chunk=chunk, **options) == whole
    assert whole.individualization.k == 4


def test_null_values_form_a_class_of_their_own():
    frame = pd.DataFrame({"postal": ["H2X", None, np.nan, "H2X", None], "year": [2010] * 5})
    counter = counted(frame, ["postal", "year"], chunk=2)
    sizes = counter.class_sizes()
    # None and NaN are one NULL value: (H2X, 2010) -> 2, (NULL, 2010) -> 3.
    assert sorted(sizes.tolist()) == [2, 3]
    assert assess(counter, RiskSettings()).individualization.k == 2


def test_without_quasi_identifiers_every_record_is_one_class():
    frame = pd.DataFrame({"s": ["x", "y", "z", "x", "y"]})
    found = report(frame, [], ["s"])
    assert (found.individualization.classes, found.individualization.k) == (1, 5)
    assert found.individualization.mean_risk == 1 / 5
    # the whole extract is the class: x2 y2 z1 -> l = 3, top share 2/5 = 0.4
    (attribute,) = found.inference.attributes
    assert (attribute.l, attribute.max_confidence) == (3, 0.4)
    assert found.suggestions == []  # nothing to coarsen or remove


def test_without_sensitive_attributes_nothing_can_be_inferred():
    found = report(classes_of(50, 50), ["c"])
    assert found.inference.attributes == []
    assert found.inference.level is Level.VERY_LOW


# --- levels at their limits --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "level"),
    [
        ((100,), Level.VERY_LOW),
        ((90, 10), Level.VERY_LOW),  # a class of exactly very_low.k = 10
        ((91, 9), Level.LOW),  # 9 % below 10 > 0, none below 5
        ((95, 5), Level.LOW),  # a class of exactly low.k = 5
        ((96, 4), Level.HIGH),  # 4 % below 5 > 1 %
        ((99, 1), Level.LOW),  # 1 / 100 below 5: exactly 1 %
        ((98, 1), Level.HIGH),  # 1 / 99 below 5: just past 1 %
    ],
)
def test_individualization_levels(sizes, level):
    assert report(classes_of(*sizes), ["c"]).individualization.level is level


def test_individualization_very_low_share_limit():
    relaxed = RiskSettings(
        very_low=Limits(k=10, below_k_share=0.02, linkable_share=0, l=3, inference_share=0),
        low=Limits(k=5, below_k_share=0.05, linkable_share=0.05, l=2, inference_share=0.05),
    )
    at_limit = report(classes_of(98, 2), ["c"], settings=relaxed).individualization
    assert (at_limit.below_k_share, at_limit.level) == (0.02, Level.VERY_LOW)  # 2 % below 10
    past = report(classes_of(97, 3), ["c"], settings=relaxed).individualization
    assert (past.below_k_share, past.level) == (0.03, Level.LOW)  # 3 % below 10 and below 5


def schools(unique, shared):
    """``unique`` schools of one pupil each, and one school of ``shared`` pupils."""
    frame = classes_of(*([1] * unique), shared).rename(columns={"c": "school"})
    return frame.assign(year=[2000 + i % 3 for i in range(len(frame))])


@pytest.mark.parametrize(
    ("unique", "shared", "shared_with", "level"),
    [
        (0, 100, [], Level.VERY_LOW),
        (0, 100, [URN], Level.LOW),  # a shared pseudonym key links the extracts by design
        (1, 99, [], Level.LOW),  # 1 % > 0
        (5, 95, [], Level.LOW),  # exactly 5 %
        (6, 94, [], Level.HIGH),  # 6 % > 5 %
    ],
)
def test_correlation_levels(unique, shared, shared_with, level):
    found = report(
        schools(unique, shared), ["school", "year"], linking=["school"], shared_with=shared_with
    ).correlation
    assert (found.linkable_records, found.level) == (unique, level)
    assert found.shared_with == shared_with


def test_no_linking_quasi_identifier_links_nothing():
    found = report(schools(6, 94), ["school", "year"]).correlation
    assert (found.linkable_records, found.linkable_share, found.level) == (0, 0.0, Level.VERY_LOW)


DIVERSE = {"x": 4, "y": 3, "z": 3}  # l = 3, top share 0.4


@pytest.mark.parametrize(
    ("classes", "level"),
    [
        ((DIVERSE, DIVERSE), Level.VERY_LOW),
        ((DIVERSE, {"x": 5, "y": 5}), Level.LOW),  # l = 2: exactly low.l, below very_low.l
        ((DIVERSE, {"x": 10}), Level.HIGH),  # l = 1
        ((*[DIVERSE] * 19, {"x": 8, "y": 1, "z": 1}), Level.LOW),  # 8/10 = 0.8 exposes: 10 / 200
        ((*[DIVERSE] * 18, {"x": 8, "y": 1, "z": 1}), Level.HIGH),  # 10 / 190 > 5 %
        ((DIVERSE, {"x": 7, "y": 2, "z": 1}), Level.VERY_LOW),  # 0.7 < 0.8: nobody exposed
    ],
)
def test_inference_levels(classes, level):
    assert report(diverse(*classes), ["c"], ["s"]).inference.level is level


def test_inference_confidence_setting():
    frame = diverse(DIVERSE, {"x": 7, "y": 2, "z": 1})
    found = report(frame, ["c"], ["s"], settings=RiskSettings(inference_confidence=0.7))
    assert found.inference.attributes[0].exposed_records == 10
    assert found.inference.level is Level.HIGH


def test_verdict_is_the_worst_level():
    assert worst() is Level.VERY_LOW
    assert worst(Level.LOW, Level.VERY_LOW) is Level.LOW
    assert Level.worst(Level.LOW, Level.HIGH, Level.VERY_LOW) is Level.HIGH
    safe = diverse(*[DIVERSE] * 10)  # classes of 10, l = 3, nobody exposed
    assert report(safe, ["c"], ["s"]).verdict is Level.VERY_LOW
    shared = report(safe, ["c"], ["s"], shared_with=[URN])
    assert (shared.individualization.level, shared.correlation.level) == (
        Level.VERY_LOW,
        Level.LOW,
    )
    assert shared.verdict is Level.LOW
    exposed = report(diverse(*[DIVERSE] * 9, {"x": 10}), ["c"], ["s"], shared_with=[URN])
    assert (exposed.inference.level, exposed.verdict) == (Level.HIGH, Level.HIGH)


# --- suggestions -------------------------------------------------------------------------------

# Table C: 11 records on (postal, year); low.k = 3.
#   (H2X, 2011) 3, (H2Y, 2011) 2, (H3A, 2012) 1, (J4B, 2011) 4, (J4B, 2019) 1
TABLE_C = table(
    ({"postal": "H2X", "year": 2011}, 3),
    ({"postal": "H2Y", "year": 2011}, 2),
    ({"postal": "H3A", "year": 2012}, 1),
    ({"postal": "J4B", "year": 2011}, 4),
    ({"postal": "J4B", "year": 2019}, 1),
)
SMALL_K = RiskSettings(
    very_low=Limits(k=5, below_k_share=0, linkable_share=0, l=3, inference_share=0),
    low=Limits(k=3, below_k_share=0.01, linkable_share=0.05, l=2, inference_share=0.05),
)
COARSENERS = {"postal": lambda code: code[0], "year": lambda year: year // 10 * 10}


def test_suggestions_by_hand():
    found = report(TABLE_C, ["postal", "year"], settings=SMALL_K, coarseners=COARSENERS)
    assert found.individualization.below_k_records == 4  # 2 + 1 + 1 below 3
    got = [
        (s.action, s.quasi_identifier, s.k_after, s.below_k_share_after, s.unique_share_after)
        for s in found.suggestions
    ]
    assert got == [
        # postal -> first letter: (H,2011) 5, (H,2012) 1, (J,2011) 4, (J,2019) 1: 2 below 3
        ("coarsen", "postal", 1, 2 / 11, 2 / 11),
        # without postal: 2011 -> 9, 2012 -> 1, 2019 -> 1: same share, remove after coarsen
        ("remove", "postal", 1, 2 / 11, 2 / 11),
        # year -> decade 2010 everywhere: H2X 3, H2Y 2, H3A 1, J4B 5: 3 below 3, 1 unique
        ("coarsen", "year", 1, 3 / 11, 1 / 11),
        ("remove", "year", 1, 3 / 11, 1 / 11),
    ]


def test_suggestions_prefer_the_higher_k_on_equal_shares():
    # (a1,b1) 2, (a2,b1) 2, (a1,b2) 3, (a2,b2) 3; very_low.k = 4, low.k = 2: low.
    frame = table(
        ({"a": "a1", "b": "b1"}, 2),
        ({"a": "a2", "b": "b1"}, 2),
        ({"a": "a1", "b": "b2"}, 3),
        ({"a": "a2", "b": "b2"}, 3),
    )
    settings = RiskSettings(
        very_low=Limits(k=4, below_k_share=0, linkable_share=0, l=3, inference_share=0),
        low=Limits(k=2, below_k_share=0.01, linkable_share=0.05, l=2, inference_share=0.05),
    )
    found = report(frame, ["a", "b"], settings=settings)
    assert found.verdict is Level.LOW
    # without b: a1 5, a2 5 -> k 5; without a: b1 4, b2 6 -> k 4
    got = [(s.quasi_identifier, s.k_after, s.below_k_share_after) for s in found.suggestions]
    assert got == [("b", 5, 0.0), ("a", 4, 0.0)]


def test_coarsening_leaves_null_values_null():
    frame = pd.DataFrame({"postal": ["H2X", "H2Y", None], "year": [2011] * 3})
    found = report(frame, ["postal", "year"], coarseners={"postal": lambda code: code[0]})
    # (H, 2011) 2, (NULL, 2011) 1: the coarsener never sees the NULL
    coarsen = next(s for s in found.suggestions if s.action == "coarsen")
    assert (coarsen.k_after, coarsen.unique_share_after) == (1, 1 / 3)


def test_no_suggestion_when_the_verdict_is_very_low():
    assert report(classes_of(50, 50), ["c"], coarseners={"c": str}).suggestions == []


# --- settings and edge cases -------------------------------------------------------------------


def test_settings_defaults_and_policy_section():
    settings = RiskSettings.model_validate(
        {"quasi_identifiers": ["postal", "year"], "sensitive": ["diagnosis"]}
    )
    assert (settings.very_low.k, settings.low.k, settings.inference_confidence) == (10, 5, 0.8)


@pytest.mark.parametrize(
    ("very_low", "field"),
    [
        ({"k": 4}, "k"),
        ({"l": 1}, "l"),
        ({"below_k_share": 0.02}, "below_k_share"),
        ({"linkable_share": 0.1}, "linkable_share"),
        ({"inference_share": 0.06}, "inference_share"),
    ],
)
def test_settings_refuse_a_very_low_laxer_than_low(very_low, field):
    limits = RiskSettings().very_low.model_dump() | very_low
    with pytest.raises(ValidationError, match=f"laxer on {field}"):
        RiskSettings(very_low=limits)


def test_settings_refuse_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError, match="extra"):
        RiskSettings.model_validate({"quasi_identifier": ["postal"]})
    with pytest.raises(ValidationError, match="extra"):
        RiskSettings.model_validate({"low": {**RiskSettings().low.model_dump(), "t": 0.2}})
    with pytest.raises(ValidationError):
        RiskSettings(inference_confidence=0)
    with pytest.raises(ValidationError, match="more than once"):
        RiskSettings(quasi_identifiers=["postal"], sensitive=["postal"])


def test_settings_must_match_the_counter():
    counter = counted(TABLE_A, ["postal", "year"], ["diagnosis"])
    with pytest.raises(ValueError, match="quasi_identifiers"):
        assess(counter, RiskSettings(quasi_identifiers=["postal"]))
    declared = RiskSettings(quasi_identifiers=["year", "postal"], sensitive=["diagnosis"])
    assert assess(counter, declared).records == 10


def test_a_chunk_without_the_columns_is_refused():
    with pytest.raises(ValueError, match="diagnosis"):
        ClassCounter(["postal"], ["diagnosis"]).add(pd.DataFrame({"postal": ["H2X"]}))


@pytest.mark.parametrize("chunks", [[], [TABLE_A.iloc[:0]]])
def test_empty_extract(chunks):
    counter = ClassCounter(["postal", "year"], ["diagnosis"])
    for chunk in chunks:
        counter.add(chunk)
    found = assess(counter, RiskSettings(), linking=["postal"], shared_with=[URN])
    assert found.records == 0 and counter.class_sizes().empty
    one = found.individualization
    assert (one.records, one.classes, one.k, one.mean_risk, one.max_risk) == (0, 0, 0, 0, 0)
    assert all(bucket.records == 0 for bucket in one.histogram)
    assert found.correlation.linkable_share == 0.0
    assert found.inference.attributes[0].model_dump() == {
        "attribute": "diagnosis",
        "l": 0,
        "entropy_l": 0.0,
        "max_confidence": 0.0,
        "exposed_records": 0,
        "exposed_share": 0.0,
    }
    levels = (one.level, found.correlation.level, found.inference.level, found.verdict)
    assert levels == (Level.VERY_LOW,) * 4
    assert found.suggestions == []


# --- a million records -------------------------------------------------------------------------


def test_a_million_records_in_chunks():
    rng = np.random.default_rng(20240101)
    rows = 1_000_000
    frame = pd.DataFrame(
        {
            "postal": rng.integers(0, 1_000, rows),
            "year": rng.integers(1990, 2040, rows),
            "sex": rng.integers(0, 2, rows),
            "diagnosis": rng.integers(0, 10, rows),
        }
    )
    counter = ClassCounter(["postal", "year", "sex"], ["diagnosis"])
    for start in range(0, rows, 100_000):
        counter.add(frame.iloc[start : start + 100_000])
    found = assess(
        counter,
        RiskSettings(),
        linking=["postal", "year"],
        coarseners={"postal": lambda code: code // 100, "year": lambda year: year // 10 * 10},
    )
    direct = frame.groupby(["postal", "year", "sex"]).size()
    assert found.records == rows == counter.rows
    assert (found.individualization.k, found.individualization.classes) == (
        direct.min(),
        len(direct),
    )
    assert len(found.suggestions) == 5


def test_many_wide_quasi_identifiers_keep_their_classes():
    # 7 columns of 700 distinct values: 700^7 > 2^62, the class key is renumbered on the way
    frame = pd.DataFrame({f"q{i}": range(700) for i in range(7)})
    found = report(frame.iloc[[*range(700), 0]], list(frame.columns))
    assert (found.individualization.classes, found.individualization.k) == (700, 1)
    assert found.individualization.unique_records == 699


def test_categorical_columns_count_only_the_values_seen():
    chunk = pd.DataFrame({"c": pd.Categorical(["a", "a"], categories=["a", "b", "z"])})
    counter = ClassCounter(["c"], [])
    counter.add(chunk)
    counter.add(pd.DataFrame({"c": ["a", "b"]}))
    assert counter.class_sizes().to_dict() == {"a": 3, "b": 1}  # no class for "z"
    assert assess(counter, RiskSettings()).individualization.classes == 2
