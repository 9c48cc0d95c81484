"""The catalogue service: the one API that the CLI, the UI and other packages call."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from catalog.aspect_values import AspectWrite
from catalog.database import Database, open_database
from catalog.errors import NotFoundError
from catalog.field_terms import field_term_associations
from catalog.models import BatchResult, EntityDetail, EntitySummary
from catalog.runs import RunLog
from catalog.store import AspectStore
from catalog.tables import entity_index


class Catalog:
    """Datasets, their aspects and history, and the ingestion run log."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.store = AspectStore(database)
        self.runs = RunLog(database)

    @classmethod
    def open(cls, url: str | None = None) -> Catalog:
        """Open the catalogue at ``url`` (or ``$CARTABLE_DB_URL``, or the default SQLite file)."""
        return cls(open_database(url))

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()

    def write(
        self,
        writes: Sequence[AspectWrite],
        *,
        actor: str,
        run_id: str | None = None,
        also: Callable[[Connection], None] | None = None,
    ) -> BatchResult:
        """Write aspects in one transaction (see AspectStore.write_batch)."""
        return self.store.write_batch(writes, actor=actor, run_id=run_id, also=also)

    def entities(
        self,
        entity_type: str = "dataset",
        *,
        include_removed: bool = False,
        organization: str | None = None,
        domain_urn: str | None = None,
        platform: str | None = None,
        limit: int | None = None,
    ) -> list[EntitySummary]:
        """Entities from the index, ordered by organization then qualified name."""
        query = select(entity_index).where(entity_index.c.entity_type == entity_type)
        if not include_removed:
            query = query.where(entity_index.c.removed.is_(False))
        if organization:
            query = query.where(entity_index.c.organization == organization)
        if domain_urn:
            query = query.where(entity_index.c.domain_urn == domain_urn)
        if platform:
            query = query.where(entity_index.c.platform == platform)
        query = query.order_by(
            entity_index.c.organization, entity_index.c.qualified_name, entity_index.c.urn
        )
        if limit:
            query = query.limit(limit)
        with self.database.read() as conn:
            return [EntitySummary.model_validate(dict(r._mapping)) for r in conn.execute(query)]

    def count(self, entity_type: str = "dataset", *, include_removed: bool = False) -> int:
        """How many entities of a type the index holds."""
        query = select(func.count()).where(entity_index.c.entity_type == entity_type)
        if not include_removed:
            query = query.where(entity_index.c.removed.is_(False))
        with self.database.read() as conn:
            return int(conn.scalar(query) or 0)

    def field_terms(self, urn: str) -> dict[str, list[dict[str, Any]]]:
        """The glossary-term associations on each field of a dataset (ingested and edited)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for aspect in ("schemaMetadata", "editableSchemaMetadata"):
            stored = self.store.latest_aspect(urn, aspect)
            if stored:
                for path, association in field_term_associations(json.loads(stored)):
                    found.setdefault(path, []).append(association)
        return found

    def entity(self, urn: str) -> EntityDetail:
        """An entity with its latest aspects; NotFoundError when the URN is unknown."""
        with self.database.read() as conn:
            row = conn.execute(select(entity_index).where(entity_index.c.urn == urn)).first()
        if row is None:
            raise NotFoundError(f"no entity {urn} in the catalogue")
        latest = self.store.latest(urn)
        return EntityDetail(
            summary=EntitySummary.model_validate(dict(row._mapping)),
            aspects={name: json.loads(value) for name, value in sorted(latest.items())},
            versions=self.store.version_counts(urn),
        )
