import json

import pytest
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata.schema_classes import (
    ChangeTypeClass,
    DatasetPropertiesClass,
    DatasetSnapshotClass,
    GenericAspectClass,
    MetadataChangeEventClass,
    MetadataChangeProposalClass,
    StatusClass,
    UsageAggregationClass,
    WindowDurationClass,
)

from catalog.aspect_values import same_content
from catalog.records import UnsupportedRecordError, aspect_writes, wrappers_from_rows

URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,org.sis.eleves,PROD)"


def test_a_wrapper_becomes_one_canonical_write():
    [write] = aspect_writes(
        MetadataChangeProposalWrapper(
            entityUrn=URN, aspect=DatasetPropertiesClass(name="élèves", description="Élèves")
        )
    )
    assert (write.urn, write.aspect, write.patch) == (URN, "datasetProperties", False)
    assert write.value == json.dumps(
        json.loads(write.value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert "élèves" in write.value  # stored as UTF-8, not escaped


def test_an_mce_becomes_one_write_per_aspect():
    mce = MetadataChangeEventClass(
        proposedSnapshot=DatasetSnapshotClass(
            urn=URN, aspects=[StatusClass(removed=False), DatasetPropertiesClass(name="x")]
        )
    )
    assert [w.aspect for w in aspect_writes(mce)] == ["status", "datasetProperties"]


def test_a_patch_is_kept_as_operations():
    mcpc = MetadataChangeProposalClass(
        entityType="dataset",
        entityUrn=URN,
        changeType=ChangeTypeClass.PATCH,
        aspectName="datasetProperties",
        aspect=GenericAspectClass(
            contentType="application/json-patch+json",
            value=b'[{"op": "add", "path": "/name", "value": "x"}]',
        ),
    )
    [write] = aspect_writes(mcpc)
    assert write.patch and json.loads(write.value)[0]["path"] == "/name"


@pytest.mark.parametrize(
    "record",
    [
        MetadataChangeProposalWrapper(
            entityUrn=URN, aspect=StatusClass(removed=True), changeType=ChangeTypeClass.DELETE
        ),
        UsageAggregationClass(bucket=0, duration=WindowDurationClass.DAY, resource=URN, metrics={}),
    ],
)
def test_records_the_store_cannot_hold_are_refused(record):
    with pytest.raises(UnsupportedRecordError):
        aspect_writes(record)


def test_audit_stamp_times_are_not_content():
    old = '{"upstreams":[{"auditStamp":{"actor":"urn:li:corpuser:x","time":1},"dataset":"a"}]}'
    new = '{"upstreams":[{"auditStamp":{"actor":"urn:li:corpuser:x","time":2},"dataset":"a"}]}'
    other = '{"upstreams":[{"auditStamp":{"actor":"urn:li:corpuser:x","time":2},"dataset":"b"}]}'
    assert same_content("upstreamLineage", old, new)
    assert not same_content("upstreamLineage", old, other)
    # a plain timestamp (no actor) is content: a file's modification time
    assert not same_content(
        "datasetProperties", '{"lastModified":{"time":1}}', '{"lastModified":{"time":2}}'
    )


def test_attribution_times_are_not_content_but_their_details_are():
    def terms(time: int, path: str) -> str:
        attribution = {"actor": "a", "source": "s", "sourceDetail": {"path": path}, "time": time}
        return json.dumps({"fieldInfo": [{"terms": [{"attribution": attribution, "urn": "t"}]}]})

    assert same_content("editableSchemaMetadata", terms(1, "x"), terms(2, "x"))
    assert not same_content("editableSchemaMetadata", terms(1, "x"), terms(1, "y"))


def test_checkpoint_run_stamps_are_not_content():
    base = {"pipelineName": "p", "state": {"payload": "abc"}}
    one = json.dumps(base | {"runId": "r1", "timestampMillis": 1})
    two = json.dumps(base | {"runId": "r2", "timestampMillis": 2})
    changed = json.dumps(base | {"runId": "r2", "timestampMillis": 2, "state": {"payload": "x"}})
    assert same_content("datahubIngestionCheckpoint", one, two)
    assert not same_content("datahubIngestionCheckpoint", one, changed)


def test_rows_come_back_as_typed_aspects():
    [wrapper] = wrappers_from_rows(
        [(URN, "status", '{"removed":true}', None), (URN, "notAnAspect", "{}", None)]
    )
    assert isinstance(wrapper.aspect, StatusClass) and wrapper.aspect.removed is True
