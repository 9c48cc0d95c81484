"""Tables of counts from a dataset, with small cells suppressed so that none can be
recomputed from the totals (``small_cells``), written and registered like an extract.

The policy applies to the counted columns first (a birth date counted by age band, a school
by organization); its ``aggregate`` section sets the threshold. The published file holds the
suppressed cells as ``x``; the true counts of suppressed cells never leave the process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from datahub.emitter.mce_builder import make_data_platform_urn
from datahub.metadata import schema_classes as dh
from pydantic import BaseModel

from anonymization.extract_io import CHUNK_ROWS
from anonymization.extract_plan import ColumnPlan, run_steps
from anonymization.extract_record import (
    EXTRACT_TAG,
    PROPERTY_PREFIX,
    as_writes,
    extract_urn,
    placement,
)
from anonymization.extracts import ExtractRequest, Extracts
from anonymization.operators import OperatorContext
from anonymization.operators.base import as_text
from anonymization.policy import ExtractPolicy
from anonymization.row_filter import RowFilter
from anonymization.small_cells import suppress
from catalog import pi_terms
from catalog.aspect_values import AspectWrite
from catalog.errors import CartableError
from catalog.roles import Account

MARK = "x"
NONE_LABEL = "(vide)"


class TabulationRequest(BaseModel):
    """Counts of ``rows`` (by ``columns`` when given) of a dataset under a policy."""

    dataset: str
    policy: ExtractPolicy
    out: Path
    rows: str
    columns: str | None = None
    filters: list[RowFilter] = []
    chunk_rows: int = CHUNK_ROWS
    as_of: date | None = None


class TabulationRecord(BaseModel):
    """A published table of counts: what it counts and what was suppressed."""

    urn: str
    path: str
    source: str
    policy: str
    policy_digest: str
    rows: str
    columns: str | None
    threshold: int
    records: int
    cells: int
    primary: int
    complementary: int
    made_by: str
    made_at: datetime
    published: list[dict[str, str]]  # the table as written, row by row


def _counts(
    service: Extracts, account: Account, request: TabulationRequest
) -> tuple[pd.DataFrame, int, str | None]:
    extract = ExtractRequest(
        dataset=request.dataset,
        policy=request.policy,
        out=request.out,
        filters=request.filters,
        chunk_rows=request.chunk_rows,
    )
    reader, plan = service.prepare(account, extract)
    by_name = {c.name: c for c in plan.columns}
    wanted = [request.rows] + ([request.columns] if request.columns else [])
    for name in wanted:
        if name not in by_name:
            raise CartableError(f"{name} is not a column of the extract (unknown or removed)")
    organization = service.catalog.entity(request.dataset).summary.organization
    context = OperatorContext(organization=organization, as_of=request.as_of or date.today())
    context.frequencies = service.frequencies(reader, plan, extract, context)
    totals: pd.Series | None = None
    records = 0
    for chunk in reader.chunks(wanted, request.filters, request.chunk_rows):
        values = pd.DataFrame(
            {
                n: _counted_values(by_name[n], chunk[n], context).map(
                    lambda v: NONE_LABEL if v is None or v != v else as_text(v)
                )
                for n in wanted
            }
        )
        part = values.groupby(wanted).size()
        totals = part if totals is None else totals.add(part, fill_value=0)
        records += len(chunk)
    if totals is None:
        raise CartableError("no row to count")
    table = totals.astype(int).unstack(fill_value=0) if request.columns else totals.to_frame("n")
    return table.sort_index(axis=0).sort_index(axis=1), records, organization


def _counted_values(column: ColumnPlan, values: pd.Series, context: OperatorContext) -> pd.Series:
    """A column's values through its steps (a pseudonym or a token counts nothing useful)."""
    if any(step.needs_key for step in column.steps):
        raise CartableError(f"{column.name}: a pseudonymized column cannot be counted")
    return run_steps(column.name, column.steps, values, context)


def tabulate(
    service: Extracts,
    account: Account,
    request: TabulationRequest,
    on_done: Callable[[int], None] | None = None,
) -> TabulationRecord:
    """Count, suppress small cells, write the CSV and register it."""
    if request.out.suffix.lower() != ".csv":
        raise CartableError(f"{request.out}: a table of counts is written as .csv")
    if not request.out.parent.is_dir():
        raise CartableError(f"folder {request.out.parent} not found")
    counts, records, organization = _counts(service, account, request)
    settings = request.policy.aggregate
    table = suppress(counts, settings.threshold, suppress_zeros=settings.suppress_zeros)
    frame = table.to_frame(mark=MARK)
    partial = request.out.with_name(request.out.name + ".partial")
    frame.to_csv(partial, index_label=request.rows)
    os.replace(partial, request.out)
    primary = sum(map(sum, table.primary))
    record = TabulationRecord(
        urn=extract_urn(request.out, organization),
        path=str(request.out.resolve()),
        source=request.dataset,
        policy=request.policy.name,
        policy_digest=request.policy.digest(),
        rows=request.rows,
        columns=request.columns,
        threshold=settings.threshold,
        records=records,
        cells=len(table.rows) * len(table.columns),
        primary=primary,
        complementary=len(table.complementary()),
        made_by=account.urn,
        made_at=datetime.now(UTC),
        published=[
            {request.rows: str(index), **{str(k): str(v) for k, v in row.items()}}
            for index, row in frame.iterrows()
        ],
    )
    try:
        service.catalog.write(_writes(service, record, organization), actor=account.urn)
    except BaseException:
        request.out.unlink(missing_ok=True)
        raise
    if on_done:
        on_done(records)
    return record


def _writes(
    service: Extracts, record: TabulationRecord, organization: str | None
) -> list[AspectWrite]:
    time = int(record.made_at.timestamp() * 1000)
    stamp = dh.AuditStampClass(time=time, actor=record.made_by)
    fields = (
        [record.rows, *(k for k in record.published[0] if k != record.rows)]
        if record.published
        else []
    )
    properties = {
        "source": record.source,
        "policy": record.policy,
        "policyDigest": record.policy_digest,
        "threshold": str(record.threshold),
        "suppressedCells": str(record.primary + record.complementary),
        "madeBy": record.made_by,
    }
    aspects: list[dh._Aspect] = [
        dh.DatasetPropertiesClass(
            name=Path(record.path).name,
            description=f"Table de fréquences de {record.rows} (petites cellules supprimées).",
            customProperties={PROPERTY_PREFIX + k: v for k, v in properties.items()},
        ),
        dh.SubTypesClass(typeNames=["Aggregate"]),
        dh.SchemaMetadataClass(
            schemaName=Path(record.path).name,
            platform=make_data_platform_urn("file"),
            version=0,
            hash="",
            platformSchema=dh.OtherSchemaClass(rawSchema=""),
            fields=[
                dh.SchemaFieldClass(
                    fieldPath=name,
                    nativeDataType="string",
                    type=dh.SchemaFieldDataTypeClass(type=dh.StringTypeClass()),
                )
                for name in fields
            ],
        ),
        dh.UpstreamLineageClass(
            upstreams=[
                dh.UpstreamClass(
                    dataset=record.source,
                    type=dh.DatasetLineageTypeClass.TRANSFORMED,
                    auditStamp=stamp,
                )
            ]
        ),
        dh.GlobalTagsClass(tags=[dh.TagAssociationClass(tag=EXTRACT_TAG)]),
        dh.GlossaryTermsClass(
            terms=[dh.GlossaryTermAssociationClass(urn=pi_terms.SENSITIVITY_PREFIX + "interne")],
            auditStamp=stamp,
        ),
        dh.StatusClass(removed=False),
    ]
    source_aspects = service.catalog.entity(record.source).aspects
    aspects += placement(
        organization,
        source_aspects.get("container", {}).get("container"),
        source_aspects.get("domains", {}).get("domains", []),
    )
    return as_writes(record.urn, aspects)
