"""The review queue and the badges, through Streamlit's AppTest, on a really scanned table."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from anonymization.review import PiiReview
from catalog.service import Catalog

APP = str(Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py")
URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.rh.contacts,PROD)"


@pytest.fixture
def scanned(scanned_contacts, sqlite_url, monkeypatch):
    scanned_contacts(sqlite_url).catalog.close()
    monkeypatch.setenv("CARTABLE_DB_URL", sqlite_url)
    return sqlite_url


def open_page(page: str) -> AppTest:
    from ui.components import catalog

    catalog.clear()
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


def decide(app: AppTest, column: str, reviewer: str, reason: str, button: str) -> AppTest:
    app.selectbox(key="review_item").select(f"{URN}#{column}").run()
    app.text_input(key="review_reviewer").input(reviewer)
    app.text_area(key="review_reason").input(reason)
    [clicked] = [b for b in app.button if b.label == button]
    clicked.click().run()
    assert not app.exception, app.exception
    return app


def test_a_steward_rejects_and_accepts_findings_from_the_queue(scanned):
    app = open_page("pii_review")
    assert app.title[0].value == "Revue des renseignements personnels"
    assert {m.label: m.value for m in app.metric}["À valider"] == "3"
    queue = app.dataframe[0].value
    assert set(queue["Colonne"]) == {"nas", "nom", "standard"}
    assert "SIN 30/30" in set(queue["Indices dans l'échantillon"])

    decide(app, "standard", "intendante.roy", "", "Rejeter")
    assert app.error[0].value == "Un rejet doit être motivé."
    catalog = Catalog.open(scanned)
    assert PiiReview(catalog).history() == []  # nothing recorded

    decide(app, "standard", "intendante.roy", "Standard de l'école", "Rejeter")
    assert app.success[0].value == "Décision enregistrée."
    assert set(app.dataframe[0].value["Colonne"]) == {"nas", "nom"}
    decide(app, "nas", "intendante.roy", "", "Accepter")
    assert {m.label: m.value for m in app.metric}["Rejeté"] == "1"
    decisions = [(d.field_path, d.decision, d.reviewer) for d in PiiReview(catalog).history()]
    assert decisions == [
        ("standard", "rejected", "urn:li:corpuser:intendante.roy"),
        ("nas", "accepted", "urn:li:corpuser:intendante.roy"),
    ]
    catalog.close()


def test_the_dataset_page_shows_the_sensitivity_and_each_columns_review(scanned):
    catalog = Catalog.open(scanned)
    PiiReview(catalog).accept(URN, "nas", "intendante.roy")
    catalog.close()
    app = open_page("dataset")
    app.selectbox(key="dataset_urn").select(URN).run()
    assert any("Sensibilité : Restreint" in m.value for m in app.markdown)
    schema = app.dataframe[0].value
    classification = dict(zip(schema["Colonne"], schema["Classification"], strict=True))
    assert classification["nas"] == "🟢 accepté par l'intendance"
    assert classification["nom"] == "🟠 détecté, à valider"


def test_the_review_page_in_english(scanned):
    app = open_page("pii_review")
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Personal-information review"
    assert {m.label for m in app.metric} >= {"To review", "Accepted", "Rejected"}
