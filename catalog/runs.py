"""The ingestion run log: one row per pipeline run, with its recipe (secrets hidden) and counts."""

from __future__ import annotations

import json
import os
import re
import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from catalog.database import Database, as_utc
from catalog.models import IngestionRun
from catalog.tables import ingestion_runs

RUNNING, SUCCESS, FAILURE, CANCELLED, INTERRUPTED = (
    "RUNNING",
    "SUCCESS",
    "FAILURE",
    "CANCELLED",
    "INTERRUPTED",
)
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api_?key|credential", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@/\s]+@")
MASK = "********"


def mask_secrets(value: Any) -> Any:
    """A copy of a recipe with passwords, tokens and secrets hidden (in keys and in URLs)."""
    if isinstance(value, dict):
        return {
            k: MASK if _SECRET_KEY.search(str(k)) and v not in (None, "") else mask_secrets(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    if isinstance(value, str):
        return _URL_PASSWORD.sub(rf"\g<1>{MASK}@", value)
    return value


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def effective_status(status: str, host: str | None, pid: int | None) -> str:
    """A run still marked RUNNING whose process is gone on this host was interrupted."""
    if status == RUNNING and host == socket.gethostname() and not _pid_alive(pid):
        return INTERRUPTED
    return status


class RunLog:
    """Records and lists ingestion runs."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def start(
        self, run_id: str, pipeline_name: str | None, source_type: str, recipe: dict[str, Any]
    ) -> None:
        """Record that a run started (idempotent for the same run id)."""
        with self.database.write() as conn:
            exists = conn.scalar(
                select(ingestion_runs.c.run_id).where(ingestion_runs.c.run_id == run_id)
            )
            if exists:
                return
            conn.execute(
                insert(ingestion_runs).values(
                    run_id=run_id,
                    pipeline_name=pipeline_name,
                    source_type=source_type,
                    recipe=json.dumps(mask_secrets(recipe), ensure_ascii=False, default=str),
                    status=RUNNING,
                    started_at=datetime.now(UTC),
                    host=socket.gethostname(),
                    pid=os.getpid(),
                )
            )

    def finish(
        self,
        run_id: str,
        status: str,
        counts: dict[str, int],
        warnings: list[dict[str, Any]],
        failures: list[dict[str, Any]],
    ) -> None:
        """Record how a run ended: its status, counts, warnings and failures."""
        now = datetime.now(UTC)
        with self.database.write() as conn:
            started = conn.scalar(
                select(ingestion_runs.c.started_at).where(ingestion_runs.c.run_id == run_id)
            )
            if started is None:
                return
            started = as_utc(started)
            conn.execute(
                update(ingestion_runs)
                .where(ingestion_runs.c.run_id == run_id)
                .values(
                    status=status,
                    finished_at=now,
                    duration_s=(now - started).total_seconds(),
                    **counts,
                    warnings=json.dumps(warnings, ensure_ascii=False, default=str),
                    failures=json.dumps(failures, ensure_ascii=False, default=str),
                )
            )

    def list(self, limit: int = 50, pipeline_name: str | None = None) -> list[IngestionRun]:
        """The newest runs first."""
        query = select(ingestion_runs).order_by(ingestion_runs.c.started_at.desc()).limit(limit)
        if pipeline_name:
            query = query.where(ingestion_runs.c.pipeline_name == pipeline_name)
        with self.database.read() as conn:
            return [self._model(row._mapping) for row in conn.execute(query)]

    def get(self, run_id: str) -> IngestionRun | None:
        """One run, or None."""
        with self.database.read() as conn:
            row = conn.execute(
                select(ingestion_runs).where(ingestion_runs.c.run_id == run_id)
            ).first()
        return self._model(row._mapping) if row else None

    @staticmethod
    def _model(row: Any) -> IngestionRun:
        data = dict(row)
        data["status"] = effective_status(data["status"], data.pop("host"), data.pop("pid"))
        data["recipe"] = json.loads(data["recipe"])
        data["warnings"] = json.loads(data["warnings"])
        data["failures"] = json.loads(data["failures"])
        return IngestionRun.model_validate(data)
