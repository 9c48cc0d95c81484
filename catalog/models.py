"""Typed views of the catalogue that the CLI, the UI and other packages use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class BatchResult(BaseModel):
    """What one transactional batch of aspect writes did.

    ``written`` is the net number of new aspect values: a batch that undoes a value its own
    run wrote earlier counts -1, so a run's batches add up to what the run changed.
    """

    written: int = 0
    unchanged: int = 0
    entities: int = 0


class EntitySummary(BaseModel):
    """One row of the entity index."""

    urn: str
    entity_type: str
    platform: str | None = None
    qualified_name: str | None = None
    name: str | None = None
    subtype: str | None = None
    organization: str | None = None
    container_urn: str | None = None
    domain_urn: str | None = None
    removed: bool = False
    first_seen: datetime
    last_seen: datetime
    last_run_id: str | None = None


class AspectVersion(BaseModel):
    """One stored version of an aspect: version 0 is the latest."""

    urn: str
    aspect: str
    version: int
    value: dict[str, Any]
    created_on: datetime
    created_by: str


class EntityDetail(BaseModel):
    """An entity with its latest aspects and how many versions each has."""

    summary: EntitySummary
    aspects: dict[str, dict[str, Any]]
    versions: dict[str, int] = Field(default_factory=dict)


class IngestionRun(BaseModel):
    """A recorded ingestion run."""

    run_id: str
    pipeline_name: str | None
    source_type: str
    recipe: dict[str, Any]
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    duration_s: float | None = None
    events_produced: int = 0
    aspects_written: int = 0
    aspects_unchanged: int = 0
    entities_seen: int = 0
    warnings: list[dict[str, Any]] = Field(default_factory=list)
    failures: list[dict[str, Any]] = Field(default_factory=list)
