"""The network analyzer, built once for the session (loading spaCy's models takes seconds)."""

import pytest


@pytest.fixture(scope="session")
def analyzer():
    from anonymization.analyzer import network_analyzer

    return network_analyzer()


# --- a small student-follow-up source, catalogued and scanned, for extracts ------------------

import random  # noqa: E402
import sqlite3  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402
from faker import Faker  # noqa: E402

SUIVI_URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.suivi,PROD)"
SUIVI_COLUMNS = (
    "code_permanent", "no_fiche", "nom", "date_naissance", "sexe", "code_postal",
    "code_ecole", "niveau", "moyenne", "code_difficulte", "note",
)  # fmt: skip


def suivi_rows(n: int, seed: int = 11, notes: int = 12) -> list[tuple]:
    """Synthetic students (Faker fr_CA, fixed seed); the first ``notes`` have a note."""
    from catalog.demo.identifiers import code_permanent, phone_number, postal_code

    fake, rng = Faker("fr_CA"), random.Random(seed)
    fake.seed_instance(seed)
    rows = []
    for index in range(n):
        surname, given = fake.last_name(), fake.first_name()
        female = rng.random() < 0.5
        birth = date(2010 + rng.randint(0, 4), rng.randint(1, 12), rng.randint(1, 28))
        note = (
            f"{given} {surname} ({code_permanent(surname, given, birth, female, rng)}) est suivi "
            f"en orthopédagogie. Joindre la mère au {phone_number(rng)}."
            if index < notes
            else None
        )
        rows.append(
            (
                code_permanent(surname, given, birth, female, random.Random(index)),
                str(1_000_000 + index),
                surname.upper(),
                birth.isoformat(),
                "F" if female else "M",
                rng.choice(["H2X", "H3B", "G1R"]) + postal_code(rng)[3:],
                rng.choice(["E101", "E102", "E103"]),
                rng.randint(1, 6),
                round(rng.uniform(40, 100), 1),
                rng.choice([None, None, "TSA", "TDAH"]),
                note,
            )
        )
    return rows


def write_suivi(path: Path, rows: list[tuple]) -> None:
    """The SQLite source: one table ``suivi``."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE suivi (code_permanent TEXT, no_fiche TEXT, nom TEXT, date_naissance DATE,"
            " sexe TEXT, code_postal TEXT, code_ecole TEXT, niveau INTEGER, moyenne REAL,"
            " code_difficulte TEXT, note TEXT)"
        )
        conn.executemany(f"INSERT INTO suivi VALUES ({','.join('?' * 11)})", rows)


POLICY = """
name: essai
key: {file: ../cles/essai.keyring}
types:
  code_permanent: {operator: pseudonym}
  file_number: {operator: remove}
  person_name: {operator: remove}
  birth_date: {operator: generalize, to: year}
  postal_code: {operator: generalize, to: postal_prefix}
  gender: {operator: keep}
  special_needs: {operator: keep}
  free_text: {operator: scrub}
columns:
  code_ecole: {operator: generalize, to: organization}
risk:
  quasi_identifiers: [date_naissance, sexe, code_postal]
  sensitive: [code_difficulte]
"""


@dataclass
class ExtractSetup:
    """A catalogued, scanned source; its network; a policy and its keyring; accounts."""

    url: str
    network: object
    network_file: Path
    policy_file: Path
    keyring: Path
    out: Path  # the extracts folder
    rows: list[tuple]


@pytest.fixture
def extract_setup(tmp_path, analyzer) -> ExtractSetup:
    from anonymization.keys import create_keyring
    from anonymization.scan import PiiScanner
    from catalog.accounts import AccountStore
    from catalog.ingest import ingest_recipe_file
    from catalog.network import Network
    from catalog.roles import Account
    from catalog.service import Catalog

    data = tmp_path / "donnees"
    data.mkdir()
    rows = suivi_rows(300)
    write_suivi(data / "sis.db", rows)
    source = {
        "type": "sqlite",
        "config": {"path": str(data / "sis.db"), "platform_instance": "css-x"},
    }
    network = Network.model_validate(
        {
            "name": "test",
            "domains": [{"id": "d", "name": {"fr": "D", "en": "D"}}],
            "organizations": [
                {
                    "code": "css-x",
                    "name": "x",
                    "kind": "css",
                    "language": "fr",
                    "region": "r",
                    "recipes": [{"name": "sis", "domain": "d", "source": source}],
                }  # fmt: skip
            ],
        }
    )
    network_file = tmp_path / "network.yml"
    network_file.write_text(yaml.safe_dump(network.model_dump(mode="json")), encoding="utf-8")
    recipe = tmp_path / "recipe.yml"
    recipe.write_text(yaml.safe_dump({"source": source}))
    url = f"sqlite:///{tmp_path / 'catalogue' / 'catalog.db'}"
    (tmp_path / "catalogue").mkdir()
    assert ingest_recipe_file(recipe, db_url=url).ok
    catalog = Catalog.open(url)
    scanner = PiiScanner(catalog, network, lambda: analyzer, sample_size=100)
    scanner.record([scanner.scan(SUIVI_URN)])
    store = AccountStore(catalog)
    for username, roles, organizations in (
        ("roy", ["data_steward"], ["css-x"]),
        ("tremblay", ["data_steward"], ["css-y"]),
        ("rprp", ["privacy_officer"], ["css-x"]),
        ("alex", ["analyst"], []),
    ):
        account = Account(
            username=username,
            display_name=username.title(),
            roles=roles,
            organizations=organizations,
        )
        store.add(account, "mot-de-passe-123")
    catalog.close()
    policies, keys, out = tmp_path / "politiques", tmp_path / "cles", tmp_path / "extraits"
    for folder in (policies, keys, out):
        folder.mkdir()
    create_keyring(keys / "essai.keyring")
    policy_file = policies / "essai.yml"
    policy_file.write_text(POLICY, encoding="utf-8")
    return ExtractSetup(url, network, network_file, policy_file, keys / "essai.keyring", out, rows)
