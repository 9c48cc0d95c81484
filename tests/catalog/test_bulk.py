"""Many rows at the driver's speed: the same rows back on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

from catalog.bulk import IN_LIST, insert_rows, select_in
from catalog.database import as_utc, open_database
from catalog.tables import aspects

COLUMNS = ("urn", "aspect", "version", "metadata", "systemmetadata", "createdon", "createdby")
MOMENT = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)


def _urn(index: int) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,css-01.sis.table_{index:05d},PROD)"


def test_rows_by_key_come_back_as_written_whatever_the_number_of_keys(any_catalog_url):
    """More keys than one IN list holds, a condition on another column, a time that comes
    back a time, keys that match nothing."""
    database = open_database(any_catalog_url)
    count = IN_LIST * 2 + 17
    rows = [
        (_urn(i), "status", version, f'{{"removed":{str(i % 2 == 0).lower()}}}', None,
         MOMENT + timedelta(minutes=i), "urn:li:corpuser:datahub")
        for i in range(count)
        for version in (0, 1)
    ]  # fmt: skip
    with database.write() as conn:
        insert_rows(conn, aspects, COLUMNS, rows)
    wanted = [_urn(i) for i in range(0, count, 3)] + ["urn:li:dataset:inconnu"]
    with database.read() as conn:
        found = select_in(conn, aspects, ("urn", "metadata", "createdon"), "urn", wanted, version=0)
        nothing = select_in(conn, aspects, ("urn",), "urn", [])
        unsigned = select_in(conn, aspects, ("version",), "urn", wanted, systemmetadata=None)
        kinds = select_in(conn, aspects, ("aspect",), "urn", wanted[:2], distinct=True)
    database.dispose()
    by_urn = {urn: (metadata, as_utc(created)) for urn, metadata, created in found}
    assert len(found) == len(by_urn) == len(wanted) - 1  # version 1 rows left out
    assert by_urn == {
        _urn(i): (f'{{"removed":{str(i % 2 == 0).lower()}}}', MOMENT + timedelta(minutes=i))
        for i in range(0, count, 3)
    }
    assert nothing == []
    assert sorted(unsigned) == sorted([(0,), (1,)] * (len(wanted) - 1))  # IS NULL, not = NULL
    assert kinds == [("status",)]  # four rows, one kind
