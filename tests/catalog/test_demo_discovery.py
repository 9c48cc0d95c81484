"""The demo's catalogue is searchable and documented: an analyst finds datasets by French
queries typed without accents, and sees which ones the demo's steward certified."""

from __future__ import annotations

import pytest

from catalog.search import Search, dataset_trust
from catalog.service import Catalog
from catalog.stewardship import Stewardship

EXPECTED = {
    "plans intervention hdaa": "hdaa.plans_intervention",
    "indice de vetuste batiments": "immeubles.batiments",
    "risque decrochage": "entrepot.mart_risque_decrochage",
    "prevision effectifs": "entrepot.mart_prevision_effectifs",
    "declarations clientele": "declarations.declarations_effectif",
    "imse rang decile": "indicateurs.indicateurs_ecoles",
}


@pytest.fixture(scope="module")
def demo(demo_catalog):
    catalog = Catalog.open(demo_catalog[0])
    yield catalog
    catalog.close()


@pytest.mark.parametrize("query", list(EXPECTED))
def test_french_queries_without_accents_find_the_expected_table(demo, query):
    hits = Search(demo).query(query, limit=3).hits
    assert hits and hits[0].urn.endswith(f".{EXPECTED[query]},PROD)"), [h.urn for h in hits]


def test_the_demo_steward_documented_and_certified_datasets(demo, demo_catalog):
    report = demo_catalog[1]
    assert report["documented_datasets"] >= 30
    certified = Search(demo).query("", filters={"certified": ["true"]}, limit=50)
    assert certified.total >= 8
    best = certified.hits[0]
    trust = dataset_trust(demo, best.urn)
    assert trust.level == "high" and trust.score == best.trust
    history = Stewardship(demo).history(best.urn)
    assert "urn:li:corpuser:intendance" in {change.actor for change in history}
