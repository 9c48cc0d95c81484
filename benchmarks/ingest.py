"""Ingestion throughput: the same stream of datasets through DataHub Lite's SQLite store and
through Cartable's store, each through its DataHub sink, in one run.

    python benchmarks/ingest.py              # N = 1,000 and 10,000
    python benchmarks/ingest.py --large      # adds N = 100,000 (Cartable; Lite is sampled)

Each backend runs in its own process so that its peak memory is its own. The stream is
generated on the fly from a seed (identical for both); its generation time alone is shown
as a third row so that the stores' share can be read.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

COLUMNS = 20


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


def run_worker(backend: str, n: int, folder: Path) -> dict[str, float]:
    """Write the stream through one backend's sink; return seconds and peak memory."""
    from datahub.ingestion.api.common import PipelineContext, RecordEnvelope

    ctx = PipelineContext(run_id=f"bench-{backend}-{n}")
    if backend == "cartable":
        from catalog.sink import CartableSink

        sink = CartableSink.create(
            {"db_url": f"sqlite:///{folder / 'cartable.db'}", "record_run": False}, ctx
        )
    elif backend == "datahub-lite":
        from datahub.ingestion.sink.datahub_lite import DataHubLiteSink

        sink = DataHubLiteSink.create(
            {"type": "sqlite", "config": {"file": str(folder / "lite.db")}}, ctx
        )
    else:
        sink = None
    start = time.perf_counter()
    for record in stream(n):
        if sink is not None:
            sink.write_record_async(RecordEnvelope(record, {}), None)  # type: ignore[arg-type]
    if sink is not None:
        sink.close()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak}


def measure(backend: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", backend, "--n", str(n), "--dir", folder],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


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
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.n, Path(args.dir))))
        return
    sizes = args.sizes + ([100_000] if args.large else [])
    print(
        f"{'N':>8} | {'backend':<13} | {'seconds':>8} | {'datasets/s':>10} | "
        f"{'peak MB':>7} | ratio vs Lite"
    )
    print("-" * 72)
    for n in sizes:
        generation = measure("stream-only", n)
        cartable = measure("cartable", n)
        lite_n = min(n, args.lite_sample)
        lite = measure("datahub-lite", lite_n)
        lite_rate = lite_n / lite["seconds"]
        rows = [
            ("stream only", generation, n),
            ("datahub-lite", lite, lite_n),
            ("cartable", cartable, n),
        ]
        for name, result, count in rows:
            rate = count / result["seconds"]
            ratio = f"{rate / lite_rate:6.1f}x" if name != "stream only" else ""
            label = f"{count:>8,}" if count == n else f"{count:>8,}*"
            print(
                f"{label} | {name:<13} | {result['seconds']:8.2f} | {rate:10,.0f} | "
                f"{result['peak_mb']:7.0f} | {ratio}"
            )
        print("-" * 72)
    print("* DataHub Lite sampled at this N (its per-dataset cost does not fall with N).")


if __name__ == "__main__":
    main()
