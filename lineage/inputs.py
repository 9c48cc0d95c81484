"""Where SQL comes from: script files, folders of scripts, and query logs (JSON lines).

A script is one unit (its temporary tables live for the script); a query log is one unit per
session (``session_id``; lines without one form one session). Query-log lines are objects
with ``query`` and, optionally, ``session_id``, ``dialect``, ``default_db``,
``default_schema``, ``user`` and ``timestamp``; a line that is not such an object is
reported as a failed statement, never skipped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from datahub.sql_parsing.schema_resolver import SchemaResolver
from pydantic import BaseModel

from catalog.errors import CartableError
from lineage.models import StatementLineage
from lineage.parse import mark_dropped_temporaries, parse_script, parse_statement

QUERY_LOG_SUFFIXES = (".jsonl", ".ndjson")


class SqlSource(BaseModel):
    """A file or folder of SQL and how to read its names."""

    path: Path
    dialect: str
    platform_instance: str | None = None
    default_db: str | None = None
    default_schema: str | None = None


def source_files(path: Path) -> list[Path]:
    """The SQL scripts and query logs under ``path`` (itself when it is a file), sorted."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.suffix in (".sql", *QUERY_LOG_SUFFIXES) and p.is_file()
        )
    raise CartableError(f"no SQL file or folder at {path}")


def read_units(source: SqlSource, resolver: SchemaResolver) -> Iterator[list[StatementLineage]]:
    """Each script, and each session of each query log, parsed in order."""
    for file in source_files(source.path):
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CartableError(f"{file} is not UTF-8 text") from None
        if file.suffix in QUERY_LOG_SUFFIXES:
            yield from _query_log_sessions(text, str(file), source, resolver)
        else:
            yield parse_script(
                text,
                dialect=source.dialect,
                platform_instance=source.platform_instance,
                default_db=source.default_db,
                default_schema=source.default_schema,
                schemas=resolver,
                origin=str(file),
            )


def _query_log_sessions(
    text: str, origin: str, source: SqlSource, resolver: SchemaResolver
) -> Iterator[list[StatementLineage]]:
    sessions: dict[str, list[StatementLineage]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            entry = json.loads(line)
            query = entry["query"]
            if not isinstance(query, str):
                raise TypeError("query is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            failed = StatementLineage(index=number, statement="", query_type="UNKNOWN")
            failed.error, failed.origin = f"invalid query-log line: {exc}", where
            sessions.setdefault("", []).append(failed)
            continue
        default_db = entry.get("default_db", source.default_db)
        default_schema = entry.get("default_schema", source.default_schema)
        statement = parse_statement(
            query,
            entry.get("dialect", source.dialect),
            resolver,
            default_db=default_db,
            default_schema=default_schema,
        )
        statement.index, statement.origin = number, where
        sessions.setdefault(str(entry.get("session_id", "")), []).append(statement)
    for statements in sessions.values():
        mark_dropped_temporaries(statements)
        yield statements
