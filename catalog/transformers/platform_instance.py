"""The ``cartable_platform_instance`` DataHub transformer: attach datasets to their instance.

Some DataHub sources (Excel) put the platform instance in dataset URNs but emit no
``dataPlatformInstance`` aspect; this transformer adds it where it is missing, so every
dataset of an organization is attached to it the same way.
"""

from __future__ import annotations

from typing import cast

from datahub.configuration.common import ConfigModel
from datahub.emitter.mce_builder import (
    Aspect,
    make_data_platform_urn,
    make_dataplatform_instance_urn,
)
from datahub.ingestion.api.common import PipelineContext
from datahub.ingestion.transformer.dataset_transformer import DatasetTransformer
from datahub.metadata.schema_classes import DataPlatformInstanceClass

from catalog.entity_index import dataset_key


class PlatformInstanceConfig(ConfigModel):
    """The platform instance (the organization's code)."""

    instance: str


class PlatformInstanceTransformer(DatasetTransformer):
    """Adds ``dataPlatformInstance`` to datasets that lack it; leaves others alone."""

    def __init__(self, config: PlatformInstanceConfig, ctx: PipelineContext) -> None:
        super().__init__()
        self.config = config
        self.ctx = ctx

    @classmethod
    def create(cls, config_dict: dict, ctx: PipelineContext) -> PlatformInstanceTransformer:
        """Build the transformer from the recipe's ``config``."""
        return cls(PlatformInstanceConfig.model_validate(config_dict), ctx)

    def aspect_name(self) -> str:
        """The aspect this transformer writes."""
        return "dataPlatformInstance"

    def transform_aspect(
        self, entity_urn: str, aspect_name: str, aspect: Aspect | None
    ) -> Aspect | None:
        """Keep an existing aspect; otherwise build one from the URN's platform."""
        if aspect is not None:
            return aspect
        platform = dataset_key(entity_urn)[0]
        return cast(
            Aspect,
            DataPlatformInstanceClass(
                platform=make_data_platform_urn(platform),
                instance=make_dataplatform_instance_urn(platform, self.config.instance),
            ),
        )
