"""The ``sqlite`` DataHub source: DataHub's SQLAlchemy source, one SQLite file as one database.

DataHub's generic ``sqlalchemy`` source names every SQLite table ``main.<table>`` and its
database by the file's path, so two files of one organization collide. This source attaches
the file read-only under an alias (by default the file's stem) and reuses DataHub's
two-tier SQL source, so tables are ``<alias>.<table>`` — the way SQLite SQL names a table
of an attached database — and view lineage resolves unqualified names against the alias.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from datahub.ingestion.api.common import PipelineContext
from datahub.ingestion.api.decorators import (
    SupportStatus,
    config_class,
    platform_name,
    support_status,
)
from datahub.ingestion.source.sql.two_tier_sql_source import (
    TwoTierSQLAlchemyConfig,
    TwoTierSQLAlchemySource,
)
from datahub.metadata.schema_classes import ForeignKeyConstraintClass
from pydantic import Field, field_validator
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine.reflection import Inspector


class SQLiteConfig(TwoTierSQLAlchemyConfig):
    """A SQLite file and the database name its tables are catalogued under."""

    path: str = Field(description="Path of the SQLite database file.")
    database: str | None = Field(
        default=None, description="Name of the database in URNs (default: the file's stem)."
    )
    scheme: str = Field(default="sqlite", description="SQLAlchemy dialect.")
    host_port: str = Field(default="", description="Unused: SQLite has no server.")

    @field_validator("path")
    @classmethod
    def _file_exists(cls, value: str) -> str:
        if not Path(value).expanduser().is_file():
            raise ValueError(f"SQLite database file not found: {value}")
        return value

    @property
    def alias(self) -> str:
        """The database name used in URNs and SQL."""
        return self.database or Path(self.path).stem

    def get_sql_alchemy_url(self, uri_opts: Any = None, current_db: Any = None) -> str:
        """An in-memory connection; the file is attached under its alias on connect."""
        return "sqlite://"


@platform_name("SQLite", id="sqlite")
@config_class(SQLiteConfig)
@support_status(SupportStatus.ALPHA)
class SQLiteSource(TwoTierSQLAlchemySource):
    """Tables, views (with definitions and lineage) and columns of one SQLite file."""

    config: SQLiteConfig

    def __init__(self, config: SQLiteConfig, ctx: PipelineContext) -> None:
        super().__init__(config, ctx, "sqlite")

    @classmethod
    def create(cls, config_dict: dict[str, Any], ctx: PipelineContext) -> SQLiteSource:
        """Build the source from the recipe's ``source.config``."""
        return cls(SQLiteConfig.model_validate(config_dict), ctx)

    def get_inspectors(self) -> Iterable[Inspector]:
        """One inspector on an in-memory database with the file attached read-only."""
        location = Path(self.config.path).expanduser().resolve().as_uri() + "?mode=ro"
        engine = create_engine("sqlite://", **self.config.options)

        @event.listens_for(engine, "connect")
        def _attach(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute("ATTACH DATABASE ? AS ?", (location, self.config.alias))

        try:
            with engine.connect() as conn:
                yield inspect(conn)
        finally:
            engine.dispose()

    def get_db_name(self, inspector: Inspector) -> str:
        """The alias is the database name."""
        return self.config.alias

    def get_foreign_key_metadata(
        self, dataset_urn: str, schema: str, fk_dict: Mapping[str, Any], inspector: Inspector
    ) -> ForeignKeyConstraintClass:
        """DataHub requires a constraint name; SQLite's foreign keys usually have none."""
        if not fk_dict.get("name"):
            columns = "_".join(fk_dict["constrained_columns"])
            fk_dict = {**fk_dict, "name": f"fk_{dataset_urn.rsplit('.', 1)[-1][:-6]}_{columns}"}
        return super().get_foreign_key_metadata(dataset_urn, schema, fk_dict, inspector)
