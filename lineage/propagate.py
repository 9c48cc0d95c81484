"""Sensitivity propagation along column lineage: the pure rules.

- A column **copied or transformed** from personal information is *derived personal
  information*; the path from the source is its evidence.
- A column **aggregated** from personal information (a count, an average) is an
  *aggregate*: not personal information, but small cells can single people out.
- An aggregate that lands in a table which carries an identifier, copied there or found
  there (the code permanent, a name), is about one person per row, so it is derived
  personal information.
- An aggregate over the rows of a table that identifies people (a count of students per
  school) is an aggregate of personal information, whatever column it counts.
- **Filter and join** columns choose rows; nothing is derived from them.
- A steward can **block** one edge, with a reason: nothing propagates along it.
- A column detected as personal information on its own (a mart's copy of the code
  permanent) is a source too, and still gets its mark, so that the path is known.
"""

from __future__ import annotations

from collections import deque
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field

from lineage.graph import LineageGraph, split_node
from lineage.models import EdgeKind

Status = Literal["source", "derived", "aggregate"]
RANK = {"aggregate": 1, "derived": 2, "source": 3}


class SourceMark(NamedTuple):
    """A column classified as personal information, and whether it identifies a person."""

    term: str
    identifier: bool


class Step(BaseModel):
    """One edge of the evidence path."""

    upstream: str
    downstream: str
    kinds: list[EdgeKind]


class Mark(BaseModel):
    """What propagation concluded about one column, and why."""

    field: str
    status: Literal["derived", "aggregate"]
    source: str
    source_term: str
    path: list[Step] = Field(default_factory=list)
    identifier: bool = False
    reason: Literal["lineage", "person_grain", "person_rows"] = "lineage"
    basis: str | None = None  # the identifier column behind a person_grain or person_rows


class BlockedStep(BaseModel):
    """A blocked edge that stopped propagation, with the steward's reason."""

    upstream: str
    downstream: str
    reason: str


class Propagation(BaseModel):
    """Every mark, and the blocked edges that held something back."""

    marks: dict[str, Mark] = Field(default_factory=dict)
    blocked: list[BlockedStep] = Field(default_factory=list)


class _State(NamedTuple):
    status: Status
    identifier: bool
    source: str
    previous: str | None
    reason: Literal["lineage", "person_grain", "person_rows"] = "lineage"
    basis: str | None = None


def propagate(
    graph: LineageGraph,
    sources: dict[str, SourceMark],
    blocks: dict[tuple[str, str], str] | None = None,
) -> Propagation:
    """Marks for every column downstream of a personal-information column."""
    blocks = blocks or {}
    states = {
        field: _State("source", mark.identifier, field, None) for field, mark in sources.items()
    }
    blocked: dict[tuple[str, str], str] = {}
    aggregations = _aggregation_edges(graph)
    # sources and successors taken in name order: the same marks and paths whatever order
    # a database returned the rows in
    queue = deque(sorted(states))
    also: dict[str, _State] = {}  # sources that lineage reaches too
    while queue:
        _spread(graph, states, queue, blocks, blocked, also)
        queue.extend(_person_grain(states))
        queue.extend(_person_rows(graph, states, aggregations, blocks, blocked))
    result = Propagation(
        blocked=[BlockedStep(upstream=u, downstream=d, reason=r) for (u, d), r in blocked.items()]
    )
    marked = [(f, s) for f, s in states.items() if s.status != "source"] + list(also.items())
    for field, state in marked:
        result.marks[field] = Mark(
            field=field,
            status=state.status,  # type: ignore[arg-type]
            source=state.source,
            source_term=sources[state.source].term,
            path=_path(graph, states, field, state),
            identifier=state.identifier,
            reason=state.reason,
            basis=state.basis,
        )
    return result


def _spread(
    graph: LineageGraph,
    states: dict[str, _State],
    queue: deque[str],
    blocks: dict[tuple[str, str], str],
    blocked: dict[tuple[str, str], str],
    also: dict[str, _State],
) -> None:
    while queue:
        upstream = queue.popleft()
        here = states[upstream]
        if upstream not in graph.columns:
            continue
        for downstream in sorted(graph.columns.successors(upstream)):
            kinds = set(graph.kinds(upstream, downstream)) - {"filter_join"}
            if not kinds or not downstream.startswith("urn:li:schemaField:("):
                continue
            if (upstream, downstream) in blocks:
                blocked[(upstream, downstream)] = blocks[(upstream, downstream)]
                continue
            personal = here.status in ("source", "derived")
            status: Status = (
                "derived" if personal and kinds & {"copy", "transformation"} else "aggregate"
            )
            current = states.get(downstream)
            identifier = here.identifier and personal and "copy" in kinds
            reached = _State(status, identifier, here.source, upstream)
            if current is not None and current.status == "source":
                if downstream not in also or _better(reached, also[downstream]):
                    also[downstream] = reached
                continue
            if current is not None and not _better(reached, current):
                continue
            states[downstream] = reached
            queue.append(downstream)


def _better(new: _State, old: _State) -> bool:
    """Whether a path says more of a column than the one that reached it first: a higher
    status, or the same one and now an identifier (so the order of the edges never decides
    what a column is; between paths that say the same, the first found is the evidence)."""
    return (RANK[new.status], new.identifier) > (RANK[old.status], old.identifier)


def _person_grain(states: dict[str, _State]) -> list[str]:
    """Aggregates in a table that also carries an identifier (copied or found there) are derived."""
    identifiers: dict[str, str] = {}
    for field, state in sorted(states.items()):
        if state.identifier:
            identifiers.setdefault(split_node(field)[0], field)
    upgraded = []
    for field, state in sorted(states.items()):
        grain = identifiers.get(split_node(field)[0])
        if state.status == "aggregate" and grain:
            states[field] = state._replace(status="derived", reason="person_grain", basis=grain)
            upgraded.append(field)
    return upgraded


def _aggregation_edges(graph: LineageGraph) -> dict[str, list[tuple[str, str]]]:
    """Aggregation edges between columns, by upstream dataset."""
    found: dict[str, list[tuple[str, str]]] = {}
    for upstream, downstream, data in graph.columns.edges(data=True):
        if "aggregation" in data.get("kinds", ()) and downstream.startswith("urn:li:schemaField:"):
            found.setdefault(split_node(upstream)[0], []).append((upstream, downstream))
    return found


def _person_rows(
    graph: LineageGraph,
    states: dict[str, _State],
    aggregations: dict[str, list[tuple[str, str]]],
    blocks: dict[tuple[str, str], str],
    blocked: dict[tuple[str, str], str],
) -> list[str]:
    """Aggregates over the rows of tables that identify people are aggregates."""
    people: dict[str, str] = {}
    for field, state in sorted(states.items()):
        if state.identifier and state.status in ("source", "derived"):
            people.setdefault(split_node(field)[0], field)
    marked = []
    for dataset, identifier in people.items():
        for upstream, downstream in sorted(aggregations.get(dataset, [])):
            if downstream in states:
                continue
            if (upstream, downstream) in blocks:
                blocked[(upstream, downstream)] = blocks[(upstream, downstream)]
                continue
            source = states[identifier].source
            states[downstream] = _State(
                "aggregate", False, source, upstream, reason="person_rows", basis=identifier
            )
            marked.append(downstream)
    return marked


def _path(graph: LineageGraph, states: dict[str, _State], field: str, first: _State) -> list[Step]:
    steps: list[Step] = []
    node, previous = field, first.previous
    while previous is not None and len(steps) <= len(states):
        steps.append(
            Step(upstream=previous, downstream=node, kinds=list(graph.kinds(previous, node)))
        )
        if previous not in states:
            break
        node, previous = previous, states[previous].previous
    return steps[::-1]
