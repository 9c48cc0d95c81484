"""Search: latency and top-3 accuracy of Cartable's search beside DataHub Lite's own search,
on the same 100,000 generated datasets, in one run.

    python benchmarks/search.py                    # 100,000 datasets, 200 queries
    python benchmarks/search.py --datasets 5000    # a quick try
    python benchmarks/search.py --json

**Corpus** (``search_corpus/``, seeded, generated on the fly; Faker ``fr_CA``/``en_CA``): the
72 organizations of the network (``css-01``…``css-60``, ``cs-01``…``cs-12``; larger ones
hold more datasets) and their schools; datasets on sqlite, postgres, mysql and file
platforms from 30 kinds of table (eleve, inscription, resultat_epreuve, plan_intervention,
absence, personnel, classe_emploi, batiment, indice_vetuste, bon_travail, budget,
declaration_clientele, taux_diplomation…) with modifiers and suffixes (``_hdaa``, ``_2019``,
``_hist``…), legacy UPPERCASE names with accents (``ÉLÈVES_HDAA``), English names in the
anglophone boards; descriptions in French or English naming a school, a year, the
organization or the system; 5–30 columns, 40 % described; some tags, glossary terms, owners,
domains, steward's notes, 1 % removed. Each dataset is written as DataHub aspects
(``status``, ``datasetProperties``, ``schemaMetadata``, ``subTypes``,
``dataPlatformInstance``, ``domains``, ``ownership``, ``globalTags``, ``glossaryTerms``,
``editableDatasetProperties``); the same stream goes through both stores' DataHub sinks.

**Queries** (``search_corpus/queries.py``): each is built from one target dataset's own
words — name words and the organization (``eleves hdaa css-12``), a truncated word
(``indice vetus``), description words (a school, a topic, a year), a column name, the
organization's name and a topic, French and English mixed, legacy names typed without
accents — in lower case and without accents, and kept only when no other dataset holds
every word under a lenient rule (any text of the dataset, by prefix, with or without a
plural ``s``): the target is the one dataset that can match all the words. A hit is the
target among the first 3 results.

**Systems**, each in its own process, loading then querying:

- DataHub Lite: its ``datahub-lite`` sink (SQLite, with Cartable's journal settings:
  ``journal_mode=WAL``, ``synchronous=NORMAL``, through Lite's own ``options``), then
  ``DataHubLiteLocal.search(query, SearchFlavor.FREE_TEXT)``: the ranking is the order of
  the distinct URNs it returns (its free-text flavor matches the whole query as a substring
  of the URN or of ``datasetProperties.name``);
- Cartable: the ``cartable`` sink, then ``catalog.search.Search(catalog).query(text,
  limit=20)``; and the search page (``ui/app_pages/discover.py``) rendered with Streamlit's
  ``AppTest`` on the same catalogue.

Load times are reported, not targets. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGETS = {"p95_ms": 20.0, "top3_share": 0.95, "page_seconds": 1.0}
WARM_UP = ("eleve", "budget css-01", "absences 2019")
LIMIT = 20
LANDING_RENDERS = 3  # the page as it opens, nothing typed yet
SEED = 2026


# --- a worker: one system, in its own process ------------------------------------------


def _load(system: str, folder: Path) -> float:
    """Write the corpus through the system's DataHub sink; seconds (aspects built included)."""
    from datahub.ingestion.api.common import PipelineContext, RecordEnvelope
    from search_corpus.corpus import proposals

    datasets = pickle.loads((folder / "corpus.pickle").read_bytes())
    ctx = PipelineContext(run_id=f"bench-search-{system}")
    start = time.perf_counter()
    if system == "cartable":
        from catalog.sink import CartableSink

        sink: Any = CartableSink.create({"db_url": _catalog_url(folder), "record_run": False}, ctx)
    else:
        from datahub.ingestion.sink.datahub_lite import DataHubLiteSink

        sink = DataHubLiteSink.create({"type": "sqlite", "config": _lite_config(folder)}, ctx)
    for dataset in datasets:
        for record in proposals(dataset):
            sink.write_record_async(RecordEnvelope(record, {}), None)
    sink.close()
    return time.perf_counter() - start


def _catalog_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'catalog.db'}"


def _lite_config(folder: Path, read_only: bool = False) -> dict[str, Any]:
    options = {"journal_mode": "WAL", "synchronous": "NORMAL"}
    return {"file": str(folder / "lite.db"), "options": options, "read_only": read_only}


def _lite_searcher(folder: Path) -> Any:
    from datahub.lite.lite_local import SearchFlavor
    from datahub.lite.lite_util import get_datahub_lite

    lite = get_datahub_lite({"type": "sqlite", "config": _lite_config(folder, True)}, True)

    def search(text: str) -> tuple[list[str], int]:
        urns: list[str] = []
        for found in lite.search(text, SearchFlavor.FREE_TEXT, snippet=False):
            if found.id not in urns:
                urns.append(found.id)
        return urns, len(urns)

    return search


def _cartable_searcher(folder: Path) -> Any:
    from catalog.search import Search
    from catalog.service import Catalog

    search = Search(Catalog.open(_catalog_url(folder)))

    def query(text: str) -> tuple[list[str], int]:
        results = search.query(text, limit=LIMIT)
        return [hit.urn for hit in results.hits], int(results.total)

    return query


def _run_queries(searcher: Any, queries: list[dict[str, str]]) -> list[dict[str, Any]]:
    for text in WARM_UP:
        searcher(text)
    measured = []
    for query in queries:
        start = time.perf_counter()
        urns, total = searcher(query["text"])
        seconds = time.perf_counter() - start
        rank = urns.index(query["expected"]) + 1 if query["expected"] in urns else None
        measured.append({"ms": seconds * 1000, "rank": rank, "total": total, "top": urns[:3]})
    return measured


def _render_page(folder: Path, queries: list[dict[str, str]], renders: int) -> dict[str, Any]:
    """Découvrir through AppTest, signed in as an analyst: seconds per run after typing."""
    if not (REPO / "ui" / "app_pages" / "discover.py").exists():
        return {"measured": False, "reason": "not measured: page missing (app_pages/discover.py)"}
    # This folder's lineage.py would stand in for the lineage package the app imports.
    sys.path[:] = [p for p in sys.path if p and Path(p).resolve() != HERE]
    from streamlit.testing.v1 import AppTest

    from catalog.roles import Account
    from ui.components import catalog as cached_catalog

    os.environ["CARTABLE_DB_URL"] = _catalog_url(folder)
    cached_catalog.clear()
    app = AppTest.from_file(str(REPO / "ui" / "streamlit_app.py"), default_timeout=120)
    app.session_state["account"] = Account(
        username="analyste", display_name="Analyste", roles=["analyst"]
    )
    app.run()
    app.switch_page("app_pages/discover.py").run()
    seconds, shown = [], 0
    for k in range(renders + 1):  # the first render warms Streamlit's and SQLite's caches
        app.text_input(key="discover_query").input(queries[k % len(queries)]["text"])
        elapsed = _timed_run(app)
        if app.exception:
            return {"measured": False, "reason": f"page raised: {app.exception[0].message}"}
        if k:
            seconds.append(elapsed)
            shown += any(b.key == "open_1" for b in app.button)
    app.text_input(key="discover_query").input("")
    landing = [_timed_run(app) for _ in range(LANDING_RENDERS)]
    return {"measured": True, "seconds": seconds, "with_results": shown, "landing": landing}


def _timed_run(app: Any) -> float:
    start = time.perf_counter()
    app.run()
    return time.perf_counter() - start


def run_worker(system: str, folder: Path, renders: int, profile: bool) -> dict[str, Any]:
    queries = json.loads((folder / "queries.json").read_text())
    load_seconds = _load(system, folder)
    searcher = _cartable_searcher(folder) if system == "cartable" else _lite_searcher(folder)
    result: dict[str, Any] = {"load_seconds": load_seconds}
    if profile and system == "cartable":
        import cProfile

        with cProfile.Profile() as profiler:
            result["queries"] = _run_queries(searcher, queries)
        profiler.dump_stats(folder / "cartable.prof")
    else:
        result["queries"] = _run_queries(searcher, queries)
    if system == "cartable":
        result["page"] = _render_page(folder, queries, renders)
    return result


# --- the parent: corpus, queries, both systems, the report -----------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def _worker(system: str, folder: Path, args: argparse.Namespace) -> dict[str, Any] | str:
    """Run one system in its own process: its results, or why it failed."""
    command = [sys.executable, __file__, "--worker", system, "--dir", str(folder)]
    command += ["--renders", str(args.renders)] + (["--profile"] if args.profile else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        return f"failed: {(done.stderr.strip().splitlines() or ['?'])[-1][:80]}"
    return json.loads((folder / f"{system}.json").read_text())


def _cartable_ready() -> str | None:
    """Why Cartable cannot be measured yet, or None."""
    try:
        from catalog.search import Search  # noqa: F401
    except ImportError as exc:
        return f"not measured: catalog.search missing ({exc})"
    return None


def _row(system: str, n: int, queries: list[Any], result: dict[str, Any]) -> dict[str, Any]:
    times = [q["ms"] for q in result["queries"]]
    hits = sum(1 for q in result["queries"] if q["rank"] is not None and q["rank"] <= 3)
    kinds: dict[str, list[int]] = {}
    for query, measured in zip(queries, result["queries"], strict=True):
        good = measured["rank"] is not None and measured["rank"] <= 3
        kinds.setdefault(query.kind, [0, 0])[0] += good
        kinds[query.kind][1] += 1
    return {
        "system": system, "datasets": n, "queries": len(times),
        "p50_ms": round(statistics.median(times), 2), "p95_ms": round(_percentile(times, 0.95), 2),
        "top3_share": round(hits / len(times), 3), "load_seconds": round(result["load_seconds"], 1),
        "top3_by_kind": {k: f"{good}/{count}" for k, (good, count) in sorted(kinds.items())},
        "answered": sum(1 for q in result["queries"] if q["total"]),
    }  # fmt: skip


def _misses(queries: list[Any], result: dict[str, Any], names: dict[str, str]) -> list[Any]:
    misses = []
    for query, measured in zip(queries, result["queries"], strict=True):
        if measured["rank"] is None or measured["rank"] > 3:
            misses.append({
                "query": query.text, "kind": query.kind, "expected": query.expected_name,
                "rank": measured["rank"], "total": measured["total"],
                "top3": [names.get(urn, urn) for urn in measured["top"]],
            })  # fmt: skip
    return misses


def run(args: argparse.Namespace) -> dict[str, Any]:
    from search_corpus.corpus import generate
    from search_corpus.organizations import organizations
    from search_corpus.queries import make_queries

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cartable-search-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        say(f"generating {args.datasets:,} datasets and {args.queries} queries…")
        datasets = generate(args.datasets, SEED)
        orgs = {o.code: o.name for o in organizations(SEED)}
        queries = make_queries(datasets, args.queries, SEED + 1, orgs)
        names = {d.urn: d.name for d in datasets}
        (folder / "corpus.pickle").write_bytes(pickle.dumps(datasets))
        (folder / "queries.json").write_text(
            json.dumps([{"text": q.text, "expected": q.expected} for q in queries])
        )
        rows: list[dict[str, Any]] = []
        misses: list[Any] = []
        page, measured = None, {}
        for system in args.systems:
            note = _cartable_ready() if system == "cartable" else None
            result = note or _worker(system, folder, args)
            if isinstance(result, str):
                rows.append({"system": system, "datasets": args.datasets, "note": result})
                continue
            say(f"{system}: loaded and queried")
            rows.append(_row(system, args.datasets, queries, result))
            measured[system] = result["queries"]
            if system == "cartable":
                misses = _misses(queries, result, names)
                page = result["page"]
                if args.profile:
                    _print_profile(folder / "cartable.prof")
    cartable = next((r for r in rows if r["system"] == "cartable" and "p95_ms" in r), None)
    return {
        "datasets": args.datasets, "code": _code_version(), "rows": rows,
        "cartable_misses": misses,
        "page": _page_summary(page), "targets": _targets(cartable, page),
        "seconds": round(time.perf_counter() - started, 1),
        "queries": [q.__dict__ for q in queries], "measured": measured,
    }  # fmt: skip


def _code_version() -> str:
    """The commit of the measured catalogue and UI code, and whether it had local changes."""
    import catalog

    root = Path(catalog.__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "catalog", "ui")
    return f"{git('rev-parse', '--short', 'HEAD')}{' + local changes' if changed else ''} ({root})"


def _print_profile(path: Path) -> None:
    """Where Cartable's query time goes: the profile's top functions, on stderr."""
    import pstats

    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def _page_summary(page: dict[str, Any] | None) -> dict[str, Any]:
    if page is None:
        return {"measured": False, "reason": "not measured: Cartable not measured"}
    if not page["measured"]:
        return page
    seconds = page["seconds"]
    return {
        "measured": True, "renders": len(seconds), "p50_s": round(statistics.median(seconds), 3),
        "p95_s": round(_percentile(seconds, 0.95), 3), "max_s": round(max(seconds), 3),
        "with_results": page["with_results"],
        "landing_renders": len(page["landing"]),
        "landing_p50_s": round(statistics.median(page["landing"]), 3),
        "landing_max_s": round(max(page["landing"]), 3),
    }  # fmt: skip


def _targets(cartable: dict[str, Any] | None, page: dict[str, Any] | None) -> dict[str, Any]:
    summary = _page_summary(page)
    return {
        "p95 under 20 ms": cartable["p95_ms"] < TARGETS["p95_ms"] if cartable else None,
        "expected dataset in the top 3 for >= 95 % of queries": (
            cartable["top3_share"] >= TARGETS["top3_share"] if cartable else None
        ),
        "search page renders in under 1 s (p95, a query typed)": (
            summary["p95_s"] < TARGETS["page_seconds"] if summary["measured"] else None
        ),
        "search page renders in under 1 s (as it opens, nothing typed)": (
            summary["landing_max_s"] < TARGETS["page_seconds"] if summary["measured"] else None
        ),
    }


def print_report(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=132)
    table = Table(title=f"Search, {result['datasets']:,} datasets", title_justify="left")
    for i, header in enumerate(("system", "datasets", "queries", "p50 ms", "p95 ms",
                                "top-3 share", "load s")):  # fmt: skip
        table.add_column(header, justify="left" if i == 0 else "right")
    for row in result["rows"]:
        if "note" in row:
            table.add_row(row["system"], f"{row['datasets']:,}", row["note"], "", "", "", "")
            continue
        table.add_row(
            row["system"], f"{row['datasets']:,}", str(row["queries"]), f"{row['p50_ms']:.2f}",
            f"{row['p95_ms']:.2f}", f"{row['top3_share']:.1%}", f"{row['load_seconds']:.1f}",
        )  # fmt: skip
    console.print(table)
    for row in result["rows"]:
        if "top3_by_kind" in row:
            kinds = ", ".join(f"{k} {v}" for k, v in row["top3_by_kind"].items())
            console.print(
                f"{row['system']}: {row['answered']} queries with results; "
                f"top 3 by kind of query: {kinds}"
            )
    page = result["page"]
    if page["measured"]:
        console.print(
            f"search page (AppTest, {page['renders']} renders): p50 {page['p50_s']:.3f} s, "
            f"p95 {page['p95_s']:.3f} s, max {page['max_s']:.3f} s; "
            f"{page['with_results']} of them listed results"
        )
        console.print(
            f"search page as it opens, nothing typed ({page['landing_renders']} renders): "
            f"p50 {page['landing_p50_s']:.3f} s, max {page['landing_max_s']:.3f} s"
        )
    else:
        console.print(f"search page: {page['reason']}")
    for target, met in result["targets"].items():
        verdict = "not measured" if met is None else "met" if met else "NOT MET"
        console.print(f"target: {target}: {verdict}")
    misses = result["cartable_misses"]
    if misses:
        console.print(f"Cartable's misses ({len(misses)}; first 10): query → expected (rank)")
        for miss in misses[:10]:
            rank = miss["rank"] or f"> {LIMIT}"
            console.print(
                f"  [{miss['kind']}] {miss['query']!r} → {miss['expected']} (rank {rank}, "
                f"{miss['total']} results); top 3: {', '.join(miss['top3']) or '—'}"
            )
    console.print(f"whole run: {result['seconds']:.0f} s; code measured: {result['code']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--renders", type=int, default=20, help="search page renders timed")
    parser.add_argument(
        "--systems", nargs="+", default=["cartable", "datahub-lite"],
        choices=["cartable", "datahub-lite"], help="which to measure (default: both)",
    )  # fmt: skip
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile Cartable's queries (cProfile, on stderr; slower queries then)",
    )
    parser.add_argument("--keep", help="build in this folder and keep it (default: a temp one)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        folder = Path(args.dir)
        result = run_worker(args.worker, folder, args.renders, args.profile)
        (folder / f"{args.worker}.json").write_text(json.dumps(result))
        return
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
