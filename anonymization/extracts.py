"""Making an extract: read the source in chunks, apply the policy, write the file and its
risk report, register it in the catalogue with its lineage — all or nothing.

Nothing is read before the plan is checked (every column the policy names exists, every
personal column has a rule, the key is there and kept apart from the data), and nothing is
left behind when anything fails: the extract and its reports are written as ``.partial``
files, moved into place, and registered last (removed again if registration fails).
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from presidio_analyzer import AnalyzerEngine
from pydantic import BaseModel, ConfigDict

from anonymization import linking
from anonymization.extract_io import CHUNK_ROWS, ChunkReader, ExtractWriter, open_reader
from anonymization.extract_plan import ExtractPlan, plan_extract, run_steps
from anonymization.extract_record import (
    PROPERTY_PREFIX,
    ExtractColumn,
    ExtractRecord,
    extract_urn,
    extract_writes,
)
from anonymization.keys import Keyring, load_keyring
from anonymization.operators import OperatorContext
from anonymization.policy import ExtractPolicy
from anonymization.recording import sensitivity_of
from anonymization.risk import ClassCounter, assess
from anonymization.risk_report import write_reports
from anonymization.row_filter import RowFilter
from anonymization.sampling import locate
from anonymization.source_columns import source_columns
from catalog.errors import CartableError
from catalog.network import Network
from catalog.roles import Account, require
from catalog.service import Catalog

log = logging.getLogger(__name__)


class ExtractRequest(BaseModel):
    """What to extract, under which policy, to where."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    dataset: str
    policy: ExtractPolicy
    out: Path
    filters: list[RowFilter] = []
    chunk_rows: int = CHUNK_ROWS
    as_of: date | None = None
    language: str = "fr"  # of the Markdown report


class Extracts:
    """Extracts of the catalogue's datasets, made where the network says the data lives."""

    def __init__(
        self, catalog: Catalog, network: Network, analyzer: Callable[[], AnalyzerEngine]
    ) -> None:
        self.catalog = catalog
        self.network = network
        self.analyzer = analyzer

    def prepare(self, account: Account, request: ExtractRequest) -> tuple[ChunkReader, ExtractPlan]:
        """The reader and the checked plan of a request (nothing read or written yet)."""
        detail = self.catalog.entity(request.dataset)
        if detail.summary.entity_type != "dataset":
            raise CartableError(f"{request.dataset} is not a dataset")
        require(account, "make_extract", detail.summary.organization)
        source = locate(request.dataset, self.network)
        if source is None:
            raise CartableError(f"the network file does not say where {request.dataset} lives")
        if source.kind != "sql" and Path(source.location).resolve() == request.out.resolve():
            raise CartableError("the extract would overwrite its source")
        reader = open_reader(source)
        plan = plan_extract(
            request.policy, source_columns(self.catalog, request.dataset, reader.columns())
        )
        return reader, plan

    def make(
        self,
        account: Account,
        request: ExtractRequest,
        on_rows: Callable[[int], None] | None = None,
    ) -> ExtractRecord:
        """Make, write and register the extract; its record (with the risk report)."""
        reader, plan = self.prepare(account, request)
        keyring = self._keyring(request) if plan.needs_key else None
        organization = self.catalog.entity(request.dataset).summary.organization
        context = OperatorContext(
            keyring=keyring,
            organization=organization,
            as_of=request.as_of or date.today(),
            analyzer=self.analyzer if plan.needs_analyzer else None,
        )
        context.frequencies = self.frequencies(reader, plan, request, context)
        urn = extract_urn(request.out, organization)
        with _all_or_nothing(request.out) as written:
            writer = ExtractWriter(request.out, {c.name: c.kind for c in plan.columns})
            written.append(writer.abort)
            counter = ClassCounter(plan.quasi_identifiers, plan.sensitive)
            columns = [c.name for c in plan.columns]
            for chunk in reader.chunks(columns, request.filters, request.chunk_rows):
                rows = plan.transform(chunk, context)
                writer.write(rows)
                counter.add(rows)
                if on_rows:
                    on_rows(len(rows))
            record = self._record(account, request, plan, keyring, urn, counter, organization)
            reports = write_reports(record, request.language)
            written.extend(partial.unlink for partial, _final in reports)
            writer.commit()
            written.append(request.out.unlink)
            for partial, final in reports:
                os.replace(partial, final)
                written.append(final.unlink)
            self._register(record)
        return record

    def _keyring(self, request: ExtractRequest) -> Keyring:
        key = request.policy.key
        assert key is not None  # the plan refused a keyed policy without one
        url = self.catalog.database.engine.url
        catalogue = (
            [Path(url.database)] if url.get_backend_name() == "sqlite" and url.database else []
        )
        return load_keyring(
            file=key.file, env=key.env, shared=[request.out.parent], beside=catalogue
        )

    def frequencies(
        self,
        reader: ChunkReader,
        plan: ExtractPlan,
        request: ExtractRequest,
        context: OperatorContext,
    ) -> dict[str, Counter[object]]:
        """Value counts over the whole extract of the columns that suppress rare values."""
        counted = plan.counted_steps()
        found: dict[str, Counter[object]] = {name: Counter() for name in counted}
        if not counted:
            return found
        for chunk in reader.chunks(list(counted), request.filters, request.chunk_rows):
            for name, steps in counted.items():
                values = run_steps(name, steps, chunk[name], context)
                found[name].update(values.dropna().value_counts().to_dict())
        return found

    def _record(
        self,
        account: Account,
        request: ExtractRequest,
        plan: ExtractPlan,
        keyring: Keyring | None,
        urn: str,
        counter: ClassCounter,
        organization: str | None,
    ) -> ExtractRecord:
        keyed = [c.name for c in plan.columns if any(s.needs_key for s in c.steps)]
        shared = (
            linking.extracts_with_key(self.catalog, keyring.fingerprint, exclude=urn)
            if keyring and keyed
            else []
        )
        held = linking.held_elsewhere(self.catalog, request.dataset, plan)
        report = assess(
            counter,
            request.policy.risk,
            linking=held,
            persistent_keys=keyed if shared else [],
            shared_with=shared,
            coarseners=plan.coarseners(),
        )
        return ExtractRecord(
            urn=urn,
            path=str(request.out.resolve()),
            format=request.out.suffix.lower().lstrip("."),
            source=request.dataset,
            organization=organization,
            policy=request.policy.name,
            policy_digest=request.policy.digest(),
            key_id=keyring.active_id if keyring else None,
            key_fingerprint=keyring.fingerprint if keyring else None,
            rows=counter.rows,
            columns=[
                ExtractColumn(name=c.name, operation=c.label, kind=c.kind, terms=c.terms)
                for c in plan.columns
            ],
            removed=plan.removed,
            filters=[f.describe() for f in request.filters],
            made_by=account.urn,
            made_at=datetime.now(UTC),
            risk=report,
            limits=request.policy.risk,
        )

    def _register(self, record: ExtractRecord) -> None:
        source = self.catalog.entity(record.source)
        name = source.aspects.get("datasetProperties", {}).get("name") or record.source
        writes = extract_writes(
            record,
            source_level=sensitivity_of(self.catalog, record.source),
            container=source.aspects.get("container", {}).get("container"),
            domains=source.aspects.get("domains", {}).get("domains", []),
            description=f"Extrait de {name} selon la politique {record.policy}.",
        )
        self.catalog.write(writes, actor=record.made_by)


def registered_extracts(catalog: Catalog) -> list[ExtractRecord]:
    """Every extract registered in ``catalog`` whose report is still on disk, latest first."""
    found = []
    for summary in catalog.entities("dataset", platform="file"):
        if summary.subtype != "Extract":
            continue
        stored = catalog.store.latest_aspect(summary.urn, "datasetProperties")
        properties = json.loads(stored).get("customProperties", {}) if stored else {}
        report = Path(str(properties.get(PROPERTY_PREFIX + "report", "")))
        if report.is_file():
            found.append(ExtractRecord.model_validate_json(report.read_text(encoding="utf-8")))
    return sorted(found, key=lambda record: record.made_at, reverse=True)


@contextmanager
def _all_or_nothing(out: Path) -> Iterator[list[Callable[[], None]]]:
    """Undo steps registered by the block, run in reverse when it fails."""
    undo: list[Callable[[], None]] = []
    try:
        yield undo
    except BaseException:
        for step in reversed(undo):
            try:
                step()
            except FileNotFoundError:
                pass
            except OSError:
                log.warning("could not clean up after a failed extract to %s", out.name)
        raise
