"""Many rows in one statement, at the driver's speed.

SQLAlchemy processes each row's parameters in Python before the driver sees them; for the
tens of thousands of rows an ingestion batch writes, that was a sixth of the store's time,
and rendering a list of 500 keys for ``IN`` cost three times the query. On SQLite the rows
go straight to the driver's ``executemany``, and a read by keys to its cursor (each value
through its column type's processors, so times read back exactly as SQLAlchemy wrote
them); PostgreSQL keeps SQLAlchemy, whose psycopg2 dialect folds the rows into multi-row
statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, bindparam, insert, select, update

IN_LIST = 500  # values per IN (...) list: within every backend's limit on parameters
T = TypeVar("T")


def chunks(items: Iterable[T], size: int = IN_LIST) -> Iterator[list[T]]:
    """``items`` by lists of ``size`` (for IN lists and statements of bounded size)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def select_in(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    key: str,
    values: Iterable[Any],
    *,
    distinct: bool = False,
    **equal: Any,
) -> list[tuple[Any, ...]]:
    """The ``columns`` of the rows of ``table`` whose ``key`` is one of ``values`` and whose
    columns named in ``equal`` hold the values given (None: NULL), read IN_LIST values at a
    time (``distinct``: each chunk's rows once).

    On SQLite the statement goes straight to the driver, each value through its column
    type's processors (a time comes back a datetime): SQLAlchemy's rendering of a list of
    500 values cost three times the query."""
    if conn.dialect.name != "sqlite":
        found: list[tuple[Any, ...]] = []
        for chunk in chunks(values):
            query = select(*(table.c[c] for c in columns)).where(
                table.c[key].in_(chunk), *(table.c[c] == v for c, v in equal.items())
            )
            found += [tuple(row) for row in conn.execute(query.distinct() if distinct else query)]
        return found
    given = {c: v for c, v in equal.items() if v is not None}
    fixed = _processed(conn, table, list(given), [list(given.values())])[0] if given else ()
    conditions = [*(f"{c} = ?" for c in given), *(f"{c} IS NULL" for c in equal if c not in given)]
    write_key = _type(conn, table, key).bind_processor(conn.dialect)
    readers = [
        (index, reader)
        for index, name in enumerate(columns)
        if (reader := _type(conn, table, name).result_processor(conn.dialect, None)) is not None
    ]
    head = f"SELECT {'DISTINCT ' if distinct else ''}{', '.join(columns)} FROM {table.name}"  # noqa: S608
    rows: list[tuple[Any, ...]] = []
    cursor = conn.connection.cursor()  # the transaction's own; rows come as plain tuples
    try:
        for chunk in chunks(values):
            keys = [write_key(v) for v in chunk] if write_key else chunk
            where = " AND ".join([f"{key} IN ({', '.join('?' * len(keys))})", *conditions])
            rows += cursor.execute(f"{head} WHERE {where}", (*keys, *fixed)).fetchall()
    finally:
        cursor.close()
    if not readers:
        return rows
    found = []
    for row in rows:
        read = list(row)
        for index, reader in readers:
            read[index] = reader(read[index])
        found.append(tuple(read))
    return found


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT ``rows`` (values in ``columns``' order) into ``table``."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    conn.exec_driver_sql(sql, _processed(conn, table, columns, rows))


def update_rows(
    conn: Connection,
    table: Table,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """UPDATE ``table`` SET ``columns`` WHERE ``keys`` match; each row gives the new values,
    then the keys' values."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        statement = (
            update(table)
            .where(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
            .values({c: bindparam(c) for c in columns})
        )
        names = [*columns, *(f"k_{k}" for k in keys)]
        conn.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])
        return
    assignments = ", ".join(f"{c} = ?" for c in columns)
    where = " AND ".join(f"{k} = ?" for k in keys)
    sql = f"UPDATE {table.name} SET {assignments} WHERE {where}"  # noqa: S608
    conn.exec_driver_sql(sql, _processed(conn, table, [*columns, *keys], rows))


def _processed(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Sequence[tuple[Any, ...]]:
    """Rows with each value through its column type's bind processor, where it has one
    (SQLite's DateTime turns a datetime into SQLAlchemy's text form); a batch repeats few
    distinct times and flags, so each is processed once."""
    active: list[tuple[int, Any, dict[Any, Any]]] = []
    for index, name in enumerate(columns):
        processor = _type(conn, table, name).bind_processor(conn.dialect)
        if processor is not None:
            active.append((index, processor, {}))
    if not active:
        return [tuple(row) for row in rows]
    processed = []
    for row in rows:
        values = list(row)
        for index, processor, seen in active:
            value = values[index]
            if value not in seen:
                seen[value] = processor(value)
            values[index] = seen[value]
        processed.append(tuple(values))
    return processed


def _type(conn: Connection, table: Table, column: str) -> Any:
    """The column's type as the connection's dialect implements it."""
    return table.c[column].type.dialect_impl(conn.dialect)
