"""``--where`` conditions: parsed, then the same rows from a file's frame and from a database."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    create_engine,
    insert,
    select,
)

from anonymization.row_filter import RowFilter
from catalog.errors import CartableError

# parse --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "op", "value"),
    [
        ("niveau = 7", "niveau", "=", 7),
        ("niveau != 7", "niveau", "!=", 7),
        ("niveau < 7", "niveau", "<", 7),
        ("niveau <= 7", "niveau", "<=", 7),
        ("niveau > 7", "niveau", ">", 7),
        ("niveau >= 7", "niveau", ">=", 7),
        ("niveau>=7", "niveau", ">=", 7),
        ("  niveau   !=   7  ", "niveau", "!=", 7),
        ("moyenne > 72.5", "moyenne", ">", 72.5),
        ("ecart >= -1.5", "ecart", ">=", -1.5),
        ("solde < -3", "solde", "<", -3),
        ("nom = Côté", "nom", "=", "Côté"),
        ("nom = 'Côté'", "nom", "=", "Côté"),
        ('nom = "Marie Côté"', "nom", "=", "Marie Côté"),
        ("ecole = '007'", "ecole", "=", "007"),  # quoted: text, zeros kept
        ("ecole = 007", "ecole", "=", 7),  # unquoted: a number
        ("nom = ''", "nom", "=", ""),
        ("date_naissance >= 2010-01-01", "date_naissance", ">=", "2010-01-01"),
        ("nom de famille = Roy", "nom de famille", "=", "Roy"),
        ("note = a=b", "note", "=", "a=b"),
    ],
)
def test_parse(text, column, op, value):
    parsed = RowFilter.parse(text)
    assert (parsed.column, parsed.op, parsed.value) == (column, op, value)
    assert type(parsed.value) is type(value)


def test_repr_and_describe():
    parsed = RowFilter.parse("niveau >= 7")
    assert repr(parsed) == "RowFilter(column='niveau', op='>=', value=7)"
    assert parsed.describe() == "niveau >= 7"
    assert RowFilter.parse("nom = 'Côté'").describe() == "nom = Côté"


@pytest.mark.parametrize(
    "text",
    ["", "niveau", "niveau 7", "niveau =", "niveau >=   ", "= 7", ">= 7", "niveau ~ 7"],
)
def test_a_bad_condition(text):
    with pytest.raises(CartableError, match=r"expected column OP value \(OP: = != < <= > >=\)$"):
        RowFilter.parse(text)


@pytest.mark.parametrize("text", ["niveau == 7", "niveau <> 7", "niveau => 7", "niveau =< 7"])
def test_a_doubled_operator_is_a_bad_condition(text):
    with pytest.raises(CartableError):
        RowFilter.parse(text)


# the same rows on a frame and on SQLite -----------------------------------------------------

ROWS = [
    # id, niveau (INTEGER), moyenne (REAL), nom (TEXT), ecole (TEXT code), groupe (TEXT number)
    (1, 7, 72.5, "Côté", "007", "7"),
    (2, 10, 88.0, "Roy", "012", "10"),
    (3, 9, 59.5, "Tremblay", "007", "9"),
    (4, 8, 72.5, "Gagnon", "120", "8"),
    (5, None, None, None, None, None),
    (6, 11, 60.0, "Bouchard", "012", "11"),
]
COLUMNS = ["id", "niveau", "moyenne", "nom", "ecole", "groupe"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The same rows in a SQLite file (typed columns) and a CSV file read as the file reader
    reads it (every value text)."""
    folder: Path = tmp_path_factory.mktemp("where")
    engine = create_engine(f"sqlite:///{folder / 'source.db'}")
    table = Table(
        "eleves",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("niveau", Integer),
        Column("moyenne", Float),
        Column("nom", String),
        Column("ecole", String),
        Column("groupe", String),
    )
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [dict(zip(COLUMNS, row, strict=True)) for row in ROWS])
    path = folder / "eleves.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(["" if v is None else v for v in row] for row in ROWS)
    frame = pd.read_csv(path, dtype=str)  # as anonymization.extract_io.FileReader reads it
    yield engine, table, frame
    engine.dispose()


def sql_rows(sources, *filters: RowFilter) -> list[int]:
    engine, table, _ = sources
    query = select(table.c.id).where(and_(*(f.sql(table) for f in filters))).order_by(table.c.id)
    with engine.connect() as connection:
        return [row.id for row in connection.execute(query)]


def frame_rows(sources, *filters: RowFilter) -> list[int]:
    frame = sources[2]
    keep = pd.Series(True, index=frame.index)
    for row_filter in filters:
        keep &= row_filter.mask(frame)
    return sorted(int(v) for v in frame.loc[keep, "id"])


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("niveau = 7", [1]),
        ("niveau >= 9", [2, 3, 6]),
        ("niveau > 9", [2, 6]),
        ("niveau < 9", [1, 4]),
        ("niveau <= 9", [1, 3, 4]),
        ("moyenne > 72.5", [2]),
        ("moyenne >= 72.5", [1, 2, 4]),
        ("moyenne = 72.5", [1, 4]),
        ("moyenne < 60", [3]),
        ("moyenne = 88", [2]),  # an integer against a real column
        ("nom = 'Côté'", [1]),
        ("nom = Côté", [1]),
        ("nom != Roy", [1, 3, 4, 6]),  # the null name is in neither
        ("nom < 'M'", [1, 4, 6]),
        ("nom >= Roy", [2, 3]),
        ("ecole = '007'", [1, 3]),
        ("ecole != '007'", [2, 4, 6]),
        ("ecole > '012'", [4]),
        ("groupe = '10'", [2]),
        ("nom = Absent", []),
    ],
)
def test_the_same_rows_from_a_frame_and_from_sqlite(sources, condition, expected):
    row_filter = RowFilter.parse(condition)
    assert sql_rows(sources, row_filter) == expected
    assert frame_rows(sources, row_filter) == expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("niveau != 7", [2, 3, 4, 6]),  # the empty value meets no condition
        ("groupe >= 9", [2, 3, 6]),  # a number compares as a number, on a text column too
        ("ecole = 7", [1, 3]),  # « 007 » is the number 7
        ("niveau >= '9'", [3]),  # a quoted value compares as text: « 10 » < « 9 »
    ],
)
def test_the_value_decides_how_to_compare_on_both_sides(sources, condition, expected):
    row_filter = RowFilter.parse(condition)
    assert sql_rows(sources, row_filter) == expected
    assert frame_rows(sources, row_filter) == expected


def test_several_conditions_all_hold(sources):
    filters = [RowFilter.parse("niveau >= 8"), RowFilter.parse("moyenne <= 72.5")]
    assert sql_rows(sources, *filters) == frame_rows(sources, *filters) == [3, 4, 6]


def test_the_value_is_a_bound_parameter(sources):
    """Text is never pasted into SQL: a value that looks like SQL is only a value."""
    _, table, _ = sources
    row_filter = RowFilter.parse("nom = 'x' OR 1=1 --'")
    compiled = row_filter.sql(table).compile()
    assert "OR 1=1" not in str(compiled)
    assert list(compiled.params.values()) == ["x' OR 1=1 --"]
    assert sql_rows(sources, row_filter) == frame_rows(sources, row_filter) == []


def test_an_unknown_column(sources):
    _, table, frame = sources
    row_filter = RowFilter.parse("absente = 1")
    with pytest.raises(CartableError, match="^--where: no column absente in the source$"):
        row_filter.sql(table)
    with pytest.raises(CartableError, match="^--where: no column absente in the source$"):
        row_filter.mask(frame)


def test_mask_keeps_the_frame_index(sources):
    frame = sources[2].iloc[2:].copy()
    mask = RowFilter.parse("niveau >= 9").mask(frame)
    assert mask.dtype == bool
    assert list(mask.index) == list(frame.index)
    assert mask.tolist() == [True, False, False, True]
