"""The ``cartable`` DataHub sink: any DataHub recipe can write into the Cartable catalogue.

Records are buffered and written in transactional batches; a batch that fails is reported as
failed for each of its records and leaves the catalogue as it was. Once a stream fills a
batch, the batches are written by a second process while this one goes on reading the
source (``catalog.batch_writer``); ``flush`` and ``close`` wait until every batch landed.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from datahub.configuration.common import ConfigModel
from datahub.ingestion.api.common import PipelineContext, RecordEnvelope
from datahub.ingestion.api.sink import Sink, SinkReport, WriteCallback
from pydantic import Field

from catalog.aspect_values import AspectWrite
from catalog.batch_writer import InlineWriter, ProcessWriter
from catalog.database import sqlite_file
from catalog.models import BatchResult
from catalog.records import UnsupportedRecordError, aspect_writes
from catalog.service import Catalog

logger = logging.getLogger(__name__)

INGESTION_ACTOR = "urn:li:corpuser:datahub"
# An ingestion allocates millions of short-lived DataHub objects; with Python's default
# thresholds the cyclic collector ran every 700 allocations and walked every live object
# (DataHub's schema classes included): 44 % of a 10,000-dataset run. Even every 50,000 it
# took 8 % of the ingesting process, walking the records a batch holds until it lands,
# which are freed by reference counting anyway. The sink relaxes the youngest generation's
# threshold while it is open (a collection still runs once 500,000 more objects are alive
# than at the last one) and restores the previous thresholds on close.
INGESTION_GC_THRESHOLDS = (500_000, 20, 100)


class CartableSinkConfig(ConfigModel):
    """Where and how the sink writes."""

    db_url: str | None = Field(
        default=None, description="Catalogue URL; defaults to $CARTABLE_DB_URL or local SQLite."
    )
    batch_size: int = Field(default=5000, ge=1, description="Aspects per transaction.")
    actor: str = Field(default=INGESTION_ACTOR, description="Actor recorded on each version.")
    record_run: bool = Field(
        default=True, description="Record the run in Cartable's run log (cartable runs)."
    )
    writer: Literal["process", "inline"] = Field(
        default="process",
        description=(
            "process: once the stream fills a second batch, batches are written by a second "
            "process (a second core) while this one reads the source; inline: all in this "
            "process (for ingestions already run side by side)."
        ),
    )


@dataclass
class CartableSinkReport(SinkReport):
    """DataHub's sink report plus what the versioned store did."""

    aspects_written: int = 0
    aspects_unchanged: int = 0
    entities_seen: int = 0
    batches_committed: int = 0
    batches_inline: int = 0  # the others by the writer process
    unsupported_records: int = 0
    _entities: set[str] = field(default_factory=set, repr=False)


class CartableSink(Sink[CartableSinkConfig, CartableSinkReport]):
    """Writes MCEs and MCPs into the Cartable catalogue in transactional batches."""

    def __post_init__(self) -> None:
        self.catalog = Catalog.open(self.config.db_url)
        self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(*INGESTION_GC_THRESHOLDS)
        self._pending: list[tuple[RecordEnvelope, WriteCallback | None]] = []
        self._pending_writes: list[AspectWrite] = []
        self._inline = InlineWriter(
            partial(self.catalog.write, actor=self.config.actor, run_id=self.ctx.run_id),
            sqlite_path=sqlite_file(self.catalog.database.engine.url),
        )
        self._process: ProcessWriter | None = None  # started at the stream's second batch
        if self.config.record_run:
            _ensure_run_reporter(self.ctx, self.config.db_url)

    def write_record_async(
        self, record_envelope: RecordEnvelope, write_callback: WriteCallback
    ) -> None:
        """Buffer a record; hand the buffer over once it holds ``batch_size`` aspects."""
        try:
            # the writer process parses the values again: the dicts would only be kept alive
            # (and walked by the cyclic collector) until their batch lands; this process
            # reads the schemas' columns for it (18 µs a schema here spares it 53 µs: the
            # parse and the same reading, on the critical path of a fast source's writer)
            writes = aspect_writes(
                record_envelope.record,
                keep_parsed=self._process is None,
                with_facts=self._process is not None,
            )
        except UnsupportedRecordError as exc:
            self.report.unsupported_records += 1
            self.report.report_warning({"record": record_envelope.metadata, "reason": str(exc)})
            if write_callback:
                write_callback.on_success(record_envelope, {})
            return
        self._pending.append((record_envelope, write_callback))
        self._pending_writes.extend(writes)
        if len(self._pending_writes) >= self.config.batch_size:
            self._submit(stream_continues=True)

    def flush(self) -> None:
        """Write the buffered aspects and wait until every batch has landed (or failed)."""
        self._submit(stream_continues=False)
        if self._process is not None:
            self._process.wait()

    def close(self) -> None:
        """Write what is left, run the pre-shutdown callbacks (run reporting), release."""
        try:
            try:
                self.flush()
            finally:
                if self._process is not None:
                    self._process.close()
                self._inline.close()
            super().close()
            self.catalog.close()
        finally:
            gc.set_threshold(*self._gc_thresholds)

    def _submit(self, *, stream_continues: bool) -> None:
        """Hand the buffered aspects over as one batch."""
        if not self._pending:
            return
        pending, writes = self._pending, self._pending_writes
        self._pending, self._pending_writes = [], []
        writer = self._writer(stream_continues)
        if writer is self._inline:
            self.report.batches_inline += 1
        urns = {w.urn for w in writes}
        writer.submit(writes, partial(self._landed, pending, len(writes), urns))

    def _writer(self, stream_continues: bool) -> InlineWriter | ProcessWriter:
        """The writer process once it is ready (started when a stream fills its second
        batch, where it can run); until then, and for a stream within two batches, this
        process. Starting it costs about 0.3 s of the other core, as much as writing 2,000
        datasets: a stream of one batch and a bit is written sooner without it."""
        if (
            self._process is None
            and stream_continues
            and self.report.batches_inline >= 1  # one batch already written: a long stream
            and self._may_start_process()
        ):
            url = self.catalog.database.engine.url.render_as_string(hide_password=False)
            self._process = ProcessWriter(url, actor=self.config.actor, run_id=self.ctx.run_id)
        if self._process is not None and self._process.ready():
            return self._process
        return self._inline

    def _may_start_process(self) -> bool:
        url = self.catalog.database.engine.url
        in_memory = url.get_backend_name() == "sqlite" and sqlite_file(url) is None
        return (
            self.config.writer == "process"
            and not in_memory
            and not multiprocessing.current_process().daemon  # may not have children
        )

    def _landed(
        self,
        pending: list[tuple[RecordEnvelope, WriteCallback | None]],
        count: int,
        urns: set[str],
        result: BatchResult | None,
        error: Exception | None,
    ) -> None:
        """Acknowledge a batch's records, or report each as failed."""
        if result is None:
            logger.error("catalogue batch of %d aspects failed: %s", count, error)
            for envelope, callback in pending:
                self.report.report_failure({"record": envelope.metadata, "error": str(error)})
                if callback:
                    callback.on_failure(envelope, error or RuntimeError("batch failed"), {})
            return
        self.report.aspects_written += result.written
        self.report.aspects_unchanged += result.unchanged
        self.report._entities.update(urns)
        self.report.entities_seen = len(self.report._entities)
        self.report.batches_committed += 1
        for envelope, callback in pending:
            self.report.report_record_written(envelope)
            if callback:
                callback.on_success(envelope, {})


def _ensure_run_reporter(ctx: PipelineContext, db_url: str | None) -> None:
    """Add the ``cartable`` run reporter to the pipeline unless the recipe already has it.

    DataHub configures reporters right after the sink, from the same pipeline config, so a
    recipe run with plain ``datahub ingest`` is recorded in ``cartable runs`` too.
    """
    from datahub.ingestion.run.pipeline_config import ReporterConfig

    config = ctx.pipeline_config
    if config is None or any(r.type == "cartable" for r in config.reporting):
        return
    config.reporting.append(
        ReporterConfig.model_validate({"type": "cartable", "config": {"db_url": db_url}})
    )
