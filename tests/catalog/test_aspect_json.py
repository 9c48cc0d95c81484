import pytest
from avro.errors import AvroTypeException
from datahub.metadata import schema_classes as m

from catalog.aspect_json import aspect_to_json

ASPECTS = [
    m.SchemaMetadataClass(
        schemaName="t",
        platform="urn:li:dataPlatform:sqlite",
        version=0,
        hash="",
        platformSchema=m.MySqlDDLClass(tableSchema=""),
        fields=[
            m.SchemaFieldClass(
                fieldPath="nas",
                nativeDataType="TEXT",
                type=m.SchemaFieldDataTypeClass(type=m.StringTypeClass()),
                description="Numéro d'assurance sociale",
            )
        ],
    ),
    m.UpstreamLineageClass(
        upstreams=[
            m.UpstreamClass(
                dataset="urn:li:dataset:(urn:li:dataPlatform:sqlite,a,PROD)", type="VIEW"
            )
        ]
    ),
    m.DatasetPropertiesClass(
        name="x", customProperties={"k": "v"}, lastModified=m.TimeStampClass(5)
    ),
    m.StatusClass(removed=True),
    m.GlobalTagsClass(tags=[m.TagAssociationClass(tag="urn:li:tag:pii")]),
]


@pytest.mark.parametrize("aspect", ASPECTS, ids=lambda a: a.get_aspect_name())
def test_same_json_as_datahub(aspect):
    assert aspect_to_json(aspect) == aspect.to_obj()


def test_a_missing_required_field_is_refused_as_datahub_does():
    broken = m.ForeignKeyConstraintClass(
        name=None,
        foreignFields=[],
        sourceFields=[],  # type: ignore[arg-type]
        foreignDataset="urn:li:dataset:(urn:li:dataPlatform:sqlite,a,PROD)",
    )
    with pytest.raises(AvroTypeException):
        broken.to_obj()
    with pytest.raises(AvroTypeException):
        aspect_to_json(broken)
