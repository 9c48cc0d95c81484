"""Shared fixtures: no network, real databases, and the demo network built once."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

REQUIRE_SERVICES = os.environ.get("CARTABLE_REQUIRE_SERVICES") == "1"
POSTGRES_ADMIN = os.environ.get(
    "CARTABLE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MARIADB_HOST = os.environ.get("CARTABLE_TEST_MARIADB_HOST", "127.0.0.1:3306")


# --- nothing may call out -------------------------------------------------------------------

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo
OUTBOUND_ATTEMPTS: list[str] = []


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        if not _is_local(address[0]):
            OUTBOUND_ATTEMPTS.append(str(address))
            raise OSError(f"network access blocked in tests: {address}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    if not _is_local(host) and host != socket.gethostname():
        OUTBOUND_ATTEMPTS.append(str(host))
        raise socket.gaierror(f"network access blocked in tests: {host}")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def no_network() -> Iterator[None]:
    """Fail any test that tried to reach a host other than this machine."""
    start = len(OUTBOUND_ATTEMPTS)
    yield
    attempts = OUTBOUND_ATTEMPTS[start:]
    assert not attempts, f"the test tried to reach the network: {attempts}"


# --- catalogues and services ----------------------------------------------------------------


def service_unavailable(reason: str) -> None:
    """Skip on a laptop without the service; fail in CI, where it must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"CARTABLE_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the real ``cartable`` entry point in-process: returns (exit code, stdout, stderr)."""
    import sys

    from ui.cli import main

    def run(args: list[str]) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["cartable", *args])
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite catalogue file."""
    return f"sqlite:///{tmp_path / 'catalog.db'}"


@pytest.fixture
def postgres_server() -> str:
    """The admin URL of the local PostgreSQL server (skip or fail when it is absent)."""
    import psycopg2

    try:
        psycopg2.connect(POSTGRES_ADMIN, connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        service_unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN}: {exc}".strip())
    return POSTGRES_ADMIN


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped after the test; yields its URL."""
    import psycopg2
    from sqlalchemy.engine import make_url

    name = f"cartable_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """A PostgreSQL catalogue URL on a fresh database."""
    return postgres_database


@pytest.fixture
def mariadb_database() -> Iterator[tuple[str, str]]:
    """A new MariaDB database (host_port, name), dropped after the test."""
    import pymysql

    host, port = MARIADB_HOST.split(":")
    try:
        admin = pymysql.connect(
            host=host, port=int(port), user="root", password="", connect_timeout=3, autocommit=True
        )
    except pymysql.err.OperationalError as exc:
        service_unavailable(f"MariaDB is not reachable at {MARIADB_HOST}: {exc}")
    name = f"cartable_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}`")
    try:
        yield MARIADB_HOST, name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The catalogue on each supported backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sqlite_recipe(tmp_path: Path):
    """A factory: a SQLite source with the given tables and a recipe for it (returns the recipe)."""
    import sqlite3

    import yaml

    def make(instance: str, tables: dict[str, str], name: str = "sis") -> Path:
        source = tmp_path / f"{name}.db"
        with sqlite3.connect(source) as conn:
            for table, columns in tables.items():
                conn.execute(f"CREATE TABLE {table} ({columns})")
        recipe = tmp_path / f"{name}.yml"
        config = {"path": str(source), "platform_instance": instance}
        recipe.write_text(yaml.safe_dump({"source": {"type": "sqlite", "config": config}}))
        return recipe

    return make


@pytest.fixture
def scanned_contacts(tmp_path: Path):
    """A factory: a SQLite source table (a SIN, names, and the phone numbers of a school's
    switchboard) ingested into the catalogue at a URL and scanned for real."""
    import random
    import sqlite3
    from types import SimpleNamespace

    import yaml
    from faker import Faker

    from anonymization.analyzer import network_analyzer
    from anonymization.scan import PiiScanner
    from catalog.demo.identifiers import phone_number, social_insurance_number
    from catalog.ingest import ingest_recipe_file
    from catalog.network import Network
    from catalog.service import Catalog

    path = tmp_path / "rh.db"

    def write(standard) -> None:
        fake, rng = Faker("fr_CA"), random.Random(11)
        fake.seed_instance(11)
        rows = [(social_insurance_number(rng), fake.name(), standard(rng)) for _ in range(30)]
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TABLE IF EXISTS contacts")
            conn.execute("CREATE TABLE contacts (nas TEXT, nom TEXT, standard TEXT)")
            conn.executemany("INSERT INTO contacts VALUES (?, ?, ?)", rows)

    def make(url: str):
        write(phone_number)
        source = {"type": "sqlite", "config": {"path": str(path), "platform_instance": "css-x"}}
        recipe = tmp_path / "contacts.yml"
        recipe.write_text(yaml.safe_dump({"source": source}))
        assert ingest_recipe_file(recipe, db_url=url).ok
        organization = {"code": "css-x", "name": "x", "kind": "css", "language": "fr"}
        network = Network.model_validate(
            {
                "name": "test",
                "domains": [{"id": "d", "name": {"fr": "D", "en": "D"}}],
                "organizations": [
                    {
                        **organization,
                        "region": "r",
                        "recipes": [{"name": "s", "domain": "d", "source": source}],
                    }
                ],
            }
        )
        catalog = Catalog.open(url)
        scanner = PiiScanner(catalog, network, network_analyzer, sample_size=30)
        urn = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.rh.contacts,PROD)"

        def rescan() -> None:
            scanner.record([scanner.scan(urn)])

        rescan()
        return SimpleNamespace(catalog=catalog, urn=urn, rescan=rescan, change=write)

    return make


# --- the demo network -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network's files (built once per session); returns network.yml."""
    from catalog.demo.build import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def demo_catalog(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict, Path]:
    """`cartable demo --no-ui` run once: (catalogue URL, its JSON report, its folder)."""
    folder = tmp_path_factory.mktemp("demo-run")
    url = f"sqlite:///{folder / 'catalog.db'}"
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("cartable")),
            "--db-url",
            url,
            "demo",
            "--dir",
            str(folder / "network"),
            "--no-ui",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return url, json.loads(result.stdout), folder
