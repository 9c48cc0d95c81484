"""The demo's extract: the research policy, its keyring kept in a folder of its own, and a
pseudonymized extract of one centre's student follow-up mart made by the demo steward."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from anonymization.analyzer import network_analyzer
from anonymization.extract_record import ExtractRecord
from anonymization.extracts import ExtractRequest, Extracts
from anonymization.keys import create_keyring
from anonymization.policy import load_policy
from catalog.network import load_network
from catalog.roles import Account
from catalog.service import Catalog

POLICY = "recherche-resultats.yml"
ORGANIZATION = "css-deux-rivieres"
SOURCE = (
    f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{ORGANIZATION}.entrepot.mart_suivi_resultats,PROD)"
)


def demo_folders(folder: Path) -> tuple[Path, Path, Path]:
    """The demo's policies, keys and extracts folders (keys apart from any data)."""
    return folder / "politiques", folder / "cles", folder / "extraits"


def prepare_demo_policies(folder: Path) -> Path:
    """Copy the demo policies and create their keyring (once); the policies folder."""
    policies, keys, extracts = demo_folders(folder)
    for path in (policies, keys, extracts):
        path.mkdir(parents=True, exist_ok=True)
    keys.chmod(0o700)
    shipped = resources.files("catalog.demo") / "policies"
    for entry in shipped.iterdir():
        if entry.name.endswith(".yml"):
            with resources.as_file(entry) as source:
                shutil.copyfile(source, policies / entry.name)
    keyring = keys / "recherche.keyring"
    if not keyring.exists():
        create_keyring(keyring)
    return policies


def make_demo_extract(
    catalog: Catalog, network_file: Path, folder: Path, steward: Account
) -> ExtractRecord:
    """The research extract of the demo, written to the extracts folder and registered."""
    policies, _keys, extracts = demo_folders(folder)
    service = Extracts(catalog, load_network(network_file), network_analyzer)
    request = ExtractRequest(
        dataset=SOURCE,
        policy=load_policy(policies / POLICY),
        out=extracts / f"suivi-resultats-{ORGANIZATION}.csv",
    )
    return service.make(steward, request)
