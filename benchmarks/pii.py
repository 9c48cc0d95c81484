"""Personal-information scan speed: Cartable's full scan beside vanilla Presidio analysing
every sampled cell of the same tables, in one run, with the quality of Cartable's findings.

    python benchmarks/pii.py                  # the 200-table network
    python benchmarks/pii.py --tables 40      # a quick try
    python benchmarks/pii.py --json

A network of SQLite databases is generated (Faker fr_CA, fixed seed: students, results,
attendance, addresses, health, notes in French and English, HDAA plans, staff, a legacy
export whose column names say nothing, drivers, schools, buildings, work orders,
indicators; 25 to 2,500 rows) and ingested into a temporary catalogue. Then, each in its
own process, whose process tree's peak memory (RSS) is sampled:

- Cartable: ``PiiScanner`` over every dataset with the parallel workers (default sample
  100), then recording the findings — the whole of ``cartable pii scan --all``, worker
  start-up and model loading included; once more in one process for comparison;
- vanilla Presidio: ``AnalyzerEngine`` with spaCy ``fr_core_news_md`` and the default
  recognizers over every cell of the same samples, batched through ``BatchAnalyzerEngine``
  (``nlp.pipe``, the faster way), and cell by cell with ``analyze()`` on every k-th table.
  Only the analysis is timed (model loading and sampling are not).

Both read exactly the same rows: SQLite's ``random()``, which the sampling query orders by,
is seeded in the benchmark's processes (``pii_network/same_draws.py``). Quality: the
generator knows each column's term; precision and recall are per column. Nothing prints a
value: counts and column names only. ``psutil`` comes with acryl-datahub.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

TARGET_SPEEDUP = 10.0
TARGET_PEAK_MB = 2048
VANILLA_SHARE = 0.5  # vanilla calls a column personal when half its cells hold an entity


# --- the processes measured --------------------------------------------------------------


def run_cartable(folder: Path, catalog: str, workers: int | None, sample: int) -> dict[str, Any]:
    """Scan every dataset and record the findings; seconds and what was found."""
    from pii_network import same_draws

    from anonymization.analyzer import network_analyzer
    from anonymization.parallel_scan import resolve_workers, scan_datasets
    from anonymization.scan import PiiScanner
    from catalog.network import load_network
    from catalog.service import Catalog

    same_draws()
    start = time.perf_counter()
    store = Catalog.open(catalog)
    scanner = PiiScanner(store, load_network(folder / "network.yml"), network_analyzer, sample)
    urns = [d.urn for d in store.entities("dataset")]
    scans = scan_datasets(scanner, urns, workers=workers, worker_setup=same_draws)
    scanned = time.perf_counter()
    written = scanner.record(scans)
    seconds = time.perf_counter() - start
    store.close()
    return {
        "seconds": seconds,
        "record_seconds": seconds - (scanned - start),
        "workers": resolve_workers(workers, len(urns)),
        "tables": len(scans),
        "columns": sum(len(s.findings) for s in scans),
        "cells": sum(f.evidence.sampled for s in scans for f in s.findings),
        "errors": sum(1 for s in scans if s.error),
        "written": written,
        "found": {s.dataset: {f.column: f.term for f in s.personal} for s in scans},
    }


def run_vanilla(folder: Path, catalog: str, sample: int, every: int) -> dict[str, Any]:
    """Presidio out of the box over every cell of the same samples: batched over all tables,
    and cell by cell over every ``every``-th table."""
    from pii_network import same_draws
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    import anonymization.offline  # noqa: F401  (tldextract reads its bundled list)
    from anonymization.sampling import locate, sample_values
    from catalog.network import load_network
    from catalog.service import Catalog

    same_draws()
    models = [{"lang_code": "fr", "model_name": "fr_core_news_md"}]
    nlp = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": models}
    ).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp, supported_languages=["fr"])
    batch = BatchAnalyzerEngine(analyzer_engine=engine)
    engine.analyze("Préchauffage du modèle.", language="fr")
    store = Catalog.open(catalog)
    network = load_network(folder / "network.yml")
    urns = [d.urn for d in store.entities("dataset")]
    store.close()
    batched = {"seconds": 0.0, "tables": 0, "columns": 0, "cells": 0}
    per_cell = {"seconds": 0.0, "tables": 0, "columns": 0, "cells": 0}
    sampling, found = 0.0, {}
    for index, urn in enumerate(urns):
        t0 = time.perf_counter()
        source = locate(urn, network)
        samples = sample_values(source, sample) if source else {}
        sampling += time.perf_counter() - t0
        found[urn] = []
        for column, values in samples.items():
            t0 = time.perf_counter()
            results = list(batch.analyze_iterator(values, language="fr", batch_size=64))
            batched["seconds"] += time.perf_counter() - t0
            batched["columns"] += 1
            batched["cells"] += len(values)
            if values and sum(1 for r in results if r) >= VANILLA_SHARE * len(values):
                found[urn].append(column)
            if index % every == 0:
                t0 = time.perf_counter()
                for value in values:
                    engine.analyze(value, language="fr")
                per_cell["seconds"] += time.perf_counter() - t0
                per_cell["columns"] += 1
                per_cell["cells"] += len(values)
        batched["tables"] += 1
        per_cell["tables"] += index % every == 0
    return {"batched": batched, "per_cell": per_cell, "sampling": sampling, "found": found}


# --- the parent: generate, ingest, measure, compare --------------------------------------


def measure(args: list[str]) -> tuple[dict[str, Any], float]:
    """Run this file with ``args`` in a child process: (its result, peak MB of its tree)."""
    import psutil

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        child = psutil.Popen([sys.executable, __file__, *args, "--out", out.name])
        peak = 0
        while child.poll() is None:
            try:
                tree = [child, *child.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in tree))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.1)
        if child.returncode:
            raise SystemExit(f"the measured process failed: {args}")
        return json.loads(Path(out.name).read_text()), peak / 2**20


def _rss(process: Any) -> int:
    import psutil

    try:
        return int(process.memory_info().rss)
    except psutil.NoSuchProcess:
        return 0


def copy_catalog(source: Path, target: Path) -> str:
    """A copy of the SQLite catalogue, so that each scan records into a fresh one."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def quality(truth: dict[str, dict[str, str | None]], found: dict[str, Any]) -> dict[str, Any]:
    """Column-level precision and recall: personal or not, and with the right term."""
    expected = {(u, c): t for u, cols in truth.items() for c, t in cols.items() if t}
    if isinstance(next(iter(found.values()), {}), dict):
        got = {(u, c): t for u, cols in found.items() for c, t in cols.items()}
    else:
        got = {(u, c): None for u, cols in found.items() for c in cols}
    terms = any(t is not None for t in got.values())
    hit = expected.keys() & got.keys()
    right = {k for k in hit if got[k] == expected[k]}
    misses = sorted(
        f"{u.split(',')[1].split('.', 1)[1]}.{c}: {expected.get((u, c))} → {got.get((u, c))}"
        for u, c in (expected.keys() | got.keys()) - right
    )
    return {
        "labelled": len(expected),
        "found": len(got),
        "precision": len(hit) / len(got) if got else 0.0,
        "recall": len(hit) / len(expected) if expected else 0.0,
        "term_precision": len(right) / len(got) if got and terms else None,
        "term_recall": len(right) / len(expected) if expected and terms else None,
        "misses": misses,
    }


def rate_row(name: str, r: dict[str, Any], peak: float | None, base: float) -> dict[str, Any]:
    """One row of the table: throughputs and speed-up against ``base`` cells/s."""
    cells_s = r["cells"] / r["seconds"] if r["seconds"] else 0.0
    return {
        "engine": name,
        "tables": r["tables"],
        "columns": r["columns"],
        "cells": r["cells"],
        "seconds": round(r["seconds"], 2),
        "columns_per_s": round(r["columns"] / r["seconds"], 1) if r["seconds"] else 0.0,
        "cells_per_s": round(cells_s, 1),
        "speedup": round(cells_s / base, 1) if base else None,
        "peak_mb": round(peak) if peak is not None else None,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Generate, ingest, then measure every engine; the report."""
    from pii_network import build_network

    from catalog.network import ingest_network, load_network

    say = (lambda _m: None) if args.json else (lambda m: print(m, file=sys.stderr))
    with tempfile.TemporaryDirectory(prefix="cartable-pii-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        network_file, truth = build_network(folder, args.tables, args.seed)
        say(f"network: {len(truth)} tables generated in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        db = folder / "catalog.db"
        outcomes = ingest_network(load_network(network_file), db_url=f"sqlite:///{db}")
        if not all(o.ok for o in outcomes):
            raise SystemExit("ingestion of the benchmark network failed")
        say(f"ingested in {time.perf_counter() - t0:.1f} s")
        common = ["--dir", tmp, "--sample", str(args.sample)]
        runs: dict[str, tuple[dict[str, Any], float]] = {}
        plans = [("cartable", args.workers)] + ([("cartable-1", 1)] if args.serial else [])
        for name, workers in plans:
            url = copy_catalog(db, folder / f"{name}.db")
            extra = ["--workers", str(workers)] if workers else []
            say(f"measuring {name}…")
            runs[name] = measure(["--worker", "cartable", "--catalog", url, *common, *extra])
        every = max(1, round(len(truth) / args.per_cell_tables))
        say("measuring vanilla Presidio…")
        runs["vanilla"] = measure(
            ["--worker", "vanilla", "--catalog", f"sqlite:///{db}", *common, "--every", str(every)]
        )
    return report(runs, truth)


def report(runs: dict[str, tuple[dict[str, Any], float]], truth: dict[str, Any]) -> dict[str, Any]:
    """Rows, checks and quality from the measured runs."""
    vanilla, vanilla_peak = runs["vanilla"]
    base = vanilla["batched"]["cells"] / vanilla["batched"]["seconds"]
    per_cell_base = vanilla["per_cell"]["cells"] / vanilla["per_cell"]["seconds"]
    cartable, cartable_peak = runs["cartable"]
    processes = f"{cartable['workers']} workers" if cartable["workers"] > 1 else "1 process"
    rows = [rate_row(f"Cartable ({processes})", cartable, cartable_peak, base)]
    if "cartable-1" in runs:
        rows.append(rate_row("Cartable (1 process, for comparison)", *runs["cartable-1"], base))
    rows.append(rate_row("Presidio, batched (nlp.pipe)", vanilla["batched"], vanilla_peak, base))
    rows.append(
        rate_row(
            f"Presidio, analyze() per cell ({vanilla['per_cell']['tables']} tables)",
            vanilla["per_cell"], None, base,
        )
    )  # fmt: skip
    speedup = rows[0]["cells_per_s"] / base
    return {
        "rows": rows,
        "speedup_vs_batched": round(speedup, 1),
        "speedup_vs_per_cell": round(rows[0]["cells_per_s"] / per_cell_base, 1),
        "checks": {
            f">= {TARGET_SPEEDUP:.0f}x vanilla analyze() per cell": rows[0]["cells_per_s"]
            >= TARGET_SPEEDUP * per_cell_base,
            f">= {TARGET_SPEEDUP:.0f}x vanilla batched (stricter)": speedup >= TARGET_SPEEDUP,
            f"peak memory < {TARGET_PEAK_MB} MB": cartable_peak < TARGET_PEAK_MB,
            "no dataset in error": cartable["errors"] == 0,
        },
        "cartable_quality": quality(truth, cartable["found"]),
        "vanilla_quality": quality(truth, vanilla["found"]),
        "record_seconds": round(cartable["record_seconds"], 2),
        "vanilla_sampling_seconds": round(vanilla["sampling"], 2),
    }


def print_report(result: dict[str, Any]) -> None:
    """The figures as rich tables (counts and column names only)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=132)
    table = Table(title="Personal-information scan", title_justify="left")
    headers = ("engine", "tables", "columns", "cells", "seconds", "columns/s", "cells/s",
               "speed-up", "peak MB")  # fmt: skip
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    for row in result["rows"]:
        table.add_row(
            row["engine"], f"{row['tables']:,}", f"{row['columns']:,}", f"{row['cells']:,}",
            f"{row['seconds']:.2f}", f"{row['columns_per_s']:,.1f}", f"{row['cells_per_s']:,.0f}",
            f"{row['speedup']:.1f}×", f"{row['peak_mb']:,}" if row["peak_mb"] else "",
        )  # fmt: skip
    console.print(table)
    console.print(
        f"speed-up: {result['speedup_vs_batched']}× Presidio batched, "
        f"{result['speedup_vs_per_cell']}× Presidio cell by cell "
        f"(recording: {result['record_seconds']} s of Cartable's time)"
    )
    quality_table = Table(title="Column-level quality", title_justify="left")
    for header in ("engine", "labelled", "found", "precision", "recall",
                   "term precision", "term recall"):  # fmt: skip
        quality_table.add_column(header, justify="left" if header == "engine" else "right")
    vanilla_name = f"Presidio (≥ {VANILLA_SHARE:.0%} of cells)"
    for name, q in (
        ("Cartable", result["cartable_quality"]),
        (vanilla_name, result["vanilla_quality"]),
    ):
        quality_table.add_row(
            name, str(q["labelled"]), str(q["found"]), f"{q['precision']:.3f}",
            f"{q['recall']:.3f}", _figure(q["term_precision"]), _figure(q["term_recall"]),
        )  # fmt: skip
    console.print(quality_table)
    misses = result["cartable_quality"]["misses"]
    if misses:
        console.print(f"Cartable's {len(misses)} column(s) not as labelled (expected → found):")
        for miss, times in Counter(misses).most_common(20):
            console.print(f"  {miss} ({times}×)")
    for check, ok in result["checks"].items():
        console.print(f"{'[green]PASS[/green]' if ok else '[red]FAIL[/red]'}  {check}")


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def main() -> None:
    """Parse the options; run the benchmark or, with --worker, one measured process."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--sample", type=int, default=100, help="values per column")
    parser.add_argument("--workers", type=int, default=None, help="Cartable's (default: auto)")
    parser.add_argument(
        "--per-cell-tables", type=int, default=40, help="tables vanilla analyses cell by cell"
    )
    parser.add_argument("--no-serial", dest="serial", action="store_false",
                        help="skip Cartable in one process")  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    for hidden in ("--worker", "--dir", "--catalog", "--out"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--every", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        folder = Path(args.dir)
        if args.worker == "cartable":
            result = run_cartable(folder, args.catalog, args.workers, args.sample)
        else:
            result = run_vanilla(folder, args.catalog, args.sample, args.every)
        Path(args.out).write_text(json.dumps(result))
        return
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
