"""The app end to end in headless Chromium: sign in, search, open a dataset, keep screenshots."""

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.demo.accounts import DEMO_PASSWORD
from catalog.service import Catalog
from tests.ui.browser import open_app, save_screenshot, search_and_open, sign_in

pytestmark = pytest.mark.slow


def a_students_table(catalog_url: str) -> tuple[str, list[str]]:
    """A demo school board's students table: its qualified name and its columns."""
    catalog = Catalog.open(catalog_url)
    try:
        names = sorted(d.qualified_name or "" for d in catalog.entities("dataset"))
        name = next((n for n in names if n.endswith(".sis.eleves")), None)
        assert name, f"no students table (*.sis.eleves) in the demo catalogue: {names}"
        dataset = next(d for d in catalog.entities("dataset") if d.qualified_name == name)
        fields = catalog.entity(dataset.urn).aspects["schemaMetadata"]["fields"]
    finally:
        catalog.close()
    return name, [f["fieldPath"] for f in fields]


def test_an_analyst_signs_in_searches_and_opens_a_dataset(
    browser_page: Page, demo_catalog_copy: str, demo_app: str, request: pytest.FixtureRequest
) -> None:
    name, columns = a_students_table(demo_catalog_copy)
    page = browser_page
    open_app(page, demo_app)

    sign_in(page, "analyste", DEMO_PASSWORD)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Alex Analyste")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Se déconnecter")).to_be_visible()

    search_and_open(page, "eleves inscrits", organization=name.split(".")[0])  # no accents
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name="Schéma", exact=True)).to_be_visible()
    # The grid is drawn on a canvas; its cells are in the page (not the accessibility tree) for
    # the rows on screen only.
    schema = main.get_by_test_id("stDataFrame").filter(
        has=page.locator("th", has_text="Renseignement personnel")
    )
    expect(schema.locator("th").first).to_have_text("Colonne")
    expect(schema.locator('td[aria-colindex="1"]')).to_contain_text(
        [re.compile(f"^{re.escape(column)}$") for column in columns[:5]]
    )
    expect(sidebar.get_by_text("Alex Analyste")).to_be_visible()  # still signed in
    expect(main.get_by_text("Élèves inscrits dans les écoles de l'organisme")).to_be_visible()

    assert save_screenshot(page, request.node.name).stat().st_size > 10_000


def test_a_wrong_password_is_refused_in_french(
    browser_page: Page, demo_app: str, request: pytest.FixtureRequest
) -> None:
    page = browser_page
    open_app(page, demo_app)
    sign_in(page, "analyste", "not-the-password")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Nom d'utilisateur inconnu ou mot de passe erroné.")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(sidebar.get_by_text("Alex Analyste")).to_have_count(0)
    save_screenshot(page, request.node.name)
