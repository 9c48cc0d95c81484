"""What an extract leaves in the catalogue: a dataset with its lineage and the policy applied.

The extract is a DataHub dataset of the ``file`` platform, attached to its source's
organization and domain, with a schema, a fine-grained lineage from each source column
(the transformation named: ``pseudonym(hmac-sha256)``, ``generalize(year)``…), the policy's
name and digest, the key's id and fingerprint — never the key — and the risk verdict.
Pseudonymized data is still personal information: such an extract keeps its source's
sensitivity level.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from datahub.emitter.mce_builder import (
    make_data_platform_urn,
    make_dataset_urn,
    make_schema_field_urn,
)
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh
from pydantic import BaseModel

from anonymization.risk import Level, RiskReport, RiskSettings
from catalog import pi_terms
from catalog.aspect_values import AspectWrite
from catalog.field_terms import column_name
from catalog.records import aspect_writes

EXTRACT_ACTOR = "urn:li:corpuser:cartable-extract"
EXTRACT_TAG = "urn:li:tag:extrait"
PROPERTY_PREFIX = "cartable.extract."
_TYPES: dict[str, Any] = {
    "integer": dh.NumberTypeClass,
    "float": dh.NumberTypeClass,
    "boolean": dh.BooleanTypeClass,
    "date": dh.DateTypeClass,
    "datetime": dh.TimeTypeClass,
    "string": dh.StringTypeClass,
}
KEYED = ("pseudonym", "encrypt")


class ExtractColumn(BaseModel):
    """A column of the extract: what made it and from which personal information."""

    name: str
    operation: str
    kind: str
    terms: list[str]


class ExtractRecord(BaseModel):
    """Everything known about one extract (the risk report's JSON holds it whole)."""

    urn: str
    path: str
    format: str
    source: str
    organization: str | None
    policy: str
    policy_digest: str
    key_id: str | None
    key_fingerprint: str | None
    rows: int
    columns: list[ExtractColumn]
    removed: list[str]
    filters: list[str]
    made_by: str
    made_at: datetime
    risk: RiskReport
    limits: RiskSettings

    @property
    def pseudonymized(self) -> bool:
        """Whether personal information is still there, keyed or kept (not anonymized)."""
        return any(
            c.operation.startswith(KEYED) or (c.operation == "keep" and c.terms)
            for c in self.columns
        )

    @property
    def anonymized(self) -> bool:
        """Whether the extract meets the regulation's bar: very low risk, nothing keyed."""
        return self.risk.verdict == Level.VERY_LOW and not self.pseudonymized


def extract_urn(path: Path, organization: str | None) -> str:
    """The URN of an extract file, named as the shared-drive source names files."""
    name = str(path.resolve()).lstrip("/")
    return make_dataset_urn("file", f"{organization}.{name}" if organization else name)


def _schema(record: ExtractRecord) -> dh.SchemaMetadataClass:
    return dh.SchemaMetadataClass(
        schemaName=Path(record.path).name,
        platform=make_data_platform_urn("file"),
        version=0,
        hash="",
        platformSchema=dh.OtherSchemaClass(rawSchema=""),
        fields=[
            dh.SchemaFieldClass(
                fieldPath=c.name,
                nativeDataType=c.kind,
                type=dh.SchemaFieldDataTypeClass(type=_TYPES.get(c.kind, dh.StringTypeClass)()),
                description=c.operation,
            )
            for c in record.columns
        ],
    )


def _lineage(record: ExtractRecord, stamp: dh.AuditStampClass) -> dh.UpstreamLineageClass:
    def field(urn: str, name: str) -> str:  # named as lineage names columns
        return make_schema_field_urn(urn, column_name(name))

    return dh.UpstreamLineageClass(
        upstreams=[
            dh.UpstreamClass(
                dataset=record.source, type=dh.DatasetLineageTypeClass.TRANSFORMED, auditStamp=stamp
            )
        ],
        fineGrainedLineages=[
            dh.FineGrainedLineageClass(
                upstreamType=dh.FineGrainedLineageUpstreamTypeClass.FIELD_SET,
                upstreams=[field(record.source, c.name)],
                downstreamType=dh.FineGrainedLineageDownstreamTypeClass.FIELD,
                downstreams=[field(record.urn, c.name)],
                transformOperation=c.operation,
            )
            for c in record.columns
        ],
    )


def _properties(record: ExtractRecord) -> dict[str, str]:
    values = {
        "source": record.source,
        "policy": record.policy,
        "policyDigest": record.policy_digest,
        "keyId": record.key_id or "",
        "keyFingerprint": record.key_fingerprint or "",
        "rows": str(record.rows),
        "removed": ",".join(record.removed),
        "where": " AND ".join(record.filters),
        "madeBy": record.made_by,
        "riskVerdict": record.risk.verdict.value,
        "pseudonymized": str(record.pseudonymized).lower(),
        "report": record.path + ".risk.json",
    }
    return {PROPERTY_PREFIX + key: value for key, value in values.items()}


def _terms(record: ExtractRecord, level: str, stamp: dh.AuditStampClass) -> dh.GlossaryTermsClass:
    return dh.GlossaryTermsClass(
        terms=[dh.GlossaryTermAssociationClass(urn=pi_terms.SENSITIVITY_PREFIX + level)],
        auditStamp=stamp,
    )


def _field_terms(
    record: ExtractRecord, stamp: dh.AuditStampClass
) -> dh.EditableSchemaMetadataClass:
    """Kept personal columns keep their terms; transformed ones are marked derived."""
    fields = []
    for column in record.columns:
        if not column.terms:
            continue
        terms = column.terms if column.operation == "keep" else ["derived"]
        fields.append(
            dh.EditableSchemaFieldInfoClass(
                fieldPath=column.name,
                glossaryTerms=dh.GlossaryTermsClass(
                    terms=[
                        dh.GlossaryTermAssociationClass(urn=pi_terms.term_urn(t)) for t in terms
                    ],
                    auditStamp=stamp,
                ),
            )
        )
    return dh.EditableSchemaMetadataClass(editableSchemaFieldInfo=fields, created=stamp)


def extract_writes(
    record: ExtractRecord,
    *,
    source_level: str | None,
    container: str | None,
    domains: list[str],
    description: str,
) -> list[AspectWrite]:
    """The aspects that register an extract, as catalogue writes."""
    time = int(record.made_at.timestamp() * 1000)
    stamp = dh.AuditStampClass(time=time, actor=record.made_by)
    level = (source_level or "confidentiel") if not record.anonymized else "interne"
    aspects: list[dh._Aspect] = [
        dh.DatasetPropertiesClass(
            name=Path(record.path).name,
            description=description,
            customProperties=_properties(record),
            created=dh.TimeStampClass(time=time, actor=record.made_by),
        ),
        dh.SubTypesClass(typeNames=["Extract"]),
        _schema(record),
        _lineage(record, stamp),
        dh.OwnershipClass(
            owners=[dh.OwnerClass(owner=record.made_by, type=dh.OwnershipTypeClass.DATA_STEWARD)],
            lastModified=stamp,
        ),
        dh.GlobalTagsClass(tags=[dh.TagAssociationClass(tag=EXTRACT_TAG)]),
        _terms(record, level, stamp),
        _field_terms(record, stamp),
        dh.StatusClass(removed=False),
    ]
    aspects += placement(record.organization, container, domains)
    return as_writes(record.urn, aspects)


def placement(
    organization: str | None, container: str | None, domains: list[str]
) -> list[dh._Aspect]:
    """The aspects that attach an output file to its source's organization and domain."""
    aspects: list[dh._Aspect] = []
    if organization:
        platform = make_data_platform_urn("file")
        aspects.append(
            dh.DataPlatformInstanceClass(
                platform=platform,
                instance=f"urn:li:dataPlatformInstance:({platform},{organization})",
            )
        )
    if container:
        aspects.append(dh.ContainerClass(container=container))
    if domains:
        aspects.append(dh.DomainsClass(domains=domains))
    return aspects


def as_writes(urn: str, aspects: list[dh._Aspect]) -> list[AspectWrite]:
    """Aspects of one entity as catalogue writes (validated by DataHub's classes)."""
    return [
        write
        for aspect in aspects
        for write in aspect_writes(MetadataChangeProposalWrapper(entityUrn=urn, aspect=aspect))
    ]
