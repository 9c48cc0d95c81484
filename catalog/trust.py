"""Trust, explained: what makes a dataset trustworthy, each criterion with its weight (pure).

The facts come from the dataset's latest aspects (``trust_facts``); freshness comes from the
last ingestion run that saw the dataset, so it is judged when asked (``assess``). The score
is the share of the applicable weight a dataset earns; usage counts only where it is known.

>>> facts = TrustFacts(described=True, columns=10, columns_described=5, owner=True,
...                    steward=True, certified=True, pii_reviewed=True, lineage=True)
>>> assess(facts, fresh=True).score  # 88 of 95 points: usage is unknown
93
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from catalog import pi_terms, stewarded
from catalog.column_facts import ColumnFacts, column_facts

Level = Literal["high", "medium", "low"]
WEIGHTS: dict[str, int] = {
    "description": 10,
    "columns_described": 15,
    "owner": 15,
    "steward": 10,
    "certified": 20,
    "fresh": 10,
    "pii_reviewed": 10,
    "lineage": 5,
    "usage": 5,  # applicable only when usage is known
}
FRESH_DAYS = 30
COLUMNS_DOCUMENTED = 0.8  # share of described columns that counts as documented
HIGH, MEDIUM = 75, 45
OWNER_TYPES = {"TECHNICAL_OWNER", "BUSINESS_OWNER", "DATAOWNER", "PRODUCER", "DEVELOPER"}
STEWARD_TYPES = {"DATA_STEWARD", "STAKEHOLDER", "DELEGATE"}
# DataHub's ownership-type entities: its UI writes type CUSTOM and names the type by URN
SYSTEM_OWNERSHIP_TYPE = "urn:li:ownershipType:__system__"
USAGE_ASPECTS = ("datasetUsageStatistics", "usageFeatures")


class TrustFacts(BaseModel):
    """What the catalogue knows about a dataset that bears on trust (no time in it)."""

    described: bool = False
    columns: int = 0
    columns_described: int = 0
    owner: bool = False
    steward: bool = False
    certified: bool = False
    pii_reviewed: bool = False
    lineage: bool = False
    usage: bool | None = None  # None: unknown

    @property
    def columns_share(self) -> float:
        """The share of the columns that have a description (0 without columns)."""
        return self.columns_described / self.columns if self.columns else 0.0

    @property
    def columns_documented(self) -> bool:
        """Whether enough of the columns are described (COLUMNS_DOCUMENTED or more)."""
        return self.columns_share >= COLUMNS_DOCUMENTED


class Criterion(BaseModel):
    """One line of the breakdown: earned points out of the criterion's weight."""

    key: str
    met: bool | None  # None: not applicable (usage unknown)
    points: int
    weight: int
    detail: str = ""


class Trust(BaseModel):
    """A dataset's trust score (0–100), its level and the breakdown behind it."""

    score: int
    level: Level
    criteria: list[Criterion]


def level_of(score: int) -> Level:
    """The badge a score earns."""
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def static_points(facts: TrustFacts) -> tuple[int, int]:
    """(points earned, weight applicable) of every criterion but freshness — the part the
    search index stores; freshness is added when a query runs."""
    scored = _scored(facts, fresh=False)
    earned = sum(points for key, _met, points, _detail in scored if key != "fresh")
    applicable = sum(WEIGHTS[key] for key, met, _points, _detail in scored if met is not None)
    return earned, applicable


def assess(facts: TrustFacts, *, fresh: bool) -> Trust:
    """The score and breakdown, given whether the last ingestion is recent."""
    criteria = [
        Criterion(key=key, met=met, points=points, weight=WEIGHTS[key], detail=detail)
        for key, met, points, detail in _scored(facts, fresh=fresh)
    ]
    earned = sum(c.points for c in criteria)
    applicable = sum(c.weight for c in criteria if c.met is not None)
    score = round(100 * earned / applicable) if applicable else 0
    return Trust(score=score, level=level_of(score), criteria=criteria)


def _scored(facts: TrustFacts, *, fresh: bool) -> list[tuple[str, bool | None, int, str]]:
    """(criterion, met, points, detail) for every criterion, in WEIGHTS' order."""
    flags: dict[str, bool | None] = {
        "description": facts.described,
        "columns_described": facts.columns_documented,
        "owner": facts.owner,
        "steward": facts.steward,
        "certified": facts.certified,
        "fresh": fresh,
        "pii_reviewed": facts.pii_reviewed,
        "lineage": facts.lineage,
        "usage": facts.usage,
    }
    scored = []
    for key, met in flags.items():
        if key == "columns_described":  # partial points below 80 %
            detail = f"{facts.columns_described}/{facts.columns}"
            scored.append((key, met, round(WEIGHTS[key] * facts.columns_share), detail))
        else:
            scored.append((key, met, WEIGHTS[key] if met else 0, ""))
    return scored


def trust_facts(
    aspects: Mapping[str, Mapping[str, Any]],
    *,
    downstream: bool,
    descriptions: Mapping[str, str] | None = None,
    columns: ColumnFacts | None = None,
) -> TrustFacts:
    """The facts of a dataset's latest aspects (parsed JSON); ``downstream``: another
    dataset names this one upstream; ``descriptions`` and ``columns``:
    ``stewarded.descriptions(aspects)`` and ``column_facts(aspects)`` when the caller has
    them at hand."""
    columns = columns or column_facts(aspects)
    owners = aspects.get("ownership", {}).get("owners", [])
    types = {_owner_type(o) for o in owners}
    terms = aspects.get("glossaryTerms", {}).get("terms", [])
    scanned = any(t["urn"].startswith(pi_terms.SENSITIVITY_PREFIX) for t in terms)
    usage = any(name in aspects for name in USAGE_ASPECTS)
    descriptions = descriptions or stewarded.descriptions(aspects)
    return TrustFacts(
        described=any(descriptions.values()),
        columns=columns.total,
        columns_described=columns.described,
        owner=bool(types & OWNER_TYPES),
        steward=bool(types & STEWARD_TYPES),
        certified=stewarded.is_certified(aspects),
        pii_reviewed=scanned and not columns.pending,
        lineage=bool(aspects.get("upstreamLineage", {}).get("upstreams")) or downstream,
        usage=True if usage else None,
    )


def _owner_type(owner: Mapping[str, Any]) -> str | None:
    """An owner's type: ``CUSTOM`` with ``urn:li:ownershipType:__system__data_steward``
    reads as ``DATA_STEWARD``."""
    kind = owner.get("type")
    type_urn = owner.get("typeUrn") or ""
    if kind == "CUSTOM" and type_urn.startswith(SYSTEM_OWNERSHIP_TYPE):
        return type_urn.removeprefix(SYSTEM_OWNERSHIP_TYPE).upper()
    return kind
