import enum

import pytest
from avro.errors import AvroTypeException
from datahub.metadata import schema_classes as m

from catalog.aspect_json import aspect_to_json
from catalog.json_text import canonical_json, sorted_json

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
        name="x",
        customProperties={"organisme": "css-01", "k": "v", "Z": "z", "é": "e"},
        lastModified=m.TimeStampClass(5),
    ),
    m.StatusClass(removed=True),
    m.GlobalTagsClass(tags=[m.TagAssociationClass(tag="urn:li:tag:pii")]),
]


@pytest.mark.parametrize("aspect", ASPECTS, ids=lambda a: a.get_aspect_name())
def test_same_json_as_datahub(aspect):
    assert aspect_to_json(aspect) == aspect.to_obj()


@pytest.mark.parametrize("aspect", ASPECTS, ids=lambda a: a.get_aspect_name())
def test_keys_come_in_order_so_the_text_is_canonical_without_sorting(aspect):
    assert sorted_json(aspect_to_json(aspect)) == canonical_json(aspect.to_obj())


class Code(enum.StrEnum):
    """A key a source may hand over: text, but not a plain string."""

    ORGANISM = "organisme"


def test_keys_that_are_not_plain_strings_are_written_as_canonical_json_writes_them():
    named = m.DatasetPropertiesClass(customProperties={Code.ORGANISM: "css-01", "k": "v"})
    assert sorted_json(aspect_to_json(named)) == canonical_json(named.to_obj())
    numbered = m.DatasetPropertiesClass(customProperties={10: "dix", 9: "neuf"})  # type: ignore[dict-item]
    assert sorted_json(aspect_to_json(numbered)) == canonical_json(aspect_to_json(numbered))
    assert '"9":"neuf"' in sorted_json(aspect_to_json(numbered))


def test_a_dict_read_field_by_field_when_its_object_lacks_fields():
    """avrogen's objects hold every field; a dict without some (built by hand, or by an
    older class) takes each absent field's default, as avrogen does."""
    wrapper = m.StatusClass(removed=True)
    del wrapper._inner_dict["removed"]
    assert aspect_to_json(wrapper) == {"removed": False}
    assert aspect_to_json(wrapper) == m.StatusClass(removed=False).to_obj()


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


def test_parts_met_later_are_encoded_as_datahub_does():
    """Encoders of optional parts are compiled when a value first holds them: an aspect
    without them, then one with them, then the first again, each as DataHub encodes it."""
    stamp = m.AuditStampClass(time=0, actor="urn:li:corpuser:x")

    def schema(**extra: object) -> m.SchemaMetadataClass:
        field = m.SchemaFieldClass(
            fieldPath="ville",
            nativeDataType="TEXT",
            type=m.SchemaFieldDataTypeClass(type=m.StringTypeClass()),
            **extra,  # type: ignore[arg-type]
        )
        return m.SchemaMetadataClass(
            schemaName="adresses",
            platform="urn:li:dataPlatform:postgres",
            version=1,
            hash="",
            platformSchema=m.OtherSchemaClass(rawSchema=""),
            fields=[field],
        )

    plain = schema()
    rich = schema(
        glossaryTerms=m.GlossaryTermsClass(
            terms=[m.GlossaryTermAssociationClass(urn="urn:li:glossaryTerm:adresse")],
            auditStamp=stamp,
        ),
        globalTags=m.GlobalTagsClass(tags=[m.TagAssociationClass(tag="urn:li:tag:rp")]),
        created=stamp,
    )
    for aspect in (plain, rich, plain, rich):
        assert aspect_to_json(aspect) == aspect.to_obj()


def test_a_required_field_left_empty_in_a_part_met_later_is_refused():
    """The encoder of a part compiled at its first value still refuses what avrogen does."""
    broken = m.GlossaryTermsClass(
        terms=[m.GlossaryTermAssociationClass(urn=None)],  # type: ignore[arg-type]
        auditStamp=m.AuditStampClass(time=0, actor="urn:li:corpuser:x"),
    )
    aspect = m.EditableSchemaMetadataClass(
        editableSchemaFieldInfo=[
            m.EditableSchemaFieldInfoClass(fieldPath="code_postal", glossaryTerms=broken)
        ]
    )
    with pytest.raises(AvroTypeException):
        aspect.to_obj()
    with pytest.raises(AvroTypeException):
        aspect_to_json(aspect)
