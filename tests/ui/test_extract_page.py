"""Extraits through Streamlit's AppTest: a real catalogue, a tiny real network (a SQLite source
ingested through the product), a policy library and a keyring of its own."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
import yaml
from datahub.metadata import schema_classes as dh
from faker import Faker
from streamlit.testing.v1 import AppTest

from anonymization.keys import create_keyring
from anonymization.recording import dataset_writes
from catalog import pi_terms
from catalog.demo import identifiers as ids
from catalog.network import ingest_network, load_network
from catalog.service import Catalog
from tests.catalog.conftest import ACCOUNTS
from ui.navigation import visible_pages

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "ui" / "streamlit_app.py")
PAGE = str(ROOT / "ui" / "app_pages" / "extracts.py")
URN = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-a.sis.eleves,PROD)"
TERMS = {
    "code_permanent": "code_permanent",
    "nom": "person_name",
    "date_naissance": "birth_date",
    "code_postal": "postal_code",
    "sexe": "gender",
    "code_difficulte": "special_needs",
}
RESEARCH = {
    "name": "recherche",
    "description": "Extrait pour une équipe de recherche universitaire.",
    "types": {
        "code_permanent": {"operator": "pseudonym"},
        "person_name": {"operator": "remove"},
        "birth_date": {"operator": "generalize", "to": "year"},
        "postal_code": {"operator": "generalize", "to": "postal_prefix"},
        "gender": {"operator": "keep"},
        "special_needs": {"operator": "keep"},
    },
    "risk": {"quasi_identifiers": ["date_naissance", "sexe"], "sensitive": ["code_difficulte"]},
}


def _students(count: int) -> list[tuple[object, ...]]:
    fake, rng = Faker("fr_CA"), random.Random(7)
    fake.seed_instance(7)
    rows = []
    for _ in range(count):
        female = rng.random() < 0.5
        given = fake.first_name_female() if female else fake.first_name_male()
        surname = fake.last_name()
        birth = date(2012, 1, 1) + timedelta(days=rng.randint(0, 700))
        code = ids.code_permanent(surname, given, birth, female, rng)
        rows.append(
            (code, surname, birth.isoformat(), ids.postal_code(rng), "F" if female else "M")
            + (rng.choice(("33", "34", "50")), rng.randint(1, 6))
        )
    return rows


def _reviewed_terms(url: str) -> None:
    """The personal-information terms a reviewed scan leaves on the source's columns."""
    catalog = Catalog.open(url)
    stamp = dh.AuditStampClass(time=0, actor="urn:li:corpuser:intendant_a")
    fields = [
        dh.EditableSchemaFieldInfoClass(
            fieldPath=column,
            glossaryTerms=dh.GlossaryTermsClass(
                terms=[
                    dh.GlossaryTermAssociationClass(
                        urn=pi_terms.term_urn(term),
                        actor=stamp.actor,
                        context="accepted",
                        attribution=dh.MetadataAttributionClass(
                            time=0, actor=stamp.actor, source=pi_terms.REVIEW_SOURCE
                        ),
                    )
                ],
                auditStamp=stamp,
            ),
        )
        for column, term in TERMS.items()
    ]
    editable = dh.EditableSchemaMetadataClass(editableSchemaFieldInfo=fields, created=stamp)
    writes, _level = dataset_writes(catalog, URN, editable, stamp)
    catalog.write(writes, actor=stamp.actor)
    catalog.close()


@pytest.fixture
def network(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """css-a's student table ingested, its columns classified; policies, key, extract folder."""
    data = tmp_path / "donnees"
    data.mkdir()
    with sqlite3.connect(data / "sis.db") as conn:
        conn.execute(
            "CREATE TABLE eleves (code_permanent TEXT, nom TEXT, date_naissance DATE, "
            "code_postal TEXT, sexe TEXT, code_difficulte TEXT, niveau INTEGER)"
        )
        conn.executemany("INSERT INTO eleves VALUES (?, ?, ?, ?, ?, ?, ?)", _students(40))
    organizations = [
        {"code": code, "name": code.upper(), "kind": "css", "language": "fr", "region": "r"}
        for code in ("css-a", "css-b")
    ]
    organizations[0]["recipes"] = [
        {
            "name": "sis",
            "domain": "reussite",
            "source": {"type": "sqlite", "config": {"path": str(data / "sis.db")}},
        }
    ]
    network_file = tmp_path / "reseau" / "network.yml"
    network_file.parent.mkdir()
    domain = {"id": "reussite", "name": {"fr": "Réussite éducative", "en": "Student success"}}
    network_file.write_text(
        yaml.safe_dump({"name": "test", "domains": [domain], "organizations": organizations})
    )
    (tmp_path / "catalogue").mkdir()
    url = f"sqlite:///{tmp_path / 'catalogue' / 'catalog.db'}"
    assert all(o.ok for o in ingest_network(load_network(network_file), db_url=url, workers=1))
    _reviewed_terms(url)

    keys = tmp_path_factory.mktemp("cles")
    create_keyring(keys / "recherche.keyring")
    policies = tmp_path / "politiques"
    policies.mkdir()
    research = RESEARCH | {"key": {"file": str(keys / "recherche.keyring")}}
    (policies / "recherche.yml").write_text(yaml.safe_dump(research, allow_unicode=True))
    (policies / "brisee.yml").write_text("name: brisee\ntypes: {sin: {operator: shred}}\n")
    wrong = {"name": "mauvaise-colonne", "columns": {"inexistante": {"operator": "remove"}}}
    (policies / "mauvaise-colonne.yml").write_text(yaml.safe_dump(wrong))

    monkeypatch.setenv("CARTABLE_DB_URL", url)
    monkeypatch.setenv("CARTABLE_NETWORK", str(network_file))
    monkeypatch.setenv("CARTABLE_POLICIES", str(policies))
    monkeypatch.setenv("CARTABLE_EXTRACTS", str(tmp_path / "extraits"))
    return tmp_path


def open_extracts(username: str, policy: str | None = "recherche") -> AppTest:
    """The Extraits page signed in as ``username``, on the students and ``policy``."""
    from ui.components import catalog

    catalog.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["account"] = ACCOUNTS[username]
    app.run()
    app.switch_page("app_pages/extracts.py").run()
    assert not app.exception, app.exception
    app.selectbox(key="extract_dataset").select(URN).run()
    if policy is not None:
        chosen = next(o for o in app.selectbox(key="extract_policy").options if policy in o)
        app.selectbox(key="extract_policy").select(chosen).run()
    assert not app.exception, app.exception
    return app


def frame_with(app: AppTest, column: str) -> pd.DataFrame:
    """The first table of the page with that column."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def produce_button(app: AppTest):  # type: ignore[no-untyped-def]
    found = [b for b in app.button if b.label == "Produire l'extrait"]
    return found[0] if found else None


def test_an_analyst_neither_sees_nor_opens_the_page(network):
    assert "extracts" not in visible_pages(["analyst"])
    assert "extracts" in visible_pages(["privacy_officer"])
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.session_state["account"] = ACCOUNTS["analyste"]
    page.run()
    assert not page.exception, page.exception
    assert not page.title
    assert page.warning[0].value == "Connectez-vous avec un compte qui a accès à cette page."


def test_a_holder_steward_sees_the_policy_the_plan_and_the_synthetic_preview(network):
    app = open_extracts("intendant_a")
    assert app.title[0].value == "Extraits"
    assert "équipe de recherche" in " ".join(m.value for m in app.markdown)
    plan = frame_with(app, "Analyse du risque").set_index("Colonne")
    assert plan.loc["code_permanent", "Traitement"] == "pseudonym(hmac-sha256)"
    assert plan.loc["nom", "Traitement"] == "retirée"
    assert plan.loc["date_naissance", "Analyse du risque"] == "quasi-identifiant"
    assert plan.loc["code_difficulte", "Analyse du risque"] == "attribut sensible"
    assert plan.loc["code_postal", "Renseignement personnel"] == "Code postal"

    assert any("jamais de vraies données" in c.value for c in app.caption)
    before, after = (d.value for d in app.dataframe if "code_permanent" in d.value.columns)
    assert len(before) == len(after) == 5
    assert "nom" in before.columns and "nom" not in after.columns
    assert all(re.fullmatch(r"[A-Z]{4}\d{8}", code) for code in before["code_permanent"])
    assert all(re.fullmatch(r"[0-9a-f]{16}", p) for p in after["code_permanent"])
    assert list(after["date_naissance"]) == [d[:4] for d in before["date_naissance"]]
    assert all(len(prefix) == 3 for prefix in after["code_postal"])
    assert produce_button(app) is not None


def test_a_policy_that_does_not_read_or_does_not_fit_shows_an_error(network):
    app = open_extracts("intendant_a", policy="brisee")
    assert not app.exception
    assert app.error[0].value.startswith("Ce fichier de politique est illisible :")
    assert "unknown operator" in app.error[0].value
    assert produce_button(app) is None
    chosen = next(o for o in app.selectbox(key="extract_policy").options if "mauvaise" in o)
    app.selectbox(key="extract_policy").select(chosen).run()
    assert not app.exception
    assert "no column inexistante in the source" in app.error[0].value
    assert produce_button(app) is None


def test_the_steward_produces_the_extract_and_reads_its_risk_report(network):
    app = open_extracts("intendant_a")
    assert any("Aucun extrait" in i.value for i in app.info)
    app.text_input(key="extract_file").input("eleves-recherche")
    produce_button(app).click().run()
    assert not app.exception, app.exception

    written = network / "extraits" / "eleves-recherche.csv"
    assert written.is_file() and (network / "extraits" / "eleves-recherche.csv.risk.md").is_file()
    extract = pd.read_csv(written, dtype=str)
    assert len(extract) == 40 and "nom" not in extract.columns
    assert "Extrait écrit" in app.success[0].value
    texts = [m.value for m in app.markdown]
    assert any(re.search(r"badge\[Verdict : risque (très faible|faible|élevé)\]", t) for t in texts)
    for criterion in ("1. Individualisation", "2. Corrélation", "3. Inférence"):
        assert f"**{criterion}**" in texts
    assert app.selectbox(key="extract_report").value.endswith("eleves-recherche.csv,PROD)")
    labels = {m.label for m in app.metric}
    assert {"k (plus petite classe)", "Enregistrements reliables", "Plus petit l"} <= labels
    assert app.get("download_button")  # the Markdown report

    again = open_extracts("rprp")  # the holder's privacy officer reads it too
    assert again.selectbox(key="extract_report").value.endswith("eleves-recherche.csv,PROD)")


def test_a_steward_of_another_organization_gets_no_production_form(network):
    app = open_extracts("intendant_b")
    assert frame_with(app, "Analyse du risque") is not None  # the plan, from the catalogue
    assert produce_button(app) is None
    assert any("Seuls les intendant" in i.value for i in app.info)


def test_without_the_network_file_the_page_says_so_and_hides_the_form(network, monkeypatch):
    monkeypatch.delenv("CARTABLE_NETWORK")
    app = open_extracts("intendant_a")
    assert produce_button(app) is None
    assert "CARTABLE_NETWORK" in app.warning[0].value


def test_the_page_in_english(network):
    app = open_extracts("admin")
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Extracts"
    assert any(c.value.startswith("Five invented rows") for c in app.caption)
