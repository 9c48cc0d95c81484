"""The lineage and impact pages through Streamlit's AppTest, on a real catalogue."""

from pathlib import Path

import pytest
from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata import schema_classes as dh
from streamlit.testing.v1 import AppTest

from catalog import pi_terms
from catalog.demo.classification import demo_classification
from catalog.field_terms import with_field_terms
from catalog.ingest import ingest_recipe_file
from catalog.records import aspect_writes
from catalog.service import Catalog
from lineage.inputs import SqlSource
from lineage.service import LineageService
from tests.ui.conftest import ADMIN

APP = str(Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py")
ETL = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "etl"


STEWARD = "urn:li:corpuser:intendance-demo"


def record_demo_classification(catalog: Catalog) -> None:
    """Put the demo stewards' classification on the matching datasets (as a review would)."""
    stamp = dh.AuditStampClass(time=0, actor=STEWARD)
    for dataset in catalog.entities("dataset"):
        columns = demo_classification().get(".".join(dataset.qualified_name.split(".")[-2:]))
        if columns:
            aspect = with_field_terms(
                None,
                {
                    c: [dh.GlossaryTermAssociationClass(urn=pi_terms.term_urn(t), actor=STEWARD)]
                    for c, t in columns.items()
                },
                keep=lambda _path, _a: True,
                stamp=stamp,
            )
            proposal = MetadataChangeProposalWrapper(entityUrn=dataset.urn, aspect=aspect)
            catalog.write(aspect_writes(proposal), actor=STEWARD)


@pytest.fixture
def catalog_with_lineage(sqlite_recipe, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    recipe = sqlite_recipe(
        "css-x",
        {
            "eleves": "no_fiche TEXT, code_permanent TEXT, date_naissance TEXT, sexe TEXT",
            "inscriptions": "no_fiche TEXT, annee_scolaire TEXT, code_ecole TEXT, niveau INT",
            "resultats": "no_fiche TEXT, annee_scolaire TEXT, matiere TEXT, note REAL",
        },
    )
    assert ingest_recipe_file(recipe, db_url=url).ok
    catalog = Catalog.open(url)
    record_demo_classification(catalog)
    service = LineageService(catalog)
    source = SqlSource(
        path=ETL / "01_mart_reussite_eleve.sql",
        dialect="sqlite",
        platform_instance="css-x",
        default_db="entrepot",
    )
    assert service.ingest(source).failed == 0
    catalog.close()
    monkeypatch.setenv("CARTABLE_DB_URL", url)
    return url


def test_the_dataset_page_shows_the_schema_and_draws_the_lineage_of_a_column(
    catalog_with_lineage, open_page
):
    app = open_page("dataset")
    assert app.title[0].value == "Jeu de données"
    app.selectbox(key="dataset_urn").select(
        "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.eleves,PROD)"
    ).run()
    schema = next(d.value for d in app.dataframe if "Renseignement personnel" in d.value)
    marked = dict(zip(schema["Colonne"], schema["Renseignement personnel"], strict=True))
    assert marked["code_permanent"] == "Code permanent" and marked["sexe"] == "Sexe ou genre"
    app.selectbox(key="lineage_column").select("code_permanent").run()
    assert not app.exception
    [chart] = app.get("graphviz_chart")
    dot = chart.proto.spec
    assert "mart_reussite_eleve" in dot and "code_permanent" in dot
    assert "#ffcdd2" in dot  # the mart's copy is coloured as derived personal information
    table = next(d.value for d in app.dataframe if "Vers" in d.value)
    assert "css-x.entrepot.mart_reussite_eleve#code_permanent" in set(table["Vers"])
    app.radio(key="lineage_direction").set_value("up").run()
    assert not app.exception
    assert "Aucun lignage" in app.info[0].value  # a source column has nothing upstream


def test_the_impact_page_explains_every_mark(catalog_with_lineage, open_page):
    app = open_page("impact")
    app.selectbox(key="impact_dataset").select(
        "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.resultats,PROD)"
    ).run()
    app.selectbox(key="impact_column").select("note").run()
    assert not app.exception
    frame = app.dataframe[0].value
    moyenne = frame[frame["Colonne"] == "moyenne"].iloc[0]
    assert moyenne["Type de lien"] == "agrégation"
    assert moyenne["Sensibilité"] == "renseignement personnel dérivé"
    text = " ".join(m.value for m in app.markdown)
    assert "la table identifie encore une personne par ligne" in text


def test_the_impact_page_in_english(catalog_with_lineage, open_page):
    app = open_page("impact")
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Impact analysis"


def test_the_dataset_page_opens_the_dataset_of_its_link(catalog_with_lineage):
    from ui.components import catalog

    catalog.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["account"] = ADMIN
    app.query_params["urn"] = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.resultats,PROD)"
    app.run()
    app.switch_page("app_pages/dataset.py").run()
    assert not app.exception
    assert app.subheader[0].value == "css-x.sis.resultats"
