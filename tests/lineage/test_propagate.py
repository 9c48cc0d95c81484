"""Sensitivity propagation rules, one case per row."""

import pytest

from catalog import pi_terms
from lineage.graph import LineageGraph, field_urn
from lineage.models import ColumnEdge
from lineage.propagate import SourceMark, propagate


def ds(name: str) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{name},PROD)"


def f(ref: str) -> str:
    table, column = ref.split("#")
    return field_urn(ds(table), column)


def graph_of(*edges: tuple[str, str, str]) -> LineageGraph:
    graph = LineageGraph()
    for up, down, kind in edges:
        up_table, up_column = up.split("#")
        down_table, _, down_column = down.partition("#")
        graph.add_column_edge(
            ColumnEdge(
                upstream_table=ds(up_table),
                upstream_column=up_column,
                downstream_table=ds(down_table),
                downstream_column=down_column or None,
                kind=kind,
            )
        )
    return graph


CP = SourceMark(pi_terms.term_urn("code_permanent"), identifier=True)
BIRTH = SourceMark(pi_terms.term_urn("birth_date"), identifier=False)


@pytest.mark.parametrize(
    ("edges", "sources", "expected"),
    [
        # a copy of an identifier is derived personal information, and still an identifier
        ([("s.e#cp", "m.t#cp", "copy")], {"s.e#cp": CP}, {"m.t#cp": ("derived", "lineage")}),
        # a transformation (age from the date of birth) too
        (
            [("s.e#ddn", "m.t#age", "transformation")],
            {"s.e#ddn": BIRTH},
            {"m.t#age": ("derived", "lineage")},
        ),
        # an average over personal information is an aggregate, not personal information
        (
            [("s.e#ddn", "m.t#age_moyen", "aggregation")],
            {"s.e#ddn": BIRTH},
            {"m.t#age_moyen": ("aggregate", "lineage")},
        ),
        # filter and join columns derive nothing
        ([("s.e#cp", "m.t", "filter_join")], {"s.e#cp": CP}, {}),
        # an aggregate in a table that keeps the code permanent is about one person
        (
            [("s.e#cp", "m.t#cp", "copy"), ("s.e#ddn", "m.t#age", "aggregation")],
            {"s.e#cp": CP, "s.e#ddn": BIRTH},
            {"m.t#cp": ("derived", "lineage"), "m.t#age": ("derived", "person_grain")},
        ),
        # the same when the scan found the code permanent in that table on its own
        (
            [("s.e#ddn", "m.t#age", "aggregation")],
            {"m.t#cp": CP, "s.e#ddn": BIRTH},
            {"m.t#age": ("derived", "person_grain")},
        ),
        # a count over a table of people is an aggregate of personal information
        (
            [("s.e#ecole", "m.t#nb", "aggregation")],
            {"s.e#cp": CP},
            {"m.t#nb": ("aggregate", "person_rows")},
        ),
        # what follows an aggregate stays an aggregate
        (
            [("s.e#ddn", "m.t#a", "aggregation"), ("m.t#a", "m.u#a", "copy")],
            {"s.e#ddn": BIRTH},
            {"m.t#a": ("aggregate", "lineage"), "m.u#a": ("aggregate", "lineage")},
        ),
    ],
)
def test_rules(edges, sources, expected):
    result = propagate(graph_of(*edges), {f(k): v for k, v in sources.items()})
    assert {field: (m.status, m.reason) for field, m in result.marks.items()} == {
        f(k): v for k, v in expected.items()
    }


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (2, 3, 0, 1)])
def test_an_identifier_reached_by_a_transformation_and_by_copies_stays_an_identifier(order):
    """Two paths to the mart's code permanent: one transforms it, one copies it. Whichever
    edges load first, it is an identifier, so the average beside it is about one person."""
    edges = [
        ("s.e#cp", "a.t#cp", "transformation"),
        ("a.t#cp", "m.t#cp", "copy"),
        ("s.e#cp", "b.t#cp", "copy"),
        ("b.t#cp", "m.t#cp", "copy"),
    ]
    graph = graph_of(*(edges[i] for i in order), ("s.e#note", "m.t#moyenne", "aggregation"))
    result = propagate(graph, {f("s.e#cp"): CP})
    assert result.marks[f("m.t#cp")].identifier
    assert (result.marks[f("m.t#moyenne")].status, result.marks[f("m.t#moyenne")].reason) == (
        "derived",
        "person_grain",
    )


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (2, 4, 0, 3, 1)])
def test_the_marks_do_not_depend_on_the_order_the_edges_were_loaded_in(order):
    """Two sources reach the mart's average by paths that say the same (a database returns
    rows in its own order): the mark, its source and its path are the same every time."""
    edges = [
        ("s.e#note_fr", "a.t#moyenne", "transformation"),
        ("s.e#note_ma", "b.t#moyenne", "transformation"),
        ("a.t#moyenne", "m.t#moyenne", "copy"),
        ("b.t#moyenne", "m.t#moyenne", "copy"),
        ("s.e#note_fr", "m.t#nb", "aggregation"),
    ]
    graph = graph_of(*(edges[i] for i in order))
    sources = {f("s.e#note_ma"): BIRTH, f("s.e#note_fr"): BIRTH}
    mark = propagate(graph, sources).marks[f("m.t#moyenne")]
    assert (mark.status, mark.source) == ("derived", f("s.e#note_fr"))
    assert [step.upstream for step in mark.path] == [f("s.e#note_fr"), f("a.t#moyenne")]


def test_a_column_detected_on_its_own_still_gets_its_lineage_mark():
    graph = graph_of(("s.e#cp", "m.t#cp", "copy"), ("m.t#cp", "x.y#cp", "copy"))
    result = propagate(graph, {f("s.e#cp"): CP, f("m.t#cp"): CP})
    assert result.marks[f("m.t#cp")].status == "derived"
    assert result.marks[f("m.t#cp")].source == f("s.e#cp")
    assert result.marks[f("x.y#cp")].status == "derived"


def test_the_path_is_the_evidence():
    graph = graph_of(("s.e#cp", "x.a#cp", "copy"), ("x.a#cp", "m.t#id", "transformation"))
    mark = propagate(graph, {f("s.e#cp"): CP}).marks[f("m.t#id")]
    assert mark.source == f("s.e#cp") and mark.source_term == CP.term
    assert [(s.upstream, s.downstream, s.kinds) for s in mark.path] == [
        (f("s.e#cp"), f("x.a#cp"), ["copy"]),
        (f("x.a#cp"), f("m.t#id"), ["transformation"]),
    ]
    assert mark.identifier is False  # transformed: no longer a copy of the identifier


def test_a_blocked_edge_stops_propagation_and_says_why():
    graph = graph_of(("s.e#cp", "x.a#h", "transformation"), ("x.a#h", "m.t#h", "copy"))
    reason = "hachage irréversible avec sel détruit"
    result = propagate(graph, {f("s.e#cp"): CP}, {(f("s.e#cp"), f("x.a#h")): reason})
    assert result.marks == {}
    assert [(b.upstream, b.downstream, b.reason) for b in result.blocked] == [
        (f("s.e#cp"), f("x.a#h"), reason)
    ]
