"""The lineage graph: traversal by depth, impact, paths and cycles."""

from lineage.graph import LineageGraph, field_urn
from lineage.models import ColumnEdge


def ds(name: str) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{name},PROD)"


def edge(up: str, up_col: str, down: str, down_col: str | None, kind: str) -> ColumnEdge:
    return ColumnEdge(
        upstream_table=ds(up),
        upstream_column=up_col,
        downstream_table=ds(down),
        downstream_column=down_col,
        kind=kind,
    )


def chain() -> LineageGraph:
    graph = LineageGraph()
    graph.add_edges(
        [
            edge("sis.eleves", "code_permanent", "stage.e", "cp", "copy"),
            edge("stage.e", "cp", "mart.m", "cp", "copy"),
            edge("stage.e", "cp", "mart.agg", "n", "aggregation"),
            edge("mart.m", "cp", "extrait.x", "id", "transformation"),
            edge("sis.eleves", "code_ecole", "mart.m", None, "filter_join"),
        ]
    )
    return graph


def test_down_and_up_respect_depth():
    graph = chain()
    start = field_urn(ds("sis.eleves"), "code_permanent")
    one = graph.traverse(start, "down", depth=1)
    assert set(one.nodes) == {start, field_urn(ds("stage.e"), "cp")}
    everything = graph.traverse(start, "down")
    assert everything.nodes[field_urn(ds("extrait.x"), "id")] == 3
    up = graph.traverse(field_urn(ds("extrait.x"), "id"), "up", depth=2)
    assert set(up.nodes) == {
        field_urn(ds("extrait.x"), "id"),
        field_urn(ds("mart.m"), "cp"),
        field_urn(ds("stage.e"), "cp"),
    }
    assert {e.kind for e in up.edges} == {"copy", "transformation"}
    datasets = graph.traverse(ds("sis.eleves"), "down")
    assert set(datasets.nodes) == {
        ds(n) for n in ("sis.eleves", "stage.e", "mart.m", "mart.agg", "extrait.x")
    }


def test_impact_lists_every_downstream_column_and_filtered_tables():
    impact = {d.name: d for d in chain().impact(field_urn(ds("sis.eleves"), "code_permanent"))}
    assert impact["stage.e"].columns == {"cp": ["copy"]}
    assert impact["mart.agg"].columns == {"n": ["aggregation"]}
    assert impact["extrait.x"].columns == {"id": ["transformation"]}
    assert impact["extrait.x"].depth == 3
    filtered = chain().impact(field_urn(ds("sis.eleves"), "code_ecole"))
    assert [(d.name, d.filtered_by, d.columns) for d in filtered] == [("mart.m", True, {})]


def test_path_and_cycles():
    graph = chain()
    path = graph.path(
        field_urn(ds("sis.eleves"), "code_permanent"), field_urn(ds("extrait.x"), "id")
    )
    assert path is not None and len(path) == 4
    assert graph.path(field_urn(ds("extrait.x"), "id"), field_urn(ds("sis.eleves"), "nom")) is None
    assert graph.cycles() == []
    graph.add_column_edge(edge("extrait.x", "id", "stage.e", "cp", "copy"))
    [cycle] = graph.cycles()
    assert set(cycle) == {ds("stage.e"), ds("mart.m"), ds("extrait.x")}


def test_a_longer_path_into_a_column_reached_sooner_keeps_its_edges():
    """The name goes to the mart twice: aggregated directly, and copied through a staging
    table. Impact shows both kinds, and the traversal both paths, within its depth."""
    graph = LineageGraph()
    graph.add_edges(
        [
            edge("sis.eleves", "nom", "mart.m", "nom", "aggregation"),
            edge("sis.eleves", "nom", "stage.e", "nom", "copy"),
            edge("stage.e", "nom", "mart.m", "nom", "copy"),
        ]
    )
    start = field_urn(ds("sis.eleves"), "nom")
    impact = {d.name: d for d in graph.impact(start)}
    assert impact["mart.m"].columns == {"nom": ["aggregation", "copy"]}
    everything = {(e.upstream, e.downstream) for e in graph.traverse(start, "down").edges}
    assert (field_urn(ds("stage.e"), "nom"), field_urn(ds("mart.m"), "nom")) in everything
    one = graph.traverse(start, "down", depth=1)
    assert {(e.upstream, e.downstream) for e in one.edges} == {
        (start, field_urn(ds("mart.m"), "nom")),
        (start, field_urn(ds("stage.e"), "nom")),
    }
