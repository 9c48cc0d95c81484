"""The ``cartable_domain`` DataHub transformer: set each dataset's domain by URN pattern.

DataHub's ``pattern_add_dataset_domain`` refuses to start without a DataHub server, even
when it only overwrites domains with full URNs. This transformer is DataHub's ``AddDomain``
with OVERWRITE semantics and rules given as full domain URNs, so it needs no server.
"""

from __future__ import annotations

import re

from datahub.configuration.common import ConfigModel, TransformerSemantics
from datahub.ingestion.api.common import PipelineContext
from datahub.ingestion.transformer.add_domain import AddDomain, AddDomainConfig
from datahub.metadata.schema_classes import DomainsClass
from pydantic import Field, field_validator


class CartableDomainConfig(ConfigModel):
    """Rules from a regular expression on the dataset URN to a domain URN; first match wins."""

    rules: dict[str, str] = Field(description="Regex on the dataset URN → domain URN.")

    @field_validator("rules")
    @classmethod
    def _valid(cls, rules: dict[str, str]) -> dict[str, str]:
        for pattern, urn in rules.items():
            re.compile(pattern)
            if not urn.startswith("urn:li:domain:"):
                raise ValueError(f"not a domain URN: {urn}")
        return rules


class CartableDomainTransformer(AddDomain):
    """Sets the ``domains`` aspect of every dataset from the first matching rule."""

    def __init__(self, config: CartableDomainConfig, ctx: PipelineContext) -> None:
        compiled = [(re.compile(p), urn) for p, urn in config.rules.items()]

        def domains_for(entity_urn: str) -> DomainsClass:
            for pattern, urn in compiled:
                if pattern.match(entity_urn):
                    return DomainsClass(domains=[urn])
            return DomainsClass(domains=[])

        super().__init__(
            AddDomainConfig(
                get_domains_to_add=domains_for,
                semantics=TransformerSemantics.OVERWRITE,
                replace_existing=True,
                entity_types=["dataset"],
            ),
            ctx,
        )

    @classmethod
    def create(cls, config_dict: dict, ctx: PipelineContext) -> CartableDomainTransformer:
        """Build the transformer from the recipe's ``config``."""
        return cls(CartableDomainConfig.model_validate(config_dict), ctx)
