"""Lineage speed: SQL parsing beside plain ``sqlglot.lineage``, and graph queries at 1M edges.

    python benchmarks/lineage.py                   # 1,000 statements, 1M-edge graph
    python benchmarks/lineage.py --statements 3000 --edges 2000000

Parsing: the same generated ETL statements (CTAS with joins and GROUP BY, CTE + INSERT,
INSERT with a column list, UPDATE … FROM) go through Cartable's ``parse_script`` (DataHub's
parser plus SQLGlot's gap-fillers: every column, its edge kind, filter columns) and through
``sqlglot.lineage`` called once per output column — the way one gets column lineage from
SQLGlot alone — with the same schemas, in the same run.

Graph: a synthetic network of 1M column edges (organizations × domains, each a layered
flow from source tables through staging and marts to extracts), then, from random columns,
upstream to depth 10 and the impact analysis of a source column; p50 and p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")
# This file is named like the package it measures: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

SOURCES = {
    "sis.eleves": ["no_fiche", "code_permanent", "nom", "prenom", "date_naissance", "sexe"],
    "sis.inscriptions": ["no_fiche", "annee_scolaire", "code_ecole", "niveau"],
    "sis.resultats": ["no_fiche", "annee_scolaire", "matiere", "note"],
    "hdaa.plans": ["no_fiche", "code_difficulte", "date_plan"],
}
TEMPLATES = (
    # CTAS with joins, WHERE and GROUP BY
    """CREATE TABLE entrepot.mart_{i} AS
SELECT e.code_permanent, i.code_ecole, i.niveau, r.matiere,
       ROUND(AVG(r.note), 1) AS moyenne, COUNT(*) AS nb_notes,
       MAX(CASE WHEN r.note < 60 THEN 1 ELSE 0 END) AS echec
FROM sis.eleves e
JOIN sis.inscriptions i ON i.no_fiche = e.no_fiche
JOIN sis.resultats r ON r.no_fiche = e.no_fiche AND r.annee_scolaire = i.annee_scolaire
WHERE i.annee_scolaire = '2025-2026' AND i.niveau > {n}
GROUP BY e.code_permanent, i.code_ecole, i.niveau, r.matiere""",
    # CTE + INSERT without a column list
    """WITH plans AS (
    SELECT no_fiche, MAX(code_difficulte) AS code_difficulte, COUNT(*) AS nb
    FROM hdaa.plans GROUP BY no_fiche
)
INSERT INTO entrepot.stage_{i}
SELECT e.code_permanent, UPPER(e.nom) AS nom, e.sexe, p.code_difficulte, p.nb
FROM sis.eleves e LEFT JOIN plans p ON p.no_fiche = e.no_fiche
WHERE e.date_naissance > '20{n:02d}-01-01'""",
    # INSERT with a column list
    """INSERT INTO entrepot.suivi_{i} (code_permanent, ecole, absences)
SELECT e.code_permanent, i.code_ecole, COUNT(*)
FROM sis.eleves e JOIN sis.inscriptions i ON i.no_fiche = e.no_fiche
GROUP BY e.code_permanent, i.code_ecole""",
    # a wide student-profile mart (marts feeding models have many columns)
    """CREATE TABLE entrepot.profil_{i} AS
SELECT e.no_fiche, e.code_permanent, e.nom, e.prenom, e.date_naissance, e.sexe,
       i.annee_scolaire, i.code_ecole, i.niveau,
       AVG(CASE WHEN r.matiere = 'Français' THEN r.note END) AS francais,
       AVG(CASE WHEN r.matiere = 'Mathématique' THEN r.note END) AS mathematique,
       AVG(CASE WHEN r.matiere = 'Sciences' THEN r.note END) AS sciences,
       MIN(r.note) AS note_min, MAX(r.note) AS note_max, COUNT(r.note) AS nb_notes,
       MAX(p.code_difficulte) AS code_difficulte, MAX(p.date_plan) AS dernier_plan,
       CASE WHEN AVG(r.note) < 60 THEN 1 ELSE 0 END AS a_risque
FROM sis.eleves e
JOIN sis.inscriptions i ON i.no_fiche = e.no_fiche
LEFT JOIN sis.resultats r ON r.no_fiche = e.no_fiche AND r.annee_scolaire = i.annee_scolaire
LEFT JOIN hdaa.plans p ON p.no_fiche = e.no_fiche
WHERE i.niveau >= {n}
GROUP BY e.no_fiche, e.code_permanent, e.nom, e.prenom, e.date_naissance, e.sexe,
         i.annee_scolaire, i.code_ecole, i.niveau""",
    # UPDATE … FROM
    """UPDATE entrepot.bilan_{i} SET moyenne = r.note
FROM sis.resultats r WHERE r.no_fiche = entrepot.bilan_{i}.no_fiche AND r.matiere = 'M{n}'""",
)
TARGET_COLUMNS = {
    "stage": ["code_permanent", "nom", "sexe", "code_difficulte", "nb"],
    "suivi": ["code_permanent", "ecole", "absences"],
    "bilan": ["no_fiche", "moyenne"],
}


def statements(n: int) -> list[str]:
    """N generated statements, the templates in turn."""
    return [TEMPLATES[i % len(TEMPLATES)].format(i=i, n=i % 13) for i in range(n)]


def bench_cartable(sql: list[str]) -> tuple[float, int, int]:
    """Seconds, column edges found, statements with an error."""
    from datahub.sql_parsing.schema_resolver import SchemaResolver

    from lineage.parse import parse_script

    resolver = SchemaResolver(platform="postgres")
    for table, columns in SOURCES.items():
        resolver.add_raw_schema_info(
            f"urn:li:dataset:(urn:li:dataPlatform:postgres,db.{table},PROD)",
            dict.fromkeys(columns, "TEXT"),
        )
    for i in range(len(sql)):
        for prefix, columns in TARGET_COLUMNS.items():
            resolver.add_raw_schema_info(
                f"urn:li:dataset:(urn:li:dataPlatform:postgres,db.entrepot.{prefix}_{i},PROD)",
                dict.fromkeys(columns, "TEXT"),
            )
    start = time.perf_counter()
    parsed = parse_script(";\n".join(sql), dialect="postgres", default_db="db", schemas=resolver)
    seconds = time.perf_counter() - start
    return seconds, sum(len(s.columns) for s in parsed), sum(1 for s in parsed if s.error)


def bench_sqlglot(sql: list[str]) -> tuple[float, int, int]:
    """Seconds, column edges found, statements it cannot trace: sqlglot.lineage called once
    per output column on the statement's SELECT (with its CTEs)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.lineage import lineage

    schema: dict[str, dict[str, dict[str, str]]] = {}
    for table, columns in SOURCES.items():
        db, name = table.split(".")
        schema.setdefault(db, {})[name] = dict.fromkeys(columns, "TEXT")
    start = time.perf_counter()
    edges = unsupported = 0
    for text in sql:
        tree = sqlglot.parse_one(text, read="postgres")
        select = tree if isinstance(tree, exp.Select) else tree.expression
        if not isinstance(select, exp.Select):
            unsupported += 1  # UPDATE: sqlglot.lineage traces SELECTs only
            continue
        if tree.args.get("with_") and not select.args.get("with_"):
            select = select.copy()
            select.set("with_", tree.args["with_"].copy())
        names = []
        for i, item in enumerate(select.selects):
            if not item.alias_or_name or not isinstance(item, exp.Alias | exp.Column):
                item.replace(exp.alias_(item.copy(), f"_col_{i}"))
            names.append(select.selects[i].alias_or_name)
        for name in names:
            node = lineage(name, select, schema=schema, dialect="postgres")
            edges += sum(1 for n in node.walk() if not n.downstream)
    return time.perf_counter() - start, edges, unsupported


def synthetic_graph(edges: int, seed: int = 2026):  # type: ignore[no-untyped-def]
    """A LineageGraph of about ``edges`` column edges: partitions of layered flows."""
    from lineage.graph import LineageGraph, field_urn

    rng = random.Random(seed)
    graph = LineageGraph()
    layers, width, fan_in = 12, 160, 2
    per_partition = (layers - 1) * width * fan_in
    partitions = max(1, edges // per_partition)
    kinds = ("copy", "transformation", "aggregation", "filter_join")
    for p in range(partitions):
        tables = [
            f"urn:li:dataset:(urn:li:dataPlatform:postgres,org{p}.layer{layer}.t{t},PROD)"
            for layer in range(layers)
            for t in range(8)
        ]
        for layer in range(1, layers):
            for c in range(width):
                down = tables[layer * 8 + c % 8]
                for _ in range(fan_in):
                    u = rng.randrange(width)
                    graph.columns.add_edge(
                        field_urn(tables[(layer - 1) * 8 + u % 8], f"c{u}"),
                        field_urn(down, f"c{c}"),
                        kinds=(rng.choice(kinds[:3]),),
                    )
                    graph.datasets.add_edge(tables[(layer - 1) * 8 + u % 8], down)
    return graph, partitions, layers, width


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_graph(edges: int, queries: int) -> list[tuple[str, float, float, int]]:
    """(query, p50 ms, p95 ms, nodes reached on average) of the graph queries."""
    from lineage.graph import field_urn

    start = time.perf_counter()
    graph, partitions, layers, width = synthetic_graph(edges)
    built = time.perf_counter() - start
    print(
        f"graph: {graph.columns.number_of_edges():,} column edges, "
        f"{graph.columns.number_of_nodes():,} columns, built in {built:.1f} s"
    )
    rng = random.Random(7)
    results = []
    for name, layer, direction, depth in (
        ("upstream, depth 10", layers - 1, "up", 10),
        ("impact of a source column (all depths)", 0, "down", None),
    ):
        times, reached = [], []
        for _ in range(queries):
            p, c = rng.randrange(partitions), rng.randrange(width)
            table = (
                f"urn:li:dataset:(urn:li:dataPlatform:postgres,org{p}.layer{layer}.t{c % 8},PROD)"
            )
            node = field_urn(table, f"c{c}")
            t0 = time.perf_counter()
            if direction == "down":
                found = len(graph.impact(node))
            else:
                found = len(graph.traverse(node, "up", depth).nodes)
            times.append((time.perf_counter() - t0) * 1000)
            reached.append(found)
        results.append(
            (name, statistics.median(times), percentile(times, 0.95), int(statistics.mean(reached)))
        )
    return results


def main() -> None:
    """Run both benchmarks and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    sql = statements(args.statements)
    ours = bench_cartable(sql)
    theirs = bench_sqlglot(sql)
    print(f"\nParsing {len(sql):,} statements (postgres dialect, schemas known)")
    print(f"{'':<38}{'seconds':>9}{'stmts/s':>10}{'edges':>9}{'not traced':>12}")
    for label, (seconds, edges, failed) in (
        ("Cartable parse_script", ours),
        ("sqlglot.lineage per output column", theirs),
    ):
        print(f"{label:<38}{seconds:>9.2f}{len(sql) / seconds:>10.0f}{edges:>9,}{failed:>12}")
    print(f"speed-up: {theirs[0] / ours[0]:.1f}x")

    print(f"\nGraph queries ({args.queries} random starts each)")
    print(f"{'query':<42}{'p50 ms':>9}{'p95 ms':>9}{'reached':>10}")
    for name, p50, p95, reached in bench_graph(args.edges, args.queries):
        print(f"{name:<42}{p50:>9.2f}{p95:>9.2f}{reached:>10,}")


if __name__ == "__main__":
    main()
