"""End-to-end harness: the real app served by Streamlit, driven in Debian's headless Chromium.

Fixtures (made available to tests/ui by tests/ui/conftest.py):

- ``demo_catalog_copy``: a private copy of the session's demo catalogue (its URL);
- ``demo_app``: ``cartable``'s Streamlit app on that copy, headless on a free localhost port
  (its base URL), stopped with its whole process group afterwards;
- ``browser_page``: a Playwright ``Page`` in /usr/bin/chromium (no browser download); it
  refuses requests to any host but this machine and saves a screenshot when the test fails;
  ``chromium`` (which it uses) skips the test, or fails it under CARTABLE_REQUIRE_SERVICES=1,
  when the browser is absent.

Steps a test strings together: ``open_app``, ``sign_in``, ``search_and_open``,
``wait_until_idle``, ``save_screenshot``. Streamlit renders asynchronously: they wait for what
it shows, never for a fixed time.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import service_unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Route

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "ui" / "streamlit_app.py"
ARTIFACTS = REPO / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; `make test` installs it when absent
# Without the background-networking flags Chromium calls Google's services at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-proxy-server",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000  # Streamlit reruns the page script on every interaction
SERVER_START_S = 60
WIDTH, HEIGHT = 1400, 1000  # the window; screenshots grow it to the whole page


# --- the app ----------------------------------------------------------------------------------


def copy_sqlite_catalog(url: str, folder: Path) -> str:
    """Copy a SQLite catalogue (WAL included, through SQLite's backup API); the copy's URL."""
    target = folder / "catalog.db"
    source = sqlite3.connect(f"file:{make_url(url).database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


def free_port() -> int:
    """A TCP port nobody listens on at this moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll Streamlit's health endpoint until it answers; fail with the server's log if not."""
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Streamlit exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with no_proxy.open(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"Streamlit did not answer in {SERVER_START_S} s:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and anything it started (its own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def demo_catalog_copy(demo_catalog: tuple[str, dict, Path], tmp_path: Path) -> str:
    """A copy of the demo catalogue that this test may change: its URL."""
    return copy_sqlite_catalog(demo_catalog[0], tmp_path)


@pytest.fixture
def demo_app(demo_catalog_copy: str, tmp_path: Path) -> Iterator[str]:
    """The Streamlit app on the copied demo catalogue, answering: its base URL."""
    port = free_port()
    log = tmp_path / "streamlit.log"
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(APP)),
        *("--server.address", "127.0.0.1", "--server.port", str(port)),
        *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
        *("--server.fileWatcherType", "none"),
    ]
    env = {**os.environ, "CARTABLE_DB_URL": demo_catalog_copy}
    with log.open("wb") as output:
        server = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, server, log)
        yield base_url
    finally:
        stop(server)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium and Playwright to drive it (skip, or fail in CI, without them)."""
    if not CHROMIUM.exists():
        service_unavailable(f"{CHROMIUM} is absent: install Debian's chromium (make chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        service_unavailable('Playwright is not installed: pip install -e ".[dev]"')
    return CHROMIUM


@pytest.fixture
def browser_page(chromium: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in headless Debian Chromium; only this machine is reachable from it.

    Ask for it before ``demo_app`` so that a missing browser skips before the demo is built.
    """
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    outbound: list[str] = []
    failed_before = request.session.testsfailed
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, locale="fr-CA"
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.route(_remote, _refuse(outbound))
            page = context.new_page()
            yield page
            if request.session.testsfailed > failed_before:  # this test has just failed
                page.screenshot(path=artifact(f"{request.node.name}-failed"), full_page=True)
        finally:
            browser.close()
    assert not outbound, f"the browser tried to reach the network: {outbound}"


def _remote(url: str) -> bool:
    """Whether a request would leave this machine."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.hostname not in ("127.0.0.1", "localhost")


def _refuse(outbound: list[str]) -> Callable[[Route, Request], None]:
    """A route handler that records a request's URL and aborts it."""

    def handle(route: Route, request: Request) -> None:
        outbound.append(request.url)
        route.abort("blockedbyclient")

    return handle


# --- steps ------------------------------------------------------------------------------------


def open_app(page: Page, base_url: str) -> None:
    """Load the app and wait until it is connected and its first run has finished."""
    from playwright.sync_api import expect

    page.goto(base_url)
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
    wait_until_idle(page)


def sign_in(page: Page, username: str, password: str) -> None:
    """Fill the sidebar's sign-in form (French labels) and submit it."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("Nom d'utilisateur").fill(username)
    sidebar.get_by_label("Mot de passe").fill(password)
    sidebar.get_by_role("button", name="Se connecter").click()


def search_and_open(page: Page, query: str, organization: str) -> None:
    """Search from Découvrir (the first page after sign-in) and open the result of
    ``organization`` with its « Ouvrir » button."""
    from playwright.sync_api import expect

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Découvrir", exact=True)).to_be_visible()
    box = main.get_by_label("Chercher dans le catalogue")
    box.fill(query)
    box.press("Enter")
    result = main.locator("[class*='st-key-hit_']").filter(has_text=f"({organization})").first
    expect(result).to_be_visible()
    wait_until_idle(page)
    result.get_by_role("button", name="Ouvrir").click()


def wait_until_idle(page: Page) -> None:
    """Wait for the page script's current run to finish (the attribute Streamlit's own
    end-to-end tests watch) and for its elements to load (charts and grids load late). Right
    after a click the rerun may not have started yet: wait for what it shows first."""
    from playwright.sync_api import expect

    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def save_screenshot(page: Page, name: str) -> Path:
    """Save the whole page (not only the window) under test-artifacts/e2e/; its path."""
    wait_until_idle(page)
    # Streamlit scrolls its main area, not the document: grow the window to the content.
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...[...document.querySelectorAll('[data-testid="stMain"], section')]
                .map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": WIDTH, "height": min(int(height), 10_000)})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    path = artifact(name)
    page.screenshot(path=path, full_page=True)
    return path


def artifact(name: str) -> Path:
    """Where a screenshot of this name goes: test-artifacts/e2e/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
