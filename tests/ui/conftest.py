"""Opening one page of the real app through Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalog.roles import Account

# The browser end-to-end fixtures: the app served on a copy of the demo catalogue, in Chromium.
from tests.ui.browser import browser_page, chromium, demo_app, demo_catalog_copy  # noqa: F401

APP = str(Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py")


ADMIN = Account(username="admin", display_name="Admin", roles=["admin"])


@pytest.fixture
def open_page():
    """A function: run the app on the catalogue of CARTABLE_DB_URL, signed in (as an
    administrator unless told otherwise), and switch to a page."""

    def run(page: str, account: Account | None = ADMIN) -> AppTest:
        from ui.components import catalog

        catalog.clear()  # each test opens its own catalogue
        app = AppTest.from_file(APP, default_timeout=60)
        if account is not None:
            app.session_state["account"] = account
        app.run()
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, app.exception
        return app

    return run
