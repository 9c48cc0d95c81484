"""The sink's writer process: same catalogue as writing inline, failures reported per batch,
and no writer left behind when either process goes away."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
from datahub.ingestion.api.common import PipelineContext, RecordEnvelope
from datahub.ingestion.api.sink import WriteCallback
from datahub.metadata import schema_classes as dh
from sqlalchemy import select

from catalog.service import Catalog
from catalog.sink import CartableSink
from catalog.tables import aspects, entity_index, search_documents


def urn(i: int) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.sis.table_{i:03d},PROD)"


def stream(count: int) -> Iterator[object]:
    for i in range(count):
        yield MCPW(entityUrn=urn(i), aspect=dh.StatusClass(removed=False))
        yield MCPW(
            entityUrn=urn(i),
            aspect=dh.DatasetPropertiesClass(name=f"table_{i}", description=f"Élèves {i}"),
        )
        yield MCPW(entityUrn=urn(i), aspect=dh.DomainsClass(domains=["urn:li:domain:reussite"]))


def bad_patch(i: int) -> dh.MetadataChangeProposalClass:
    """A patch whose operation the store refuses: its whole batch fails."""
    return dh.MetadataChangeProposalClass(
        entityType="dataset",
        entityUrn=urn(i),
        changeType=dh.ChangeTypeClass.PATCH,
        aspectName="globalTags",
        aspect=dh.GenericAspectClass(
            contentType="application/json",
            value=json.dumps([{"op": "move", "path": "/tags/0", "from": "/x"}]).encode(),
        ),
    )


class Outcomes(WriteCallback):
    def __init__(self) -> None:
        self.succeeded = 0
        self.failed: list[str] = []

    def on_success(self, record_envelope, success_metadata) -> None:
        self.succeeded += 1

    def on_failure(self, record_envelope, failure_exception, failure_metadata) -> None:
        self.failed.append(str(failure_exception))


def run(url: str, records: list[object], **config: object) -> tuple[CartableSink, Outcomes]:
    """The records through the sink; once the writer process starts (at the second full
    batch), the test waits until it is ready, so the batches after go through it."""
    sink = CartableSink.create(
        {"db_url": url, "record_run": False, **config}, PipelineContext(run_id="writer")
    )
    outcomes = Outcomes()
    for record in records:
        sink.write_record_async(RecordEnvelope(record, {}), outcomes)
        if sink._process is not None:
            assert sink._process.ready(wait=60)
    sink.close()
    return sink, outcomes


def stored(url: str) -> tuple[list[tuple[str, str, int, str]], list[str], list[str]]:
    catalog = Catalog.open(url)
    with catalog.database.read() as conn:
        rows = conn.execute(
            select(aspects.c.urn, aspects.c.aspect, aspects.c.version, aspects.c.metadata).order_by(
                aspects.c.urn, aspects.c.aspect, aspects.c.version
            )
        ).all()
        index = sorted(conn.scalars(select(entity_index.c.urn)))
        search = sorted(conn.scalars(select(search_documents.c.urn)))
    catalog.close()
    return [tuple(r) for r in rows], index, search


def test_the_writer_process_stores_what_writing_inline_stores(tmp_path: Path, any_catalog_url):
    records = list(stream(60))
    inline_url = f"sqlite:///{tmp_path / 'inline.db'}"
    inline, inline_outcomes = run(inline_url, records, batch_size=25, writer="inline")
    parallel, parallel_outcomes = run(any_catalog_url, records, batch_size=25)

    assert inline._process is None and inline.report.batches_inline == 8
    assert parallel.report.batches_inline == 2  # the first, and the second while it started
    assert stored(any_catalog_url) == stored(inline_url)
    assert len(stored(any_catalog_url)[2]) == 60  # every dataset searchable
    assert parallel_outcomes.succeeded == inline_outcomes.succeeded == len(records)
    assert parallel.report.batches_committed == inline.report.batches_committed == 8
    assert parallel.report.aspects_written == 180 and parallel.report.entities_seen == 60

    again, outcomes = run(any_catalog_url, records, batch_size=25)  # same stream: no version
    assert again.report.aspects_written == 0 and again.report.aspects_unchanged == 180
    assert outcomes.failed == []


def test_a_stream_within_one_batch_is_written_inline(sqlite_url):
    sink, outcomes = run(sqlite_url, list(stream(3)), batch_size=25)
    assert sink._process is None and outcomes.succeeded == 9


def test_a_stream_of_one_batch_and_a_bit_starts_no_writer_process(sqlite_url):
    sink, outcomes = run(sqlite_url, list(stream(12)), batch_size=25)  # 36 aspects
    assert sink._process is None and sink.report.batches_inline == 2
    assert outcomes.succeeded == 36


def test_batches_written_inline_reach_the_database_file_before_the_catalogue_closes(tmp_path):
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    sink = CartableSink.create(
        {"db_url": url, "record_run": False, "batch_size": 30, "writer": "inline"},
        PipelineContext(run_id="inline"),
    )
    file = tmp_path / "catalogue.db"
    empty = file.stat().st_size  # the new catalogue's tables, its log copied at creation
    for record in stream(40):
        sink.write_record_async(RecordEnvelope(record, {}), None)
    sink.flush()
    sink._inline.close()  # what close does before releasing the catalogue
    assert file.stat().st_size > empty  # the log's pages are in the file, the sink still open
    sink.close()
    assert sink.report.batches_inline == 4


def test_a_batch_the_writer_process_refuses_fails_alone(sqlite_url):
    records = [*stream(10), bad_patch(3), *[r for r in stream(20)][30:]]
    sink, outcomes = run(sqlite_url, records, batch_size=10)

    assert sink.report.batches_inline == 2
    # the patch arrives 31st: the fourth batch (records 31 to 40) fails, the others land
    assert len(outcomes.failed) == 10
    assert all("unsupported patch operation" in reason for reason in outcomes.failed)
    assert outcomes.succeeded == len(records) - 10
    catalog = Catalog.open(sqlite_url)
    assert catalog.count("dataset") == 20 - 3  # the failed batch held three datasets
    catalog.close()


def test_a_writer_process_that_dies_fails_the_rest_of_the_run(sqlite_url):
    sink = CartableSink.create(
        {"db_url": sqlite_url, "record_run": False, "batch_size": 6},
        PipelineContext(run_id="killed"),
    )
    outcomes = Outcomes()
    records = list(stream(40))
    for record in records[:30]:
        sink.write_record_async(RecordEnvelope(record, {}), outcomes)
        if sink._process is not None:
            assert sink._process.ready(wait=60)
    assert sink._process is not None and sink.report.batches_inline == 2
    sink._process.wait()
    os.kill(sink._process._process.pid, signal.SIGKILL)
    sink._process._process.wait(timeout=30)
    for record in records[30:]:
        sink.write_record_async(RecordEnvelope(record, {}), outcomes)
    sink.close()  # returns: nothing waits for the dead writer

    assert outcomes.succeeded == 30
    assert len(outcomes.failed) == len(records) - 30
    assert all("writer process stopped" in reason for reason in outcomes.failed)
    catalog = Catalog.open(sqlite_url)
    assert catalog.count("dataset") == 10  # the five batches before the kill, whole
    catalog.close()


def child_pids(pid: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.update(int(c) for c in (task / "children").read_text().split())
    return children


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_the_writer_process_leaves_when_the_ingestion_is_killed(tmp_path, sqlite_url):
    script = tmp_path / "ingest.py"
    script.write_text(
        "import sys, time\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from datahub.ingestion.api.common import PipelineContext, RecordEnvelope\n"
        "from catalog.sink import CartableSink\n"
        "from test_batch_writer import stream\n"
        "sink = CartableSink.create({'db_url': sys.argv[1], 'record_run': False,"
        " 'batch_size': 5}, PipelineContext(run_id='k'))\n"
        "for record in stream(10_000):\n"
        "    sink.write_record_async(RecordEnvelope(record, {}), None)\n"
        "    time.sleep(0.001)\n"
    )
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, str(script), sqlite_url, str(Path(__file__).parent)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    writers: set[int] = set()
    written = 0
    while not (writers and written) and time.monotonic() < deadline:
        assert process.poll() is None
        time.sleep(0.1)
        writers = {p for p in child_pids(process.pid) if _is_writer(p)}
        written = _rows(tmp_path / "catalog.db")  # the writer is up and working
    assert writers and written, "no writer process at work"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{p}").exists() and not _is_zombie(p) for p in writers):
        assert time.monotonic() < deadline, "the writer process outlived the ingestion"
        time.sleep(0.1)


def _rows(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM metadata_aspect_v2").fetchone()[0])
    except sqlite3.Error:
        return 0


def _is_writer(pid: int) -> bool:
    try:
        return b"catalog.batch_writer" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_batches_that_wait_for_the_writer_share_a_transaction_and_a_refused_one_fails_alone(
    sqlite_url,
):
    from catalog.batch_writer import ProcessWriter
    from catalog.records import aspect_writes

    Catalog.open(sqlite_url).close()  # the catalogue exists, migrated

    def batches(first: int, count: int) -> list[list]:
        records = list(stream(first + count))[3 * first :]
        return [[w for r in records[i : i + 3] for w in aspect_writes(r)] for i in (0, 3, 6)]

    def write_all(group: list[list]) -> list[tuple[int, str | None]]:
        writer = ProcessWriter(sqlite_url, actor="urn:li:corpuser:datahub", run_id="group")
        outcomes: dict[int, tuple[int, str | None]] = {}
        for i, writes in enumerate(group):  # handed over while the writer still starts
            writer.submit(
                writes,
                lambda result, error, i=i: outcomes.__setitem__(
                    i, (result.written if result else -1, str(error) if error else None)
                ),
            )
        writer.close()
        return [outcomes[i] for i in range(len(group))]

    # three batches waiting: one transaction, whose counts come back with the last batch
    assert write_all(batches(0, 3)) == [(0, None), (0, None), (9, None)]
    # the middle one refused: the others are written again on their own and land
    good_then_bad = batches(3, 3)
    good_then_bad[1] = good_then_bad[1] + aspect_writes(bad_patch(4))
    outcomes = write_all(good_then_bad)
    assert outcomes[0] == (3, None) and outcomes[2] == (3, None)
    assert outcomes[1][0] == -1 and "unsupported patch operation" in str(outcomes[1][1])
    catalog = Catalog.open(sqlite_url)
    assert catalog.count("dataset") == 5  # three, then the first and last of the second group
    catalog.close()


def schema(i: int) -> MCPW:
    term = dh.GlossaryTermsClass(
        terms=[dh.GlossaryTermAssociationClass("urn:li:glossaryTerm:cartable.pi.person_name")],
        auditStamp=dh.AuditStampClass(0, "urn:li:corpuser:datahub"),
    )
    fields = [
        dh.SchemaFieldClass(
            fieldPath=path,
            type=dh.SchemaFieldDataTypeClass(type=dh.StringTypeClass()),
            nativeDataType="TEXT",
            description=description,
            glossaryTerms=term if path == "nom" else None,
        )
        for path, description in (("nom", None), ("dateNaissance", "Date de naissance"))
    ]
    return MCPW(
        entityUrn=urn(i),
        aspect=dh.SchemaMetadataClass(
            schemaName=f"table_{i}",
            platform="urn:li:dataPlatform:sqlite",
            version=0,
            hash="",
            platformSchema=dh.OtherSchemaClass(rawSchema=""),
            fields=fields,
        ),
    )


def steward_edit(i: int) -> MCPW:
    info = dh.EditableSchemaFieldInfoClass(fieldPath="nom", description="Nom de l'élève")
    return MCPW(
        entityUrn=urn(i), aspect=dh.EditableSchemaMetadataClass(editableSchemaFieldInfo=[info])
    )


def search_rows(url: str) -> list[tuple]:
    catalog = Catalog.open(url)
    with catalog.database.read() as conn:
        columns = [c for c in search_documents.c if c.name != "id"]
        rows = conn.execute(select(*columns).order_by(search_documents.c.urn)).all()
    catalog.close()
    return [tuple(r) for r in rows]


def test_schemas_whose_columns_the_ingesting_process_read_are_indexed_the_same(tmp_path):
    """With a writer process, the ingesting process sends each schema's column facts; the
    index is what the writer would have built, a steward's edits of the columns included."""
    from catalog.aspect_values import LatestValues
    from catalog.batch_writer import ProcessWriter
    from catalog.records import aspect_writes

    records = [r for i in range(4) for r in (*list(stream(4))[3 * i : 3 * i + 3], schema(i))]
    edited = aspect_writes(steward_edit(0))
    shipped = [w for r in records for w in aspect_writes(r, keep_parsed=False, with_facts=True)]
    plain = [w for r in records for w in aspect_writes(r, keep_parsed=False)]
    assert [w.facts is not None for w in shipped].count(True) == 4  # one per schema
    # the facts stand where the batch wrote the schema and no steward edited its columns
    texts = [((w.urn, w.aspect), w.value) for w in shipped + edited]
    values = LatestValues(texts, shipped)
    assert values.column_facts(urn(0)) is None and values.column_facts(urn(1)).total == 2

    urls = {name: f"sqlite:///{tmp_path / name}.db" for name in ("shipped", "plain")}
    for url in urls.values():
        catalog = Catalog.open(url)
        catalog.write(edited, actor="urn:li:corpuser:roy")
        catalog.close()
    writer = ProcessWriter(urls["shipped"], actor="urn:li:corpuser:datahub", run_id="facts")
    failures: list[Exception] = []
    writer.submit(shipped, lambda _result, error: error and failures.append(error))
    writer.close()
    catalog = Catalog.open(urls["plain"])
    catalog.write(plain, actor="urn:li:corpuser:datahub", run_id="facts")
    catalog.close()

    assert failures == []
    rows = search_rows(urls["shipped"])
    assert rows == search_rows(urls["plain"]) and len(rows) == 4
    catalog = Catalog.open(urls["shipped"])
    with catalog.database.read() as conn:
        query = select(search_documents.c.urn, search_documents.c.columns_text)
        columns_text = dict(conn.execute(query).tuples().all())
    catalog.close()
    assert columns_text[urn(0)] == "nom nom de l eleve date naissance date de naissance"
    assert columns_text[urn(1)] == "nom date naissance date de naissance"
