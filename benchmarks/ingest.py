"""Ingestion throughput: the same stream of datasets through DataHub Lite's SQLite store and
through Cartable's store, each through its DataHub sink, in one run.

    python benchmarks/ingest.py              # N = 1,000 and 10,000
    python benchmarks/ingest.py --large      # adds N = 100,000 (Cartable; Lite is sampled)

Two clocks:

- **store**: the records are built beforehand, CHUNK datasets at a time, off the clock; the
  clock runs while the sink takes a chunk and until ``flush`` says every batch of it has
  landed. This is each store's own speed, and the ratio compares these.
- **end to end**: the records are built on the fly as a DataHub source would, on the clock
  (Cartable only; DataHub Lite's end-to-end rate is lower than its store rate, so the
  end-to-end ratio shown against Lite's store rate understates Cartable). The 100k-in-60 s
  target is read on this clock, and the peak memory comes from this run.

Each measurement runs in its own process (peak memory is the process's plus its writer
process's), ``--runs`` times (3 by default, one of each measurement per round), and the
median time is reported: a single run of DataHub Lite, whose rate follows the disk's sync
latency, varied by 40 % from one run to the next. "stream only" is the cost of building the
records alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

COLUMNS = 20
CHUNK = 5_000  # datasets built ahead of the store clock at a time


def stream(n: int) -> Iterator[object]:
    """N datasets of 20 columns, each with the aspects a SQL source emits."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as m

    platform = "urn:li:dataPlatform:sqlite"
    for i in range(n):
        org = f"css-{i % 72:02d}"
        urn = f"urn:li:dataset:({platform},{org}.db{i % 7}.table_{i:06d},PROD)"
        fields = [
            m.SchemaFieldClass(
                fieldPath=f"colonne_{j:02d}",
                type=m.SchemaFieldDataTypeClass(type=m.StringTypeClass()),
                nativeDataType="TEXT",
                description=f"Colonne {j} de la table {i}",
            )
            for j in range(COLUMNS)
        ]
        yield MCPW(entityUrn=urn, aspect=m.StatusClass(removed=False))
        yield MCPW(
            entityUrn=urn,
            aspect=m.DatasetPropertiesClass(
                name=f"table_{i:06d}",
                description=f"Table synthétique {i}",
                customProperties={"organisme": org},
            ),
        )
        yield MCPW(
            entityUrn=urn,
            aspect=m.SchemaMetadataClass(
                schemaName=f"table_{i:06d}",
                platform=platform,
                version=0,
                hash="",
                platformSchema=m.OtherSchemaClass(rawSchema=""),
                fields=fields,
            ),
        )
        yield MCPW(entityUrn=urn, aspect=m.SubTypesClass(typeNames=["Table"]))
        yield MCPW(
            entityUrn=urn,
            aspect=m.DataPlatformInstanceClass(
                platform=platform,
                instance=f"urn:li:dataPlatformInstance:({platform},{org})",
            ),
        )
        yield MCPW(entityUrn=urn, aspect=m.DomainsClass(domains=["urn:li:domain:finances"]))


def open_sink(backend: str, n: int, folder: Path) -> Any:
    """The backend's DataHub sink on a fresh store in ``folder`` (None: no store)."""
    from datahub.ingestion.api.common import PipelineContext

    ctx = PipelineContext(run_id=f"bench-{backend}-{n}")
    if backend == "cartable":
        from catalog.sink import CartableSink

        return CartableSink.create(
            {"db_url": f"sqlite:///{folder / 'cartable.db'}", "record_run": False}, ctx
        )
    if backend == "datahub-lite":
        from datahub.ingestion.sink.datahub_lite import DataHubLiteSink

        return DataHubLiteSink.create(
            {"type": "sqlite", "config": {"file": str(folder / "lite.db")}}, ctx
        )
    return None


def run_worker(backend: str, n: int, folder: Path, clock: str) -> dict[str, float]:
    """Write the stream through one backend's sink on one clock; seconds and peak memory."""
    from datahub.ingestion.api.common import RecordEnvelope

    sink = open_sink(backend, n, folder)
    seconds = 0.0
    if clock == "end-to-end":
        start = time.perf_counter()
        for record in stream(n):
            if sink is not None:
                sink.write_record_async(RecordEnvelope(record, {}), None)
        if sink is not None:
            sink.close()
        seconds = time.perf_counter() - start
    else:
        records = stream(n)
        while chunk := [RecordEnvelope(r, {}) for r in islice(records, CHUNK * 6)]:
            start = time.perf_counter()
            for envelope in chunk:
                sink.write_record_async(envelope, None)
            sink.flush()
            seconds += time.perf_counter() - start
        start = time.perf_counter()
        sink.close()
        seconds += time.perf_counter() - start
    # the writer process's peak counts too: the two run side by side
    peak = sum(
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {"seconds": seconds, "peak_mb": peak}


def measure(backend: str, n: int, clock: str = "store") -> dict[str, float]:
    """One run in a fresh process on a fresh store: seconds and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", backend, "--n", str(n), "--dir", folder]
            + ["--clock", clock],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_rounds(plan: dict[str, tuple[str, int, str]], runs: int) -> dict[str, dict[str, float]]:
    """Each measurement of ``plan`` (name: backend, N, clock) ``runs`` times, one of each per
    round so that a drift of the machine touches them alike; the median time and the
    largest peak memory of each."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in plan}
    for _ in range(runs):
        for name, (backend, n, clock) in plan.items():
            results[name].append(measure(backend, n, clock))
    return {
        name: {
            "seconds": statistics.median(r["seconds"] for r in found),
            "peak_mb": max(r["peak_mb"] for r in found),
        }
        for name, found in results.items()
    }


def _at_least_one(text: str) -> int:
    runs = int(text)
    if runs < 1:
        raise argparse.ArgumentTypeError("at least one run")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--large", action="store_true", help="also N = 100,000")
    parser.add_argument(
        "--lite-sample",
        type=int,
        default=10_000,
        help="largest N DataHub Lite is run at (its rate is flat in N)",
    )
    parser.add_argument(
        "--runs",
        type=_at_least_one,
        default=3,
        help="runs of each measurement; the median time is reported",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--clock", default="store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.n, Path(args.dir), args.clock)))
        return
    sizes = args.sizes + ([100_000] if args.large else [])
    header = (
        f"{'N':>9} | {'backend':<12} | {'store s':>8} | {'datasets/s':>10} | {'vs Lite':>7} | "
        f"{'end-to-end s':>12} | {'datasets/s':>10} | {'vs Lite':>7} | {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        lite_n = min(n, args.lite_sample)
        medians = measure_rounds(
            {
                "generation": ("stream-only", n, "end-to-end"),
                "lite": ("datahub-lite", lite_n, "store"),
                "store": ("cartable", n, "store"),
                "whole": ("cartable", n, "end-to-end"),
            },
            args.runs,
        )
        generation, lite, store, whole = (
            medians[k] for k in ("generation", "lite", "store", "whole")
        )
        lite_rate = lite_n / lite["seconds"]
        blank = ""
        print(
            f"{n:>9,} | {'stream only':<12} | {blank:>8} | {blank:>10} | {blank:>7} | "
            f"{generation['seconds']:12.2f} | {n / generation['seconds']:10,.0f} | "
            f"{blank:>7} | {generation['peak_mb']:7.0f}"
        )
        label = f"{lite_n:>9,}" if lite_n == n else f"{lite_n:>8,}*"
        print(
            f"{label} | {'datahub-lite':<12} | {lite['seconds']:8.2f} | {lite_rate:10,.0f} | "
            f"{'1.0x':>7} | {blank:>12} | {blank:>10} | {blank:>7} | {lite['peak_mb']:7.0f}"
        )
        store_rate, whole_rate = n / store["seconds"], n / whole["seconds"]
        print(
            f"{n:>9,} | {'cartable':<12} | {store['seconds']:8.2f} | {store_rate:10,.0f} | "
            f"{store_rate / lite_rate:6.1f}x | {whole['seconds']:12.2f} | "
            f"{whole_rate:10,.0f} | {whole_rate / lite_rate:6.1f}x | {whole['peak_mb']:7.0f}"
        )
        print("-" * len(header))
    print("* DataHub Lite sampled at this N (its per-dataset cost does not fall with N).")
    print(
        f"Each time: the median of {args.runs} runs, one of each measurement per round; "
        "peak memory: the largest."
    )


if __name__ == "__main__":
    main()
