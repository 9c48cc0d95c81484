"""The catalogue's table schemas, for the SQL parser to resolve columns and ``SELECT *``."""

from __future__ import annotations

import json

from datahub.metadata.schema_classes import SchemaMetadataClass
from datahub.sql_parsing.schema_resolver import SchemaResolver

from catalog.service import Catalog


def catalog_schemas(
    catalog: Catalog, platform: str, platform_instance: str | None
) -> SchemaResolver:
    """A DataHub schema resolver holding the schemas of the catalogue's datasets of a platform
    (and organization, when one is given)."""
    resolver = SchemaResolver(platform=platform, platform_instance=platform_instance)
    for dataset in catalog.entities("dataset", platform=platform, organization=platform_instance):
        stored = catalog.store.latest_aspect(dataset.urn, "schemaMetadata")
        if stored:
            resolver.add_schema_metadata(
                dataset.urn, SchemaMetadataClass.from_obj(json.loads(stored))
            )
    return resolver
