"""Découvrir, Jeu de données, Intendance and Tableau de bord through Streamlit's AppTest, on
a real catalogue, signed in as each role."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalog.service import Catalog
from catalog.stewardship import Stewardship
from tests.catalog.conftest import ACCOUNTS, dataset_urn, write_network
from ui.navigation import PAGES, visible_pages

APP = str(Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py")
HDAA = dataset_urn("sis.eleves_hdaa")


@pytest.fixture
def network(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    catalog = Catalog.open(url)
    write_network(catalog)
    catalog.close()
    monkeypatch.setenv("CARTABLE_DB_URL", url)
    return url


def app_as(username: str | None, page: str | None = None) -> AppTest:
    """The app with ``username`` signed in (None: nobody), on ``page`` if given."""
    from ui.components import catalog

    catalog.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    if username is not None:
        app.session_state["account"] = ACCOUNTS[username]
    app.run()
    if page is not None:
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


def test_pages_listed_by_role():
    assert visible_pages(None) == ["welcome"]
    assert "stewardship" not in visible_pages(["analyst"])
    assert "pii_review" not in visible_pages(["ethics_member"])
    assert "pii_review" in visible_pages(["privacy_officer"])
    assert "stewardship" in visible_pages(["data_steward"])
    assert visible_pages(["admin"]) == list(PAGES)


def test_a_visitor_sees_the_welcome_page_only(network):
    app = app_as(None)
    assert app.title[0].value == "Cartable"
    with pytest.raises(ValueError, match="Known pages: .*welcome.py'\\]"):
        app_as(None, "discover")


def test_an_analyst_finds_a_dataset_without_accents_and_opens_it(network):
    app = app_as("analyste")
    assert app.title[0].value == "Découvrir"  # the first page of a signed-in analyst
    app.text_input(key="discover_query").input("eleves hdaa").run()
    first = app.markdown[[m.value for m in app.markdown].index("**1** jeu(x) de données") + 1]
    assert first.value.startswith("**eleves_hdaa**")
    accented = app_as("analyste")
    accented.text_input(key="discover_query").input("ÉLÈVES HDAA").run()
    assert [m.value for m in accented.markdown] == [m.value for m in app.markdown]
    app.button(key="open_1").click().run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Jeu de données"
    assert app.subheader[0].value == "css-a.sis.eleves_hdaa"
    assert any("Pourquoi cette cote" in e.label for e in app.expander)


def test_facets_narrow_the_results(network):
    app = app_as("analyste")
    app.text_input(key="discover_query").input("eleves").run()
    assert "**4** jeu(x) de données" in [m.value for m in app.markdown]
    app.multiselect(key="facet_organization").select("css-b").run()
    found = [m.value for m in app.markdown if m.value.startswith("**eleves")]
    assert found == ["**eleves_b** · css-b"]


def test_a_steward_documents_and_certifies_and_the_history_shows_it(network):
    app = app_as("intendant_a", "stewardship")
    options = app.selectbox(key="stewardship_urn").options
    assert options and all("css-a" in o for o in options)  # only the steward's organization
    app.selectbox(key="stewardship_urn").select(HDAA).run()
    app.text_area[0].input("Élèves HDAA du centre de services")
    app.button[0].click().run()  # the form's submit button
    assert not app.exception, app.exception
    assert app.success[0].value == "Description enregistrée."
    app.button(key="certify").click().run()
    assert app.success[0].value == "Jeu de données certifié."
    history = Stewardship(Catalog.open(network)).history(HDAA)
    assert [c.actor for c in history[:2]] == [ACCOUNTS["intendant_a"].urn] * 2
    page = app_as("analyste", "dataset")
    page.selectbox(key="dataset_urn").select(HDAA).run()
    assert "Élèves HDAA du centre de services" in [m.value for m in page.markdown]
    assert ":green-badge[:material/workspace_premium: Certifié]" in [m.value for m in page.markdown]


def test_an_analyst_cannot_open_the_stewardship_page(network):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_as("analyste", "stewardship")
    app = app_as("intendant_a", "stewardship")
    app.session_state["account"] = ACCOUNTS["analyste"]  # the role changes under the page
    app.run()
    assert app.title[0].value == "Découvrir"


def test_the_dashboard_shows_the_governance_indicators(network):
    steward = ACCOUNTS["intendant_a"]
    with_catalog = Catalog.open(network)
    Stewardship(with_catalog).certify(steward, HDAA)
    with_catalog.close()
    app = app_as("analyste", "dashboard")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Jeux de données"] == "8"
    assert metrics["Certifié"] == "12%"  # 1 of 8
    assert len(app.dataframe) == 2  # by organization and by domain
    app.sidebar.radio[0].set_value("en").run()
    assert {m.label for m in app.metric} >= {"Datasets", "Certified"}


OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-for-tests-only",
    "client_id": "cartable",
    "client_secret": "not-a-real-client-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def test_the_identity_providers_button_appears_when_oidc_is_configured(network):
    from ui.components import catalog

    catalog.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = OIDC
    app.run()
    assert not app.exception, app.exception
    labels = [b.label for b in app.sidebar.button]
    assert "Se connecter avec le compte de votre organisation" in labels
    assert app.sidebar.text_input(key="sign_in_username")  # local accounts still work
    assert "oidc_login" not in [b.key for b in app_as(None).sidebar.button]


def test_an_identity_maps_to_a_cartable_account_by_its_claim(network):
    from catalog.accounts import AccountStore

    catalog = Catalog.open(network)
    store = AccountStore(catalog)
    store.add(ACCOUNTS["intendant_a"], "un mot de passe assez long")
    claims = {"preferred_username": "Intendant_A", "email": "a@css-a.example"}
    assert store.for_identity(claims, "preferred_username") == ACCOUNTS["intendant_a"]
    assert store.for_identity(claims, "email") is None  # no account by that name
    assert store.for_identity({}, "preferred_username") is None
    catalog.close()
