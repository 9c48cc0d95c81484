"""Reading a source in chunks and writing an extract so that a failure leaves nothing.

Readers never hold the whole table: a database is read through a server-side cursor
(``stream_results``) ``chunk_rows`` rows at a time; CSV and Parquet files by pandas and
pyarrow in batches; Excel sheets row by row in openpyxl's read-only mode. Every reader
yields pandas frames of Python values (``object`` columns: codes keep their leading zeros,
integers with gaps stay integers).

Writers write to ``<file>.partial`` and move it into place only on ``commit``; ``abort``
removes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import (
    Connection,
    MetaData,
    Select,
    String,
    Table,
    and_,
    create_engine,
    select,
    type_coerce,
)
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import SQLAlchemyError

from anonymization.operators import ValueKind
from anonymization.operators.base import as_text
from anonymization.row_filter import RowFilter
from anonymization.sampling import SampleSource
from catalog.errors import CartableError

CHUNK_ROWS = 50_000


class ChunkReader(Protocol):
    """A source read in chunks."""

    def columns(self) -> list[tuple[str, ValueKind]]:
        """Each column's name and the kind of its values."""

    def chunks(
        self, columns: Sequence[str], filters: Sequence[RowFilter], size: int
    ) -> Iterator[pd.DataFrame]:
        """The selected rows, ``size`` at a time, with only ``columns``."""


def _kind(column_type: sqltypes.TypeEngine[Any]) -> ValueKind:
    if isinstance(column_type, sqltypes.Boolean):
        return "boolean"
    if isinstance(column_type, sqltypes.Integer):
        return "integer"
    if isinstance(column_type, sqltypes.Numeric | sqltypes.Float):
        return "float"
    if isinstance(column_type, sqltypes.DateTime):
        return "datetime"
    if isinstance(column_type, sqltypes.Date):
        return "date"
    return "string"


class SqlReader:
    """A table of a database, through SQLAlchemy."""

    def __init__(self, source: SampleSource) -> None:
        self.engine = create_engine(source.location)
        try:
            assert source.table is not None
            self.table = Table(
                source.table, MetaData(), schema=source.schema_name, autoload_with=self.engine
            )
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise CartableError(f"cannot read {source.table}: {type(exc).__name__}") from None

    def columns(self) -> list[tuple[str, ValueKind]]:
        """The table's columns and their kinds."""
        return [(c.name, _kind(c.type)) for c in self.table.columns]

    def chunks(
        self, columns: Sequence[str], filters: Sequence[RowFilter], size: int
    ) -> Iterator[pd.DataFrame]:
        """Rows through a server-side cursor; dates as the database gives them."""
        selected = [
            type_coerce(self.table.c[name], String()).label(name)
            if _kind(self.table.c[name].type) in ("date", "datetime")
            else self.table.c[name]
            for name in columns
        ]
        query = select(*selected)
        if filters:
            query = query.where(and_(*(f.sql(self.table) for f in filters)))
        decimals = [
            n
            for n in columns
            if isinstance(self.table.c[n].type, sqltypes.Numeric | sqltypes.Float)
        ]
        try:
            with self.engine.connect() as conn:
                cursor = _streaming_cursor(conn, query)
                try:
                    while rows := cursor.fetchmany(size):
                        yield _frame(rows, columns, decimals)
                finally:
                    cursor.close()
        finally:
            self.engine.dispose()


def _streaming_cursor(conn: Connection, query: Select[Any]) -> Any:
    """The driver's own cursor on ``query``, server-side where the driver has one (rows come
    as plain tuples: building SQLAlchemy rows costs more than reading them). The query is
    compiled by SQLAlchemy with bound parameters, never pasted."""
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params
    )
    driver = conn.connection.dbapi_connection
    assert driver is not None
    if conn.dialect.name == "postgresql":
        cursor = driver.cursor(name="cartable_extract")  # server-side
        cursor.itersize = 10_000  # type: ignore[attr-defined]
    elif conn.dialect.name in ("mysql", "mariadb"):
        import pymysql.cursors

        cursor = driver.cursor(pymysql.cursors.SSCursor)  # unbuffered
    else:
        cursor = driver.cursor()  # SQLite steps through the table as rows are fetched
    cursor.execute(str(compiled), args)
    return cursor


def _frame(
    rows: Sequence[Sequence[Any]], columns: Sequence[str], decimals: Sequence[str]
) -> pd.DataFrame:
    """A chunk of driver rows as Python values (an integer column with gaps stays integers;
    a NUMERIC's ``Decimal`` becomes a float, as SQLAlchemy would make it)."""
    table = np.empty((len(rows), len(columns)), dtype=object)
    table[:] = rows
    frame = pd.DataFrame(table, columns=list(columns), dtype=object)
    for name in decimals:
        if frame[name].map(type).eq(Decimal).any():
            frame[name] = frame[name].map(lambda v: None if v is None else float(v))
    return frame


class FileReader:
    """A CSV, Parquet or Excel file of a shared drive."""

    def __init__(self, source: SampleSource) -> None:
        self.source = source
        self.path = Path(source.location)
        if not self.path.is_file():
            raise CartableError(f"source file {self.path} not found")

    def columns(self) -> list[tuple[str, ValueKind]]:
        """The file's columns (text, except Parquet's typed ones)."""
        if self.source.kind == "parquet":
            schema = pq.read_schema(self.path)
            return [(f.name, _arrow_kind(f.type)) for f in schema]
        first = next(self._frames(None, 1), pd.DataFrame())
        return [(str(c), "string") for c in first.columns]

    def chunks(
        self, columns: Sequence[str], filters: Sequence[RowFilter], size: int
    ) -> Iterator[pd.DataFrame]:
        """Batches of rows, filtered."""
        for frame in self._frames(None, size):
            if filters:
                keep = pd.Series(True, index=frame.index)
                for row_filter in filters:
                    keep &= row_filter.mask(frame)
                frame = frame[keep]
            yield frame[list(columns)].astype(object)

    def _frames(self, columns: Sequence[str] | None, size: int) -> Iterator[pd.DataFrame]:
        if self.source.kind == "csv":
            yield from pd.read_csv(self.path, dtype=str, chunksize=size)
        elif self.source.kind == "parquet":
            for batch in pq.ParquetFile(self.path).iter_batches(batch_size=size):
                yield batch.to_pandas()
        else:
            yield from _excel_frames(self.path, self.source.sheet, size)


def _excel_frames(path: Path, sheet: str | None, size: int) -> Iterator[pd.DataFrame]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        header = [str(v) for v in next(rows, ())]
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(None if v is None else str(v) for v in row))
            if len(batch) == size:
                yield pd.DataFrame(batch, columns=header, dtype=object)
                batch = []
        if batch:
            yield pd.DataFrame(batch, columns=header, dtype=object)
    finally:
        book.close()


def _arrow_kind(arrow_type: pa.DataType) -> ValueKind:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "float"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    return "string"


def open_reader(source: SampleSource) -> ChunkReader:
    """The reader for where a dataset lives."""
    return SqlReader(source) if source.kind == "sql" else FileReader(source)


# Writers ---------------------------------------------------------------------------------

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.string(),  # ISO text: sources disagree on date types; text reads everywhere
    "datetime": pa.string(),
}


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return as_text(value)


def _strings(values: pd.Series) -> pa.Array:
    """Text for Arrow: straight through when it already is (the common case), else each
    value as a person would read it."""
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_text(v) for v in values], type=pa.string())


class ExtractWriter:
    """An extract file written chunk by chunk, in place only once committed."""

    def __init__(self, path: Path, kinds: dict[str, ValueKind]) -> None:
        if path.suffix.lower() not in (".csv", ".parquet"):
            raise CartableError(f"{path}: an extract is a .csv or a .parquet file")
        if not path.parent.is_dir():
            raise CartableError(f"folder {path.parent} not found")
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.kinds = kinds
        self.schema = pa.schema([(name, ARROW_TYPES[kind]) for name, kind in kinds.items()])
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pa.OSFile | None = None
        self.rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        """Append a chunk of the extract's rows."""
        if self.path.suffix.lower() == ".parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.partial, self.schema)
            self._parquet.write_table(self._arrow(frame, lenient=False))
        else:
            first = self._csv is None
            if self._csv is None:
                self._csv = pa.OSFile(str(self.partial), "wb")
            options = pacsv.WriteOptions(include_header=first, quoting_style="needed")
            pacsv.write_csv(self._arrow(frame, lenient=True), self._csv, write_options=options)
        self.rows += len(frame)

    def _arrow(self, frame: pd.DataFrame, *, lenient: bool) -> pa.Table:
        """A chunk as Arrow columns of the extract's types; a value of another type is an
        error for Parquet and written as text in a CSV (SQLite lets columns hold anything)."""
        arrays = []
        for name, kind in self.kinds.items():
            values = frame[name]
            if ARROW_TYPES[kind] == pa.string():
                arrays.append(_strings(values))
                continue
            try:
                arrays.append(pa.array(values, type=ARROW_TYPES[kind], from_pandas=True))
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
                if not lenient:
                    raise CartableError(f"column {name} holds values that are not {kind}") from None
                arrays.append(_strings(values))
        return pa.Table.from_arrays(arrays, names=list(self.kinds))

    def commit(self) -> None:
        """Close the file and move it into place (an empty extract still has its header)."""
        if self._parquet is None and self._csv is None:
            self.write(pd.DataFrame({name: [] for name in self.kinds}, dtype=object))
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        """Close and remove what was written."""
        for handle in (self._parquet, self._csv):
            if handle is not None:
                handle.close()
        self.partial.unlink(missing_ok=True)
