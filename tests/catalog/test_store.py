import json

import pytest
from sqlalchemy import func, select

from catalog.aspect_values import AspectWrite
from catalog.errors import NotFoundError
from catalog.json_text import canonical_json
from catalog.migrate import current_revision, head_revision
from catalog.service import Catalog
from catalog.tables import aspects

URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.eleves,PROD)"


def write(urn: str, aspect: str, value: dict, *, patch: bool = False) -> AspectWrite:
    return AspectWrite(urn, aspect, canonical_json(value), None, patch)


@pytest.fixture
def catalog(any_catalog_url):
    opened = Catalog.open(any_catalog_url)
    yield opened
    opened.close()


def test_opening_migrates_to_the_newest_schema(catalog):
    assert current_revision(catalog.database) == head_revision()
    Catalog.open(str(catalog.database.engine.url.render_as_string(hide_password=False))).close()


def test_a_new_sqlite_catalogue_has_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    import sqlite3

    old = tmp_path / "old.db"
    with sqlite3.connect(old) as conn:  # a catalogue file made with SQLite's default pages
        conn.execute("CREATE TABLE t (x)")
    for path, size in ((tmp_path / "new.db", 32768), (old, 4096)):
        opened = Catalog.open(f"sqlite:///{path}")
        with opened.database.read() as conn:
            assert conn.exec_driver_sql("PRAGMA page_size").scalar() == size
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        opened.close()


def test_a_changed_aspect_keeps_its_history_with_actor_and_time(catalog):
    catalog.write([write(URN, "datasetProperties", {"name": "v1"})], actor="urn:li:corpuser:a")
    catalog.write([write(URN, "datasetProperties", {"name": "v2"})], actor="urn:li:corpuser:b")
    history = catalog.store.history(URN, "datasetProperties")
    assert [(h["version"], json.loads(h["metadata"])["name"], h["createdby"]) for h in history] == [
        (0, "v2", "urn:li:corpuser:b"),
        (1, "v1", "urn:li:corpuser:a"),
    ]
    assert history[0]["createdon"] >= history[1]["createdon"]
    assert catalog.entity(URN).versions == {"datasetProperties": 2}


def test_writing_the_same_value_adds_no_version(catalog):
    first = catalog.write([write(URN, "status", {"removed": False})], actor="a")
    again = catalog.write([write(URN, "status", {"removed": False})], actor="a")
    assert (first.written, again.written, again.unchanged) == (1, 0, 1)
    with catalog.database.read() as conn:
        assert conn.scalar(select(func.count()).select_from(aspects)) == 1


def test_writes_to_one_aspect_in_a_batch_fold_into_one_value(catalog):
    result = catalog.write(
        [write(URN, "status", {"removed": False}), write(URN, "status", {"removed": True})],
        actor="a",
    )
    assert result.written == 1
    assert [json.loads(h["metadata"]) for h in catalog.store.history(URN, "status")] == [
        {"removed": True}
    ]


def test_edits_outside_a_run_each_make_a_version(catalog):
    for removed in (False, True, False):
        catalog.write([write(URN, "status", {"removed": removed})], actor="steward")
    assert [h["version"] for h in catalog.store.history(URN, "status")] == [0, 2, 1]


def test_a_run_makes_at_most_one_version_per_aspect(catalog):
    catalog.write([write(URN, "datasetProperties", {"name": "a"})], actor="i", run_id="r1")
    catalog.write([write(URN, "datasetProperties", {"name": "b"})], actor="i", run_id="r2")
    catalog.write([write(URN, "datasetProperties", {"name": "c"})], actor="i", run_id="r2")
    assert [
        json.loads(h["metadata"])["name"] for h in catalog.store.history(URN, "datasetProperties")
    ] == ["c", "a"]


def test_a_run_that_ends_where_it_started_leaves_no_version(catalog):
    """A source that upserts an aspect and patches it back later in the same run."""
    full = {"name": "a", "lastModified": {"time": 5}}
    catalog.write([write(URN, "datasetProperties", full)], actor="i", run_id="r1")
    first = catalog.write([write(URN, "datasetProperties", {"name": "a"})], actor="i", run_id="r2")
    second = catalog.write(
        [
            write(
                URN,
                "datasetProperties",
                [{"op": "add", "path": "/lastModified", "value": {"time": 5}}],
                patch=True,
            )
        ],
        actor="i",
        run_id="r2",
    )
    assert first.written + second.written == 0
    history = catalog.store.history(URN, "datasetProperties")
    assert [(h["version"], json.loads(h["metadata"])) for h in history] == [(0, full)]
    assert json.loads(catalog.store.latest_aspect(URN, "datasetProperties")) == full


def test_the_latest_values_of_one_aspect_for_some_entities(catalog):
    other = URN.replace("eleves", "notes")
    catalog.write([write(URN, "status", {"removed": False})], actor="urn:li:corpuser:a")
    catalog.write([write(URN, "status", {"removed": True})], actor="urn:li:corpuser:a")
    catalog.write([write(other, "subTypes", {"typeNames": ["Table"]})], actor="urn:li:corpuser:a")
    found = catalog.store.latest_values([URN, other, URN], "status")
    assert found == {URN: canonical_json({"removed": True})}  # the latest, once; none for other


def test_a_patch_applies_to_the_latest_value(catalog):
    catalog.write(
        [write(URN, "datasetProperties", {"name": "eleves", "customProperties": {}})], actor="a"
    )
    catalog.write(
        [
            write(
                URN,
                "datasetProperties",
                [{"op": "add", "path": "/lastModified", "value": {"time": 7}}],
                patch=True,
            )
        ],
        actor="a",
    )
    latest = json.loads(catalog.store.latest_aspect(URN, "datasetProperties"))
    assert latest == {"name": "eleves", "customProperties": {}, "lastModified": {"time": 7}}


def test_the_index_follows_the_latest_aspects(catalog):
    catalog.write(
        [
            write(URN, "status", {"removed": False}),
            write(URN, "domains", {"domains": ["urn:li:domain:finances"]}),
        ],
        actor="a",
    )
    [summary] = catalog.entities(domain_urn="urn:li:domain:finances")
    assert summary.name == "eleves" and not summary.removed
    catalog.write([write(URN, "status", {"removed": True})], actor="a")
    assert catalog.entities() == []
    assert [e.urn for e in catalog.entities(include_removed=True)] == [URN]
    assert catalog.count() == 0 and catalog.count(include_removed=True) == 1


def test_a_failed_batch_leaves_the_catalogue_as_it_was(catalog):
    catalog.write([write(URN, "status", {"removed": False})], actor="a")
    broken = [
        write(URN, "status", {"removed": True}),
        write(URN, "datasetProperties", [{"op": "move", "path": "/x"}], patch=True),
    ]
    with pytest.raises(ValueError):
        catalog.write(broken, actor="a")
    assert json.loads(catalog.store.latest_aspect(URN, "status")) == {"removed": False}
    assert catalog.store.history(URN, "status")[0]["version"] == 0
    assert len(catalog.store.history(URN, "status")) == 1


def test_an_unknown_urn_is_not_found(catalog):
    with pytest.raises(NotFoundError):
        catalog.entity("urn:li:dataset:(urn:li:dataPlatform:sqlite,nope,PROD)")
