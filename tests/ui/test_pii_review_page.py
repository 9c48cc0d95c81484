"""The review queue and the badges, through Streamlit's AppTest, on a really scanned table."""

import pytest
from streamlit.testing.v1 import AppTest

from anonymization.review import PiiReview
from catalog.accounts import AccountStore
from catalog.roles import Account
from catalog.service import Catalog

URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.rh.contacts,PROD)"
STEWARD = Account(
    username="intendante.roy",
    display_name="Anne Roy",
    roles=["data_steward"],
    organizations=["css-x"],
)


PASSWORD = "un mot de passe assez long"


@pytest.fixture
def scanned(scanned_contacts, sqlite_url, monkeypatch):
    table = scanned_contacts(sqlite_url)
    accounts = AccountStore(table.catalog)
    accounts.add(STEWARD, PASSWORD)
    accounts.add(
        STEWARD.model_copy(update={"username": "rprp", "roles": ["privacy_officer"]}), PASSWORD
    )
    table.catalog.close()
    monkeypatch.setenv("CARTABLE_DB_URL", sqlite_url)
    return sqlite_url


def sign_in(app: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    app.sidebar.text_input(key="sign_in_username").input(username)
    app.sidebar.text_input(key="sign_in_password").input(password)
    [button] = [b for b in app.sidebar.button if b.label == "Se connecter"]
    button.click().run()
    assert not app.exception, app.exception
    return app


def decide(app: AppTest, column: str, reason: str, button: str) -> AppTest:
    app.selectbox(key="review_item").select(f"{URN}#{column}").run()
    app.text_area(key="review_reason").input(reason)
    [clicked] = [b for b in app.button if b.label == button]
    clicked.click().run()
    assert not app.exception, app.exception
    return app


def test_a_steward_signs_in_then_rejects_and_accepts_findings_from_the_queue(scanned, open_page):
    app = open_page("welcome", account=None)
    sign_in(app, "intendante.roy", "mauvais mot de passe")
    assert app.sidebar.error[0].value == "Nom d'utilisateur inconnu ou mot de passe erroné."
    sign_in(app, "intendante.roy")
    app.switch_page("app_pages/pii_review.py").run()
    assert app.title[0].value == "Revue des renseignements personnels"
    assert {m.label: m.value for m in app.metric}["À valider"] == "3"
    queue = app.dataframe[0].value
    assert set(queue["Colonne"]) == {"nas", "nom", "standard"}
    assert "SIN 30/30" in set(queue["Indices dans l'échantillon"])
    decide(app, "standard", "", "Rejeter")
    assert app.error[0].value == "Un rejet doit être motivé."
    catalog = Catalog.open(scanned)
    assert PiiReview(catalog).history() == []  # nothing recorded

    decide(app, "standard", "Standard de l'école", "Rejeter")
    assert app.success[0].value == "Décision enregistrée."
    assert set(app.dataframe[0].value["Colonne"]) == {"nas", "nom"}
    decide(app, "nas", "", "Accepter")
    assert {m.label: m.value for m in app.metric}["Rejeté"] == "1"
    decisions = [(d.field_path, d.decision, d.reviewer) for d in PiiReview(catalog).history()]
    assert decisions == [
        ("standard", "rejected", "urn:li:corpuser:intendante.roy"),
        ("nas", "accepted", "urn:li:corpuser:intendante.roy"),
    ]
    catalog.close()


def test_the_dataset_page_shows_the_sensitivity_and_each_columns_review(scanned, open_page):
    catalog = Catalog.open(scanned)
    PiiReview(catalog).accept(URN, "nas", STEWARD)
    catalog.close()
    app = open_page("dataset")
    app.selectbox(key="dataset_urn").select(URN).run()
    assert any("Sensibilité : Restreint" in m.value for m in app.markdown)
    schema = next(d.value for d in app.dataframe if "Classification" in d.value)
    classification = dict(zip(schema["Colonne"], schema["Classification"], strict=True))
    assert classification["nas"] == "🟢 accepté par l'intendance"
    assert classification["nom"] == "🟠 détecté, à valider"


def test_the_review_page_in_english(scanned, open_page):
    app = open_page("pii_review")
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Personal-information review"
    assert {m.label for m in app.metric} >= {"To review", "Accepted", "Rejected"}


def test_a_privacy_officer_sees_the_queue_but_cannot_decide(scanned, open_page):
    app = sign_in(open_page("welcome", account=None), "rprp")
    app.switch_page("app_pages/pii_review.py").run()
    assert len(app.dataframe[0].value) == 3
    assert "ne vous permettent pas" in app.warning[0].value
    assert not [b for b in app.button if b.label in ("Accepter", "Rejeter")]
