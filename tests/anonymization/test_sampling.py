"""Samples read where the data lives: a real SQLite and PostgreSQL table, a real CSV file."""

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert

from anonymization.sampling import SampleSource, sample_values


def rows(count: int = 300) -> list[dict]:
    """Students' follow-up rows; one row in fifty has a note."""
    return [
        {
            "id": index,
            "niveau": str(1 + index % 6),
            "note": f"Suivi en orthopédagogie, rencontre numéro {index}."
            if index % 50 == 0
            else None,
        }
        for index in range(count)
    ]


def notes(written: list[dict]) -> set[str]:
    return {row["note"] for row in written if row["note"] is not None}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'source.db'}"
    return str(request.getfixturevalue("postgres_database"))


def table_source(url: str, written: list[dict]) -> SampleSource:
    engine = create_engine(url)
    columns = [
        Column("id", Integer, primary_key=True),
        Column("niveau", Text),
        Column("note", Text),
    ]
    table = Table("suivi", MetaData(), *columns)
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(insert(table), written)
    engine.dispose()
    return SampleSource(kind="sql", location=url, table="suivi")


def test_a_mostly_empty_column_is_sampled_among_the_rows_where_it_is_filled(database):
    written = rows()
    samples = sample_values(table_source(database, written), 100)
    # 100 rows in 300 hold two of the six notes on average, and none once in eleven draws
    assert len(samples["note"]) == 6 and set(samples["note"]) == notes(written)
    assert len(samples["id"]) == len(samples["niveau"]) == 100
    assert set(samples["niveau"]) == {"1", "2", "3", "4", "5", "6"}


def test_a_table_smaller_than_the_sample_is_read_whole(database):
    written = rows(60)
    samples = sample_values(table_source(database, written), 100)
    assert sorted(samples["id"], key=int) == [str(i) for i in range(60)]
    assert set(samples["note"]) == notes(written) and len(samples["note"]) == 2


def test_a_file_column_is_sampled_among_its_filled_cells(tmp_path: Path):
    written = rows()
    path = tmp_path / "suivi.csv"
    pd.DataFrame(written).to_csv(path, index=False)
    samples = sample_values(SampleSource(kind="csv", location=str(path)), 100)
    assert set(samples["note"]) == notes(written)
    assert len(samples["id"]) == 100 and len(set(samples["id"])) == 100
    # the same file gives the same sample (a fixed seed), so a scan can be repeated
    assert sample_values(SampleSource(kind="csv", location=str(path)), 100) == samples
