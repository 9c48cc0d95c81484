"""Scanning many datasets in worker processes.

Each worker opens its own catalogue from the catalogue's URL and loads the analyzer once
(the first time one of its columns needs the NLP model); the parent gets every
``DatasetScan`` back and alone writes them (``PiiScanner.record``). A dataset whose scan
fails is reported with its error; the others go on.

Workers start with ``spawn``: a forked child would inherit the parent's threads' locks
(the progress bar's, lingua's thread pool) in whatever state they were.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

from presidio_analyzer import AnalyzerEngine

from anonymization.scan import DatasetScan, PiiScanner
from catalog.network import Network

logger = logging.getLogger(__name__)

WORKER_MEMORY_MB = 800  # a worker with the French and English spaCy models and lingua: ~700 MB
DATASETS_PER_WORKER = 24  # below this a worker's start-up costs more than it saves

_worker_scanner: PiiScanner | None = None


def default_workers(datasets: int, cpus: int, available_mb: int | None) -> int:
    """How many processes to scan ``datasets`` with: one for a handful, else up to the CPU
    count, no more than the available memory holds (the NLP models cost memory per process).

    >>> default_workers(5, 8, 16_000), default_workers(200, 8, 16_000)
    (1, 8)
    >>> default_workers(200, 8, 2_000)  # two workers' models fit in 2 GB
    2
    """
    by_memory = available_mb // WORKER_MEMORY_MB if available_mb is not None else cpus
    return max(1, min(cpus, by_memory, datasets // DATASETS_PER_WORKER))


def available_memory_mb() -> int | None:
    """Memory the system can still give (``MemAvailable`` of /proc/meminfo), if known."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def resolve_workers(workers: int | None, datasets: int) -> int:
    """The workers asked for, or the default for this machine and this many datasets."""
    if workers is not None:
        return max(1, min(workers, datasets or 1))
    return default_workers(datasets, os.cpu_count() or 1, available_memory_mb())


def scan_datasets(
    scanner: PiiScanner,
    urns: Sequence[str],
    *,
    workers: int | None = None,
    on_done: Callable[[DatasetScan], None] | None = None,
    worker_setup: Callable[[], None] | None = None,
) -> list[DatasetScan]:
    """Scan every dataset of ``urns`` (in their order) with ``workers`` processes (None: the
    default); ``on_done`` is called as each one ends. Nothing is recorded.

    Workers rebuild the scanner from its catalogue's URL, network, analyzer factory (a
    module-level function such as ``network_analyzer``) and sample size; ``worker_setup``
    runs first in each worker."""
    count = resolve_workers(workers, len(urns))
    url = scanner.catalog.database.engine.url
    if count > 1 and url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        count = 1  # an in-memory catalogue cannot be opened by another process
    if count == 1:
        return [_done(_scan_guarded(scanner, urn), on_done) for urn in urns]
    logger.info("scanning %d datasets with %d worker processes", len(urns), count)
    args = (
        url.render_as_string(hide_password=False),
        scanner.network,
        scanner.analyzer,
        scanner.sample_size,
        worker_setup,
    )
    context = multiprocessing.get_context("spawn")
    results: dict[str, DatasetScan] = {}
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=args) as pool:
        futures: dict[Future[DatasetScan], str] = {pool.submit(_scan_one, u): u for u in urns}
        for future in as_completed(futures):
            urn = futures[future]
            try:
                scan = future.result()
            except Exception as exc:  # the worker died (killed, out of memory): this one only
                scan = DatasetScan(dataset=urn, error=_error_text(exc))
            results[urn] = _done(scan, on_done)
    return [results[urn] for urn in urns]


def _done(scan: DatasetScan, on_done: Callable[[DatasetScan], None] | None) -> DatasetScan:
    if on_done is not None:
        on_done(scan)
    return scan


def _error_text(exc: BaseException) -> str:
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _scan_guarded(scanner: PiiScanner, urn: str) -> DatasetScan:
    """The scan of one dataset, any error reported on it rather than raised."""
    try:
        return scanner.scan(urn)
    except Exception as exc:
        logger.warning("scan of %s failed: %s", urn, _error_text(exc))
        return DatasetScan(dataset=urn, error=_error_text(exc))


def _start(
    url: str,
    network: Network,
    analyzer: Callable[[], AnalyzerEngine],
    sample_size: int,
    setup: Callable[[], None] | None,
) -> None:
    """Worker initializer: its own catalogue and scanner, kept for the process's life."""
    global _worker_scanner
    from catalog.service import Catalog

    if setup is not None:
        setup()
    logging.getLogger("datahub").setLevel(logging.ERROR)
    _worker_scanner = PiiScanner(Catalog.open(url), network, analyzer, sample_size=sample_size)


def _scan_one(urn: str) -> DatasetScan:
    assert _worker_scanner is not None, "worker not initialised"
    return _scan_guarded(_worker_scanner, urn)
