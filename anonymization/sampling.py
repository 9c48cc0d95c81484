"""Samples of column values, read where the data lives (the only I/O of detection).

SQL tables are sampled by the database (``ORDER BY random() LIMIT n``); files are read in
part with pandas. A sample is of each column's values, not of rows: a column that is mostly
empty (a note written for one student in twenty-five) is sampled among the rows where it is
filled, or its few values would decide nothing — or be missed altogether.

Where a dataset lives comes from the network file (the catalogue never holds connection
secrets): the organization's recipe for a SQL table, the path in the URN for a file of a
shared drive.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import MetaData, Table, create_engine, func, select
from sqlalchemy.engine import URL

from catalog.entity_index import dataset_key
from catalog.network import Network

FILE_ROWS = 20_000  # rows read from a file to draw the sample from
SPARSE_SHARE = 0.5  # a column filled in fewer of the sampled rows is sampled on its own


class SampleSource(BaseModel):
    """Where to read one dataset's values."""

    kind: Literal["sql", "csv", "parquet", "excel"]
    location: str  # a SQLAlchemy URL or a file path
    table: str | None = None
    schema_name: str | None = None
    sheet: str | None = None


def _sql_url(source: dict[str, Any]) -> tuple[str, str] | None:
    """(database name as in URNs, SQLAlchemy URL) of a DataHub SQL recipe's source."""
    kind, config = source.get("type"), source.get("config", {})
    if kind == "sqlite":
        path = Path(config["path"])
        return config.get("database") or path.stem, f"sqlite:///file:{path}?mode=ro&uri=true"
    if kind in ("postgres", "mysql", "mariadb"):
        host, _, port = str(config.get("host_port", "localhost")).partition(":")
        driver = "postgresql+psycopg2" if kind == "postgres" else "mysql+pymysql"
        url = URL.create(
            driver,
            username=config.get("username"),
            password=config.get("password"),
            host=host,
            port=int(port) if port else None,
            database=config.get("database"),
        )
        return str(config.get("database")), url.render_as_string(hide_password=False)
    return None


def locate(urn: str, network: Network) -> SampleSource | None:
    """Where the dataset of ``urn`` can be read, or None when the network does not say."""
    platform, name, _env = dataset_key(urn)
    org, _, rest = name.partition(".")
    if platform in ("file", "excel"):
        if platform == "excel" and "/[" in rest:
            folder, _, file_sheet = rest.partition("/[")
            file_name, _, sheet = file_sheet.partition("]")
            return SampleSource(kind="excel", location=f"/{folder}/{file_name}", sheet=sheet)
        suffix = Path(rest).suffix.lower()
        if suffix in (".csv", ".parquet"):
            return SampleSource(kind=suffix[1:], location=f"/{rest}")  # type: ignore[arg-type]
        return None
    parts = rest.split(".")
    for organization in network.organizations:
        if organization.code != org:
            continue
        for spec in organization.recipes:
            found = _sql_url(spec.source)
            if found is None or found[0] != parts[0]:
                continue
            if platform == "postgres" and len(parts) == 3:
                return SampleSource(
                    kind="sql", location=found[1], schema_name=parts[1], table=parts[2]
                )
            if len(parts) == 2:
                return SampleSource(kind="sql", location=found[1], table=parts[1])
    return None


def sample_values(source: SampleSource, size: int, seed: int = 2026) -> dict[str, list[str]]:
    """Up to ``size`` values of every column, as text (NULLs left out)."""
    if source.kind == "sql":
        return _sample_sql(source, size)
    if source.kind == "csv":
        frame = pd.read_csv(source.location, dtype=str, nrows=FILE_ROWS)
    elif source.kind == "parquet":
        frame = pd.read_parquet(source.location).head(FILE_ROWS).astype("string")
    else:
        frame = pd.read_excel(source.location, sheet_name=source.sheet, dtype=str, nrows=FILE_ROWS)
    state = random.Random(seed).randrange(2**31)
    samples = {}
    for column in frame.columns:
        filled = frame[column].dropna()
        if len(filled) > size:
            filled = filled.sample(n=size, random_state=state)
        samples[str(column)] = [str(v) for v in filled.tolist()]
    return samples


def _sample_sql(source: SampleSource, size: int) -> dict[str, list[str]]:
    engine = create_engine(source.location)
    try:
        assert source.table is not None
        table = Table(source.table, MetaData(), schema=source.schema_name, autoload_with=engine)
        shuffle = func.rand() if engine.dialect.name in ("mysql", "mariadb") else func.random()
        with engine.connect() as conn:
            rows = conn.execute(select(table).order_by(shuffle).limit(size)).all()
            samples = {
                column.name: [str(row[i]) for row in rows if row[i] is not None]
                for i, column in enumerate(table.columns)
            }
            if len(rows) < size:
                return samples  # the whole table was read
            for column in table.columns:
                if len(samples[column.name]) < SPARSE_SHARE * size:
                    filled = select(column).where(column.is_not(None)).order_by(shuffle)
                    samples[column.name] = [str(v) for v in conn.scalars(filled.limit(size))]
        return samples
    finally:
        engine.dispose()
