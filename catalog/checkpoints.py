"""The ``cartable`` stateful-ingestion checkpoint provider.

DataHub's stale-entity removal compares each run with the previous run's checkpoint and
soft-deletes what disappeared. Checkpoints are kept in the catalogue as DataHub keeps them:
the ``datahubIngestionCheckpoint`` aspect of a dataJob URN.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.ingestion.api.common import PipelineContext
from datahub.ingestion.api.ingestion_job_checkpointing_provider_base import (
    IngestionCheckpointingProviderBase,
    IngestionCheckpointingProviderConfig,
    JobId,
)
from datahub.metadata.schema_classes import DatahubIngestionCheckpointClass

from catalog.records import aspect_writes
from catalog.service import Catalog
from catalog.sink import INGESTION_ACTOR

logger = logging.getLogger(__name__)


class CartableCheckpointingConfig(IngestionCheckpointingProviderConfig):
    """Where the checkpoints live (the catalogue)."""

    db_url: str | None = None


class CartableCheckpointingProvider(IngestionCheckpointingProviderBase):
    """Reads and commits ingestion checkpoints in the Cartable catalogue."""

    orchestrator_name: str = "cartable"

    def __init__(self, config: CartableCheckpointingConfig, run_id: str) -> None:
        super().__init__(self.__class__.__name__)
        self.config = config
        self.run_id = run_id

    @classmethod
    def create(
        cls, config_dict: dict[str, Any], ctx: PipelineContext
    ) -> CartableCheckpointingProvider:
        """Build the provider from the recipe's ``state_provider.config``."""
        return cls(CartableCheckpointingConfig.model_validate(config_dict or {}), ctx.run_id)

    def get_latest_checkpoint(
        self, pipeline_name: str, job_name: JobId
    ) -> DatahubIngestionCheckpointClass | None:
        """The checkpoint the previous run of this pipeline committed, if any."""
        urn = self.get_data_job_urn(self.orchestrator_name, pipeline_name, job_name)
        catalog = Catalog.open(self.config.db_url)
        try:
            stored = catalog.store.latest_aspect(urn, "datahubIngestionCheckpoint")
        finally:
            catalog.close()
        if stored is None:
            return None
        checkpoint = DatahubIngestionCheckpointClass.from_obj(json.loads(stored))
        return checkpoint if checkpoint.pipelineName == pipeline_name else None

    def commit(self) -> None:
        """Store the checkpoints of this run, one transaction for all jobs."""
        if not self.state_to_commit:
            return
        writes = []
        for job_name, checkpoint in self.state_to_commit.items():
            urn = self.get_data_job_urn(self.orchestrator_name, checkpoint.pipelineName, job_name)
            writes.extend(
                aspect_writes(MetadataChangeProposalWrapper(entityUrn=urn, aspect=checkpoint))
            )
        catalog = Catalog.open(self.config.db_url)
        try:
            catalog.write(writes, actor=INGESTION_ACTOR, run_id=self.run_id)
        finally:
            catalog.close()
        self.committed = True
