"""Personal-information detection quality: Cartable beside vanilla Presidio, same run.

    python benchmarks/pii_quality.py              # the whole evaluation set
    python benchmarks/pii_quality.py --json       # everything measured, as JSON
    python benchmarks/pii_quality.py --tables 12 --texts 100 --no-vanilla

The evaluation set (``benchmarks/pii_eval``) is synthetic and seeded: tables of the
network's systems with a term per column, French and English free texts with labelled
spans, and the hard cases of the domain named on each. Cartable runs its column
classification (the path of ``anonymization/scan.py``) and its free-text scan; vanilla
Presidio runs the French spaCy model with its default recognizers (column verdict and
entity mapping: ``benchmarks/pii_eval/systems.py``). Printed: precision, recall and F2 per
term, per column and per span, the non-personal columns found personal (names only, never
values or text), per hard case, and PASS/FAIL against the targets. Exit status 1 when
Cartable misses a target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks.pii_eval


def _f(value: float) -> str:
    return f"{value:.3f}"


def _term_table(title: str, ours: dict[str, Any], theirs: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("term")
    for system in ("Cartable", "vanilla") if theirs else ("Cartable",):
        for metric in ("P", "R", "F2"):
            table.add_column(f"{system} {metric}", justify="right")
        table.add_column(f"{system} tp/fp/fn", justify="right")
    terms = sorted(set(ours["by_term"]) | set(theirs["by_term"] if theirs else ()))
    rows = [
        (t, ours["by_term"].get(t), theirs["by_term"].get(t) if theirs else None) for t in terms
    ]
    rows.append(("(all, micro)", ours["overall"], theirs["overall"] if theirs else None))
    if "personal_or_not" in ours:
        rows.append(
            (
                "(personal or not)",
                ours["personal_or_not"],
                theirs["personal_or_not"] if theirs else None,
            )
        )
    for term, a, b in rows:
        cells = [term]
        for scores in (a, b) if theirs else (a,):
            if scores is None:
                cells += ["", "", "", "-"]
            else:
                cells += [
                    _f(scores["precision"]),
                    _f(scores["recall"]),
                    _f(scores["f2"]),
                    f"{scores['tp']}/{scores['fp']}/{scores['fn']}",
                ]
        table.add_row(*cells, style="bold" if term.startswith("(") else None)
    return table


def _cases_table(ours: dict[str, Any], theirs: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    from rich.table import Table

    from benchmarks.pii_eval import HARD_CASES

    table = Table(title="Hard cases", title_justify="left")
    table.add_column("case")
    for system in ("Cartable", "vanilla") if theirs else ("Cartable",):
        table.add_column(f"{system} columns right", justify="right")
        table.add_column(f"{system} spans F2 (fp)", justify="right")
    for case in HARD_CASES:
        cells = [case]
        for result in (ours, theirs) if theirs else (ours,):
            entry = result["hard_cases"].get(case, {})
            columns = f"{entry['columns_right']}/{entry['columns']}" if entry.get("columns") else ""
            spans = entry.get("spans")
            cells += [columns, f"{_f(spans['f2'])} ({spans['fp']})" if spans else ""]
        table.add_row(*cells)
    return table


def main() -> None:
    """Build the set, run both detectors, print the tables (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=None, help="first N tables only")
    parser.add_argument("--texts", type=int, default=440)
    parser.add_argument("--rows", type=int, default=30, help="sampled values per column")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-vanilla", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from rich.console import Console

    from anonymization.analyzer import network_analyzer
    from benchmarks.pii_eval import tables, texts
    from benchmarks.pii_eval.evaluate import TARGETS, run_cartable, run_vanilla, summary
    from benchmarks.pii_eval.systems import vanilla_analyzer

    console = Console(stderr=args.json)
    if not console.is_terminal:
        console = Console(stderr=args.json, width=150)
    eval_tables = tables(rows=args.rows, seed=args.seed, limit=args.tables)
    eval_texts = texts(count=args.texts, seed=args.seed)
    columns = [c for t in eval_tables for c in t.columns]
    spans = sum(len(t.spans) for t in eval_texts)
    french = sum(1 for t in eval_texts if t.language == "fr")
    start = time.perf_counter()
    ours = summary(run_cartable(eval_tables, eval_texts, network_analyzer()))
    theirs = None
    if not args.no_vanilla:
        theirs = summary(run_vanilla(eval_tables, eval_texts, vanilla_analyzer()))
    seconds = time.perf_counter() - start
    meta = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "tables": len(eval_tables),
        "columns": len(columns),
        "personal_columns": sum(1 for c in columns if c.expected),
        "rows_per_table": args.rows,
        "texts": len(eval_texts),
        "texts_french": french,
        "spans": spans,
        "seconds": round(seconds, 1),
        "targets": TARGETS,
    }
    if args.json:
        print(
            json.dumps(
                {"set": meta, "cartable": ours, "vanilla": theirs}, ensure_ascii=False, indent=2
            )
        )
    else:
        _print(console, meta, ours, theirs)
    sys.exit(0 if all(ours["targets"].values()) else 1)


def _print(
    console, meta: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any] | None
) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"Evaluation set: {meta['tables']} tables, {meta['columns']} columns "
        f"({meta['personal_columns']} personal), {meta['rows_per_table']} values each; "
        f"{meta['texts']} free texts ({meta['texts_french']} French), {meta['spans']} spans. "
        f"{meta['date']}, {meta['machine']}, {meta['seconds']} s."
    )
    console.print(
        _term_table("Columns (exact term)", ours["columns"], theirs and theirs["columns"])
    )
    console.print(
        _term_table("Free-text spans (IoU ≥ 0.5)", ours["spans"], theirs and theirs["spans"])
    )
    for result in (ours, theirs) if theirs else (ours,):
        wrong = result["columns"]["false_personal"]
        console.print(f"{result['system']}: {len(wrong)} non-personal columns found personal")
        for name in wrong:
            console.print(f"  {name}")
    console.print(_cases_table(ours, theirs))
    targets = meta["targets"]
    labels = {
        "column_f2": f"column-level F2 ≥ {targets['column_f2']}",
        "span_f2": f"free-text span-level F2 ≥ {targets['span_f2']}",
        "false_personal_columns": "no non-personal column found personal",
    }
    for key, label in labels.items():
        line = f"{label:<42}"
        for result in (ours, theirs) if theirs else (ours,):
            ok = result["targets"][key]
            line += f"  {result['system']}: " + ("[green]PASS[/]" if ok else "[red]FAIL[/]")
        console.print(line)
    times = ", ".join(
        f"{r['system']} columns {r['seconds']['columns']} s, texts {r['seconds']['texts']} s"
        for r in ((ours, theirs) if theirs else (ours,))
    )
    console.print(f"time: {times}")


if __name__ == "__main__":
    main()
