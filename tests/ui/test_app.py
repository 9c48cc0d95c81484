"""The Streamlit app through Streamlit's AppTest, on a real catalogue."""

from pathlib import Path

import pytest

from catalog.ingest import ingest_recipe_file
from tests.ui.conftest import ADMIN
from ui.i18n import messages

APP = str(Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py")


@pytest.fixture
def catalog_with_data(sqlite_recipe, tmp_path, monkeypatch):
    recipe = sqlite_recipe(
        "css-app", {"eleves": "no_fiche TEXT PRIMARY KEY", "resultats": "no_fiche TEXT, note REAL"}
    )
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    assert ingest_recipe_file(recipe, db_url=url).ok
    monkeypatch.setenv("CARTABLE_DB_URL", url)
    return url


def test_the_dashboard_in_french_by_default(catalog_with_data, open_page):
    app = open_page("dashboard")
    assert app.title[0].value == "Tableau de bord"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Jeux de données"] == "2" and metrics["Organismes"] == "1"
    assert metrics["Documentés"] == "0%"
    assert [frame.value.shape[0] for frame in app.dataframe] == [1, 1]


def test_the_dashboard_in_english(catalog_with_data, open_page):
    app = open_page("dashboard")
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert {m.label for m in app.metric} >= {"Datasets", "Organizations", "Documented"}


def test_an_empty_catalogue_says_what_to_do(tmp_path, monkeypatch, open_page):
    monkeypatch.setenv("CARTABLE_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    for account in (None, ADMIN):
        app = open_page("welcome" if account is None else "dashboard", account=account)
        assert "cartable demo" in app.info[0].value


def test_every_ui_message_has_a_french_translation():
    from babel.messages.extract import extract_from_dir

    ui_folder = Path(APP).parent
    found = {
        message
        for _, _, message, *_ in extract_from_dir(
            str(ui_folder), method_map=[("**.py", "python")], keywords={"_": None}
        )
    }
    assert found, "no translatable message found"
    assert found <= set(messages("fr")), sorted(found - set(messages("fr")))


def test_cartable_ui_serves_the_app_without_calling_out(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cartable = Path(sys.executable).with_name("cartable")
    log = tmp_path / "ui.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(cartable),
                "--db-url",
                f"sqlite:///{tmp_path / 'c.db'}",
                "ui",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline, health = time.monotonic() + 60, ""
        while time.monotonic() < deadline and health != "ok":
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    health = r.read().decode()
            except OSError:
                time.sleep(0.3)
        assert health == "ok", log.read_text()[-2000:]
    finally:
        process.terminate()
        process.wait(timeout=30)
    with socket.socket() as probe:  # the server itself stopped: no orphan keeps the port
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    text = log.read_text()
    assert f"http://localhost:{port}" in text and "external IP" not in text
