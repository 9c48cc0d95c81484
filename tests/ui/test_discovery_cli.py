"""``cartable search``, ``trust``, ``reindex`` and ``steward``: --json, and one-line errors
with exit code 2 that change nothing."""

from __future__ import annotations

import json

import pytest

from catalog.service import Catalog
from tests.catalog.conftest import dataset_urn, store_accounts, write_network

URN = dataset_urn("sis.eleves_hdaa")


@pytest.fixture
def url(sqlite_url):
    catalog = Catalog.open(sqlite_url)
    write_network(catalog)
    store_accounts(catalog)
    catalog.close()
    return sqlite_url


def test_search_trust_and_reindex_report_in_json(url, cli):
    code, out, _ = cli(["--db-url", url, "search", "ÉLÈVES hdaa", "--json"])
    assert code == 0
    results = json.loads(out)
    assert results["hits"][0]["urn"] == URN and results["words"] == ["eleves", "hdaa"]
    code, out, _ = cli(["--db-url", url, "search", "eleves", "-f", "organization=css-b", "--json"])
    assert [h["organization"] for h in json.loads(out)["hits"]] == ["css-b"]
    code, out, _ = cli(["--db-url", url, "trust", URN, "--json"])
    assert code == 0 and {c["key"] for c in json.loads(out)["criteria"]} >= {"certified"}
    code, out, _ = cli(["--db-url", url, "reindex", "--json"])
    assert json.loads(out) == {"indexed": 8}


def test_a_steward_edits_and_the_history_says_who(url, cli):
    base = ["--db-url", url, "steward"]
    code, out, _ = cli(
        [*base, "describe", URN, "--fr", "Élèves HDAA", "--steward", "intendant_a", "--json"]
    )
    assert code == 0 and json.loads(out)["changed"] is True
    code, out, _ = cli([*base, "certify", URN, "--steward", "admin", "--json"])
    assert json.loads(out)["changed"] is True
    code, out, _ = cli(
        [
            *base,
            "owners",
            URN,
            "--owner",
            "DATA_STEWARD=intendant_a",
            "--steward",
            "admin",
            "--json",
        ]
    )
    assert code == 0
    code, out, _ = cli(
        [*base, "terms", URN, "--term", "eleve_hdaa", "--steward", "admin", "--json"]
    )
    assert code == 0
    code, out, _ = cli([*base, "history", URN, "--json"])
    actors = [c["actor"] for c in json.loads(out)]
    assert actors[:4] == ["urn:li:corpuser:admin"] * 3 + ["urn:li:corpuser:intendant_a"]


REFUSED = {
    "other organization": (
        ["describe", URN, "--fr", "x", "--steward", "intendant_b"],
        "intendant_b may not edit metadata for css-a",
    ),
    "analyst": (["certify", URN, "--steward", "analyste"], "analyste may not certify"),
    "unknown account": (["certify", URN, "--steward", "nobody"], "nobody"),
    "no text": (["describe", URN, "--steward", "admin"], "give --fr, --en or both"),
    "bad owner": (
        ["owners", URN, "--owner", "BOSS=someone", "--steward", "admin"],
        "is not TYPE=user",
    ),
    "bad level": (
        ["sensitivity", URN, "--level", "secret", "--steward", "admin"],
        "unknown sensitivity level",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_edits_fail_in_one_line_and_change_nothing(url, cli, case):
    args, message = REFUSED[case]
    catalog = Catalog.open(url)
    before = catalog.store.version_counts(URN), catalog.store.latest(URN)
    code, out, err = cli(["--db-url", url, "steward", *args])
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert (catalog.store.version_counts(URN), catalog.store.latest(URN)) == before
    catalog.close()


def test_a_bad_filter_is_refused(url, cli):
    code, _, err = cli(["--db-url", url, "search", "eleves", "--filter", "colour=red"])
    assert code == 2 and "unknown filter colour" in err
    code, _, err = cli(["--db-url", url, "search", "eleves", "--filter", "organization"])
    assert code == 2 and "is not key=value" in err


def test_trust_of_an_unknown_dataset_is_one_line_with_exit_2(url, cli):
    code, _, err = cli(["--db-url", url, "trust", URN.replace("eleves_hdaa", "nope"), "--json"])
    assert code == 2 and "no entity" in err and len(err.strip().splitlines()) == 1
