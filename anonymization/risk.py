"""Re-identification risk of a de-identified extract, along Quebec's three criteria.

Quebec's Regulation respecting the anonymization of personal information (2024) holds
information anonymized only when no one can:

1. *individualisation*, single a person out: the equivalence classes of the quasi-identifiers
   (k-anonymity: smallest class k, records in classes smaller than k, unique records, mean
   risk = classes / records, max risk = 1 / k);
2. *corrélation*, link datasets about the same person: records unique on the quasi-identifiers
   other datasets of the catalogue also hold, and pseudonyms made with a key other extracts
   also used (they link those extracts by design: at least low);
3. *inférence*, infer personal information: per sensitive attribute, distinct and entropy
   l-diversity of the classes, and records whose class gives one value with a confidence of
   at least ``inference_confidence``.

Each criterion gets a level against two sets of limits; the verdict is the worst. With no
quasi-identifier every record is one class (k = records); with no sensitive attribute there
is nothing to infer (no attribute, very low); an empty extract gives zeros and very low.
NULL, NaN and None are one value of their own. The extract is streamed: ClassCounter keeps a
count per distinct combination of values, never rows, and every metric (suggestions included)
is computed from those counts by vectorised groupbys and bincounts.

Why our own metrics: pycanon pins numpy==2.0.2, pandas==2.3.3 and typer==0.23.2 and needs every
row in memory; anonymeter needs numpy<1.27 and pyarrow<22 and scores synthetic data against a
held-out control set. Neither installs beside our stack (numpy 2.4, pyarrow 23); the tests check
these metrics against tables computed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

MERGE_EVERY = 16  # partial counts kept before they are merged into one frame
BUCKETS = (("1", 1), ("2", 2), ("3–4", 3), ("5–9", 5), ("10–19", 10), ("20+", 20))
_COUNT = "__cartable_records__"  # the count column of the combinations frame
Action = Literal["coarsen", "remove"]
_NOTHING = {"l": 0, "entropy_l": 0, "max_confidence": 0, "exposed_records": 0, "exposed_share": 0}


class Level(StrEnum):
    """Risk level of a criterion, ordered from very low to high."""

    VERY_LOW = "very_low"
    LOW = "low"
    HIGH = "high"

    @classmethod
    def worst(cls, *levels: Level) -> Level:
        """The highest of ``levels`` (very low when there is none), in declaration order."""
        return max(levels, key=list(cls).index, default=cls.VERY_LOW)


worst = Level.worst


class Limits(BaseModel):
    """What an extract must keep to, on each criterion, to reach one level."""

    model_config = ConfigDict(extra="forbid")

    k: int = Field(ge=1)  # smallest equivalence-class size wanted
    below_k_share: float = Field(ge=0, le=1)  # largest share of records in classes smaller than k
    linkable_share: float = Field(ge=0, le=1)  # largest share unique on the linking QIs
    l: int = Field(ge=1)  # noqa: E741 — fewest distinct sensitive values in a class
    inference_share: float = Field(ge=0, le=1)  # largest share of records exposed to inference


class RiskSettings(BaseModel):
    """The ``risk:`` section of an extract policy."""

    model_config = ConfigDict(extra="forbid")

    quasi_identifiers: list[str] = []
    sensitive: list[str] = []
    inference_confidence: float = Field(default=0.8, gt=0, le=1)
    very_low: Limits = Limits(k=10, below_k_share=0, linkable_share=0, l=3, inference_share=0)
    low: Limits = Limits(k=5, below_k_share=0.01, linkable_share=0.05, l=2, inference_share=0.05)

    @model_validator(mode="after")
    def _very_low_is_stricter(self) -> RiskSettings:
        strict, lax = self.very_low.model_dump(), self.low.model_dump()
        sign = {"k": -1, "l": -1}  # at least as large; the shares: at most as large
        laxer = [name for name in strict if (strict[name] - lax[name]) * sign.get(name, 1) > 0]
        if laxer:
            message = "risk limits: very_low must be at least as strict as low; laxer on"
            raise ValueError(f"{message} {', '.join(laxer)}")
        _check_columns(self.quasi_identifiers, self.sensitive)
        return self


def _check_columns(quasi_identifiers: list[str], sensitive: list[str]) -> None:
    """Refuse a column declared twice, or both quasi-identifier and sensitive."""
    columns = quasi_identifiers + sensitive
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise ValueError(f"risk columns declared more than once: {', '.join(repeated)}")
    if _COUNT in columns:
        raise ValueError(f"{_COUNT} is a reserved column name")


def _codes(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Class (0..n-1) of each row of integer-coded ``frame`` on ``keys``; one class if none."""
    key, radix = np.zeros(len(frame), dtype=np.int64), 1
    for column in keys if len(frame) else ():
        codes = frame[column].to_numpy(dtype=np.int64)
        size = int(codes.max()) + 1
        if radix * size >= 2**62:  # renumber the classes so far to keep the key in int64
            key = pd.factorize(key)[0]
            radix = int(key.max()) + 1
        key, radix = key * size + codes, radix * size
    return pd.factorize(key)[0]


def _sizes(codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Records per class, from the class number and the count of each combination."""
    return np.bincount(codes, weights=counts).astype(np.int64)


def _aggregate(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame``'s counts summed per combination of ``keys`` (NULL a value of its own)."""
    if not keys:  # one class, or none in an empty frame
        return frame[[_COUNT]].iloc[:1].assign(**{_COUNT: frame[_COUNT].sum()})
    grouped = frame.groupby(keys, dropna=False, sort=False, observed=True)[_COUNT]
    return grouped.sum().reset_index()


class ClassCounter:
    """Counts of (quasi-identifier values, sensitive values) combinations, fed chunk by chunk."""

    def __init__(self, quasi_identifiers: list[str], sensitive: list[str]) -> None:
        self.quasi_identifiers = list(quasi_identifiers)
        self.sensitive = list(sensitive)
        _check_columns(self.quasi_identifiers, self.sensitive)
        self.columns = self.quasi_identifiers + self.sensitive
        self._parts: list[pd.DataFrame] = []
        self._rows = 0

    @property
    def rows(self) -> int:
        """Records counted so far."""
        return self._rows

    def add(self, chunk: pd.DataFrame) -> None:
        """Count one chunk's combinations; NULL/NaN is a value of its own."""
        missing = [column for column in self.columns if column not in chunk.columns]
        if missing:
            raise ValueError(f"the chunk lacks the risk columns {', '.join(missing)}")
        if chunk.empty:
            return
        if self.columns:
            grouped = chunk.groupby(self.columns, dropna=False, sort=False, observed=True)
            part = grouped.size().rename(_COUNT).reset_index()
        else:
            part = pd.DataFrame({_COUNT: [len(chunk)]})
        self._parts.append(part)
        self._rows += len(chunk)
        if len(self._parts) >= MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        """Fold the partial counts into one frame."""
        if len(self._parts) > 1:
            merged = pd.concat(self._parts, ignore_index=True)
            self._parts = [_aggregate(merged, self.columns)]

    def combinations(self) -> pd.DataFrame:
        """One row per distinct combination: its values and its count (internal column)."""
        self._merge()
        if self._parts:
            return self._parts[0]
        return pd.DataFrame({column: [] for column in [*self.columns, _COUNT]})

    def class_sizes(self) -> pd.Series:
        """Records per quasi-identifier combination."""
        classes = _aggregate(self.combinations(), self.quasi_identifiers)
        if self.quasi_identifiers:
            classes = classes.set_index(self.quasi_identifiers)
        return classes[_COUNT].rename("records")


class ClassSizeBucket(BaseModel):
    """Records in classes of a range of sizes."""

    label: str
    records: int


class Individualization(BaseModel):
    """Criterion 1: can someone be singled out?"""

    records: int
    classes: int
    k: int
    unique_records: int
    unique_share: float
    below_k_records: int  # in classes smaller than the low limit's k
    below_k_share: float
    mean_risk: float  # average re-identification probability of a record: classes / records
    max_risk: float  # 1 / k
    histogram: list[ClassSizeBucket]
    level: Level


class Correlation(BaseModel):
    """Criterion 2: can this extract be linked to other datasets about the same people?"""

    linking_quasi_identifiers: list[str]
    linkable_records: int
    linkable_share: float
    persistent_keys: list[str]
    shared_with: list[str]
    level: Level


class AttributeInference(BaseModel):
    """Criterion 3 for one sensitive attribute."""

    attribute: str
    l: int  # noqa: E741 (distinct l-diversity)
    entropy_l: float
    max_confidence: float
    exposed_records: int
    exposed_share: float


class Inference(BaseModel):
    """Criterion 3: can a sensitive value be inferred from the quasi-identifiers?"""

    attributes: list[AttributeInference]
    level: Level


class Suggestion(BaseModel):
    """Individualization metrics if one quasi-identifier were coarsened or removed."""

    quasi_identifier: str
    action: Action
    k_after: int
    below_k_share_after: float
    unique_share_after: float


class RiskReport(BaseModel):
    """Re-identification risk of an extract along the three criteria, and what would help."""

    records: int
    quasi_identifiers: list[str]
    sensitive: list[str]
    individualization: Individualization
    correlation: Correlation
    inference: Inference
    verdict: Level
    suggestions: list[Suggestion]


def _share(part: int, whole: int) -> float:
    """``part / whole``, 0 for an empty whole."""
    return part / whole if whole else 0.0


def _stats(sizes: np.ndarray, k: int) -> tuple[int, int, int, int]:
    """Records, smallest class, records in classes smaller than ``k``, unique records."""
    smallest = int(sizes.min()) if len(sizes) else 0
    return int(sizes.sum()), smallest, int(sizes[sizes < k].sum()), int(sizes[sizes == 1].sum())


def _histogram(sizes: np.ndarray) -> list[ClassSizeBucket]:
    """Records per range of class sizes."""
    bucket = np.searchsorted([low for _, low in BUCKETS], sizes, side="right") - 1
    records = np.bincount(bucket, weights=sizes, minlength=len(BUCKETS))
    pairs = zip(BUCKETS, records, strict=True)
    return [ClassSizeBucket(label=label, records=int(n)) for (label, _), n in pairs]


def _individualization(sizes: np.ndarray, settings: RiskSettings) -> Individualization:
    """Criterion 1 from the class sizes."""
    strict, lax = settings.very_low, settings.low
    records, k, below, unique = _stats(sizes, lax.k)
    if _share(_stats(sizes, strict.k)[2], records) <= strict.below_k_share:
        level = Level.VERY_LOW
    else:
        level = Level.LOW if _share(below, records) <= lax.below_k_share else Level.HIGH
    return Individualization(
        records=records,
        classes=len(sizes),
        k=k,
        unique_records=unique,
        unique_share=_share(unique, records),
        below_k_records=below,
        below_k_share=_share(below, records),
        mean_risk=_share(len(sizes), records),
        max_risk=_share(1, k),
        histogram=_histogram(sizes),
        level=level,
    )


def _correlation(
    combinations: pd.DataFrame,
    linking: list[str],
    given: dict[str, list[str]],
    settings: RiskSettings,
) -> Correlation:
    """Criterion 2: records unique on the linking quasi-identifiers alone, shared pseudonyms."""
    counts = combinations[_COUNT].to_numpy()
    linkable = 0
    if linking and len(counts):
        linkable = int((_sizes(_codes(combinations, linking), counts) == 1).sum())
    share = _share(linkable, int(counts.sum()))
    if share > settings.low.linkable_share:
        level = Level.HIGH
    elif len(counts) and (share > settings.very_low.linkable_share or given["shared_with"]):
        level = Level.LOW  # pseudonyms made with a key other extracts used link them by design
    else:
        level = Level.VERY_LOW
    return Correlation(
        linking_quasi_identifiers=linking,
        linkable_records=linkable,
        linkable_share=share,
        level=level,
        **given,
    )


def _attribute(
    combinations: pd.DataFrame, classes: np.ndarray, attribute: str, confidence: float
) -> AttributeInference:
    """l-diversity, entropy l and exposure of one sensitive attribute."""
    counts = combinations[_COUNT].to_numpy()
    if not len(counts):
        return AttributeInference.model_validate({"attribute": attribute, **_NOTHING})
    values = combinations[attribute].to_numpy(dtype=np.int64)
    pairs = pd.factorize(classes * (int(values.max()) + 1) + values)[0]  # (class, value)
    pair_counts = np.bincount(pairs, weights=counts)  # records per (class, value)
    pair_class = np.empty(len(pair_counts), dtype=np.int64)
    pair_class[pairs] = classes
    sizes = np.bincount(pair_class, weights=pair_counts)
    top = np.zeros(len(sizes))
    np.maximum.at(top, pair_class, pair_counts)
    p = pair_counts / sizes[pair_class]
    entropy = np.bincount(pair_class, weights=-p * np.log(p))
    confidences = top / sizes
    exposed = int(sizes[confidences >= confidence].sum())
    return AttributeInference(
        attribute=attribute,
        l=int(np.bincount(pair_class).min()),
        entropy_l=float(np.exp(entropy.min())),
        max_confidence=float(confidences.max()),
        exposed_records=exposed,
        exposed_share=_share(exposed, int(counts.sum())),
    )


def _inference(
    combinations: pd.DataFrame, classes: np.ndarray, sensitive: list[str], settings: RiskSettings
) -> Inference:
    """Criterion 3 for every sensitive attribute; very low when there is none (or no record)."""
    confidence, strict, lax = settings.inference_confidence, settings.very_low, settings.low
    attributes = [_attribute(combinations, classes, name, confidence) for name in sensitive]
    level = Level.VERY_LOW
    for found in (found for found in attributes if found.l):  # l = 0: no record
        if found.l < lax.l or found.exposed_share > lax.inference_share:
            level = Level.HIGH
        elif found.l < strict.l or found.exposed_share > strict.inference_share:
            level = Level.worst(level, Level.LOW)
    return Inference(attributes=attributes, level=level)


def _encode(combinations: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Integer codes in place of each column's values (NULL one code), and those values."""
    coded: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for column in columns:
        coded[column], values[column] = pd.factorize(combinations[column], use_na_sentinel=False)
    coded[_COUNT] = combinations[_COUNT].to_numpy()
    return pd.DataFrame(coded), values


def _coarsened(
    codes: np.ndarray, values: object, coarsen: Callable[[object], object]
) -> np.ndarray:
    """New codes of values mapped through ``coarsen`` (once per distinct value; NULL stays)."""
    distinct = pd.Series(values, dtype=object)
    missing = distinct.isna().tolist()
    pairs = zip(distinct.tolist(), missing, strict=True)
    mapped = [None if null else coarsen(value) for value, null in pairs]
    return pd.factorize(pd.Series(mapped, dtype=object), use_na_sentinel=False)[0][codes]


def _suggestions(
    classes: pd.DataFrame,
    quasi_identifiers: list[str],
    coarseners: Mapping[str, Callable[[object], object]],
    values: dict[str, Any],
    k: int,
) -> list[Suggestion]:
    """Each quasi-identifier removed, or coarsened one step if it has a coarsener; best first."""
    counts, found = classes[_COUNT].to_numpy(), []
    for name in quasi_identifiers:
        others = [column for column in quasi_identifiers if column != name]
        options: list[tuple[Action, pd.DataFrame, list[str]]] = [("remove", classes, others)]
        if name in coarseners:
            coarse = _coarsened(classes[name].to_numpy(), values[name], coarseners[name])
            mapped = classes.assign(**{name: coarse})
            options.append(("coarsen", mapped, quasi_identifiers))
        for action, frame, keys in options:
            records, k_after, below, unique = _stats(_sizes(_codes(frame, keys), counts), k)
            found.append(
                Suggestion(
                    quasi_identifier=name,
                    action=action,
                    k_after=k_after,
                    below_k_share_after=_share(below, records),
                    unique_share_after=_share(unique, records),
                )
            )
    # "coarsen" sorts before "remove"
    found.sort(key=lambda s: (s.below_k_share_after, -s.k_after, s.action, s.quasi_identifier))
    return found


def assess(
    counter: ClassCounter,
    settings: RiskSettings,
    *,
    linking: Sequence[str] = (),
    persistent_keys: Sequence[str] = (),
    shared_with: Sequence[str] = (),
    coarseners: Mapping[str, Callable[[object], object]] | None = None,
) -> RiskReport:
    """Risk report of the counted extract under ``settings`` (the counter's columns decide)."""
    qis, sensitive = counter.quasi_identifiers, counter.sensitive
    for name in ("quasi_identifiers", "sensitive"):
        declared, counted = getattr(settings, name), getattr(counter, name)
        if declared and sorted(declared) != sorted(counted):
            raise ValueError(f"the settings declare {name} {declared}, the counter {counted}")
    combinations, values = _encode(counter.combinations(), counter.columns)
    codes = _codes(combinations, qis)
    individualization = _individualization(_sizes(codes, combinations[_COUNT].to_numpy()), settings)
    linking_qis = [name for name in dict.fromkeys(linking) if name in qis]
    given = {"persistent_keys": list(persistent_keys), "shared_with": list(shared_with)}
    correlation = _correlation(combinations, linking_qis, given, settings)
    inference = _inference(combinations, codes, sensitive, settings)
    verdict = Level.worst(individualization.level, correlation.level, inference.level)
    suggestions = []
    if verdict is not Level.VERY_LOW and qis:
        classes = _aggregate(combinations, qis)
        suggestions = _suggestions(classes, qis, coarseners or {}, values, settings.low.k)
    return RiskReport(
        records=counter.rows,
        quasi_identifiers=qis,
        sensitive=sensitive,
        individualization=individualization,
        correlation=correlation,
        inference=inference,
        verdict=verdict,
        suggestions=suggestions,
    )
