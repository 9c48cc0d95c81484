"""Mes demandes, File du comité, Registre des systèmes d'IA and Journal d'audit through
Streamlit's AppTest, on a real SQLite catalogue: datasets of one centre with personal
information on their columns, an account for every role."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalog.accounts import AccountStore
from catalog.service import Catalog
from ethics_review.audit import AuditJournal
from ethics_review.models import AiSystem, Condition, DatasetAccess, Declaration, State
from ethics_review.questionnaire import load_questionnaire
from ethics_review.service import ReviewService
from tests.ethics_review.conftest import ACCOUNTS, MART, ORG, PLANS, answers, write_scene
from ui.navigation import visible_pages

APP = str(Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py")
NONE = Declaration(conflict=False)
# the requested period starts next week and lasts a year, whatever the day the suite runs
STARTS = date.today() + timedelta(days=7)
ENDS = STARTS + timedelta(days=365)


MIRRORED = {"legal_basis", "setting", "automation"}  # answered by the request's own fields


@pytest.fixture
def catalogue(tmp_path, monkeypatch) -> str:
    """The catalogue's URL: two datasets of css-x, every account saved."""
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    catalog = Catalog.open(url)
    write_scene(catalog)
    catalog.close()
    monkeypatch.setenv("CARTABLE_DB_URL", url)
    return url


@pytest.fixture
def service(catalogue):
    """The review service on the same catalogue, to set the scene and check what was kept."""
    catalog = Catalog.open(catalogue)
    yield ReviewService(catalog)
    catalog.close()


def access_body(datasets) -> DatasetAccess:
    return DatasetAccess.model_validate(
        {
            "datasets": datasets,
            "purpose": "Mesurer l'effet du tutorat sur la réussite en mathématique.",
            "legal_basis": "65.1",
            "recipients": [{"name": "Équipe analytique", "organization": ORG}],
            "starts": STARTS,
            "ends": ENDS,
            "setting": "cartable_extract",
            "expected_outputs": "Tableaux agrégés par école",
        }
    )


def ai_body() -> AiSystem:
    return AiSystem.model_validate(
        {
            "name": "Repérage du décrochage",
            "purpose": "Repérer tôt les élèves à risque de décrochage pour leur offrir du soutien.",
            "decision_supported": "Offre de soutien",
            "affected": ["students", "minors"],
            "automation": "solely_automated",
            "training_datasets": [{"urn": MART}],
            "features": [{"name": "moyenne_generale"}],
            "human_oversight": "Une personne revoit chaque signalement.",
            "starts": STARTS,
            "ends": ENDS,
        }
    )


def app_as(username: str, page: str) -> AppTest:
    """The app signed in as ``username``, on ``page``."""
    from ui.components import catalog

    catalog.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["account"] = ACCOUNTS[username]
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


def ok(app: AppTest) -> AppTest:
    assert not app.exception, app.exception
    return app


def answer_questionnaire(app: AppTest, kind: str) -> None:
    """Answer every question shown, as a person would, widget by widget."""
    chosen = answers(kind)
    for question in load_questionnaire(kind).questions():  # type: ignore[arg-type]
        if question.id in MIRRORED:
            continue
        key, value = f"req_q_{question.id}", chosen[question.id]
        if question.answer == "text":
            app.text_area(key=key).input(str(value))
        elif question.answer == "number":
            app.number_input(key=key).set_value(float(value))  # type: ignore[arg-type]
        else:
            app.radio(key=key).set_value(value)


def journal_size(service: ReviewService) -> int:
    return len(AuditJournal(service.catalog.database).entries())


def open_request(app: AppTest, request_id: str) -> AppTest:
    app.selectbox(key="committee_request").select(request_id)
    return ok(app.run())


def committee_to_vote(service: ReviewService) -> str:
    """An AI system (solely automated: level III) referred to the committee; its id."""
    requester = service.catalog and AccountStore(service.catalog).get("ethique3")
    request = service.create(requester, "Repérage du décrochage", ai_body(), answers("ai_system"))
    service.submit(requester, request.id)
    rprp = ACCOUNTS["rprp"]
    service.act(rprp, request.id, "triage")
    service.assess(rprp, request.id)
    service.act(rprp, request.id, "send_to_privacy_review")
    service.review(rprp, request.id, declaration=NONE, recommendation="approve")
    service.refer(rprp, request.id)
    return request.id


# Pages by role ----------------------------------------------------------------------------


def test_each_role_sees_its_pages(catalogue):
    analyst = visible_pages(["analyst"])
    assert {"my_requests", "ai_register"} <= set(analyst)
    assert not {"committee", "audit_journal"} & set(analyst)
    assert "committee" in visible_pages(["ethics_member"])
    assert "audit_journal" not in visible_pages(["ethics_member"])
    assert {"my_requests", "committee", "ai_register", "audit_journal"} <= set(
        visible_pages(["privacy_officer"])
    )
    assert "my_requests" not in visible_pages(None)
    for page in ("committee", "audit_journal"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app_as("analyste", page)
    app = app_as("analyste", "ai_register")
    assert app.title[0].value == "Registre des systèmes d'IA"
    assert app.info[0].value == "Aucun système d'IA approuvé pour l'instant."


# Mes demandes -----------------------------------------------------------------------------


def test_an_analyst_asks_for_access_from_the_dataset_page_and_submits(catalogue, service):
    app = app_as("analyste", "dataset")
    app.selectbox(key="dataset_urn").select(MART).run()
    ok(app.button(key="dataset_request_access").click().run())
    assert app.title[0].value == "Mes demandes"
    assert app.multiselect(key="req_datasets").value == [MART]
    ok(app.switch_page("app_pages/my_requests.py").run())  # AppTest stays on the page it runs
    assert app.multiselect(key="req_datasets").value == [MART]
    columns = app.multiselect(key=f"req_cols::{MART}")
    assert "code_permanent — Code permanent" in [columns.format_func(o) for o in columns.options]
    columns.select("moyenne_generale").select("niveau")
    app.text_input(key="req_title").input("Effet du tutorat")
    app.text_area(key="req_purpose").input("Mesurer l'effet du tutorat sur la réussite.")
    app.selectbox(key="req_legal_basis").select("65.1")
    app.text_area(key="req_outputs").input("Tableaux agrégés par école")
    ok(app.button(key="req_send").click().run())  # no answer yet: saved, not submitted
    assert len(app.error) == 1
    assert app.error[0].value.startswith("Enregistrée comme brouillon, mais non soumise :")
    assert "missing purpose" in app.error[0].value
    (draft,) = service.visible_to(ACCOUNTS["analyste"])
    assert draft.state == State.DRAFT and draft.body.datasets[0].columns == [
        "moyenne_generale",
        "niveau",
    ]

    assert app.radio(key="req_q_purpose").options[0].startswith("Statistiques ou pilotage")
    answer_questionnaire(app, "dataset_access")
    ok(app.button(key="req_send").click().run())
    assert not app.error, [e.value for e in app.error]
    assert app.success[0].value == "Demande soumise."
    submitted = service.get(draft.id)
    assert submitted.state == State.SUBMITTED
    assert submitted.answers["legal_basis"] == "65.1"  # the request's own legal basis
    assert "**Soumise** · Accès à des jeux de données · —" in [m.value for m in app.markdown]
    assert app.info[0].value == "La ou le RPRP de l'organisme détenteur la prendra en triage."


def test_a_draft_is_edited_and_a_submitted_request_withdrawn(catalogue, service):
    analyst = ACCOUNTS["analyste"]
    draft = service.create(analyst, "Effet du tutorat", access_body([{"urn": MART}]), {})
    app = app_as("analyste", "my_requests")
    ok(app.button(key="mine_edit").click().run())
    assert app.subheader[0].value == "Modifier " + draft.id
    assert app.text_input(key="req_title").disabled
    assert app.text_area(key="req_purpose").value.startswith("Mesurer l'effet")
    app.text_area(key="req_purpose").input("Mesurer l'effet du tutorat, par école.")
    answer_questionnaire(app, "dataset_access")
    ok(app.button(key="req_save").click().run())
    assert app.success[0].value == "Demande enregistrée."
    assert service.get(draft.id).body.purpose == "Mesurer l'effet du tutorat, par école."
    ok(app.button(key="mine_submit").click().run())
    assert app.success[0].value == "Demande soumise."
    ok(app.button(key="mine_withdraw").click().run())
    assert app.success[0].value == "Demande retirée."
    assert service.get(draft.id).state == State.CLOSED


def test_an_ai_system_request_through_the_form_in_english(catalogue, service):
    app = app_as("analyste", "my_requests")
    app.sidebar.radio[0].set_value("en").run()
    app.segmented_control(key="requests_view").set_value("form").run()
    ok(app.radio(key="req_kind").set_value("ai_system").run())
    assert app.subheader[0].value == "AI project request — algorithmic impact assessment"
    assert "Who is mainly affected by the system's results?" in [r.label for r in app.radio]
    app.multiselect(key="req_training").select(PLANS).run()
    features = ok(app).data_editor[0].value  # the training data's columns, flagged
    assert dict(zip(features["name"], features["protected"], strict=True)) == {
        "no_fiche": False,
        "code_difficulte": True,
        "note_professionnelle": False,
    }
    app.text_input(key="req_title").input("Repérage du décrochage")
    app.text_input(key="req_ai_name").input("Repérage du décrochage")
    app.text_area(key="req_purpose").input("Repérer tôt les élèves à risque de décrochage.")
    app.text_area(key="req_decision").input("Offre de soutien")
    app.multiselect(key="req_affected").select("minors")
    app.radio(key="req_automation").set_value("assistive")
    answer_questionnaire(app, "ai_system")
    ok(app.button(key="req_save").click().run())
    assert app.success[0].value == "Request saved."
    (draft,) = service.visible_to(ACCOUNTS["analyste"])
    assert isinstance(draft.body, AiSystem) and draft.state == State.DRAFT
    assert [(f.name, f.protected) for f in draft.body.features][1] == ("code_difficulte", True)
    assert draft.body.training_datasets[0].urn == PLANS
    assert draft.answers["automation"] == "assistive"  # the request's own automation


# File du comité ---------------------------------------------------------------------------


def test_the_privacy_officer_triages_assesses_and_reviews(
    catalogue, service, tmp_path, monkeypatch
):
    (tmp_path / "politiques").mkdir()
    policy = "name: recherche\ntypes: {person_name: {operator: remove}}\n"
    (tmp_path / "politiques" / "recherche.yml").write_text(policy)
    monkeypatch.setenv("CARTABLE_POLICIES", str(tmp_path / "politiques"))
    analyst = ACCOUNTS["analyste"]
    body = access_body([{"urn": MART, "columns": ["moyenne_generale", "niveau"]}])
    request = service.create(analyst, "Effet du tutorat", body, answers("dataset_access"))
    service.submit(analyst, request.id)
    app = app_as("rprp", "committee")
    assert app.title[0].value == "File du comité"
    open_request(app, request.id)
    ok(app.button(key="committee_do_triage").click().run())
    assert app.success[0].value == (
        "C'est fait — Prendre en triage. La demande est maintenant « Au triage »."
    )
    ok(app.button(key="committee_do_assess").click().run())
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Niveau final"] == "I" and metrics["Niveau calculé"] == "I"
    ok(app.button(key="committee_do_send_to_privacy_review").click().run())
    ok(app.button(key="committee_review_send").click().run())
    assert app.error[0].value.startswith("Déclarez si vous êtes en conflit d'intérêts")
    app.radio(key="committee_review_conflict").set_value("none")
    ok(app.button(key="committee_review_send").click().run())
    assert "« Examen de la vie privée (EFVP) »" in app.success[0].value
    (review,) = service.get(request.id).reviews
    assert review.reviewer == "rprp" and review.declaration.conflict is False

    before = journal_size(service)  # the EFVP's author may not decide
    app.radio(key="committee_outcome").set_value("approved")
    app.text_area(key="committee_grounds").input("Usage interne, données agrégées.")
    ok(app.button(key="committee_decide").click().run())
    assert len(app.error) == 1
    assert app.error[0].value.startswith("Décision non enregistrée : ")
    assert "wrote the privacy impact assessment and may not decide" in app.error[0].value
    assert journal_size(service) == before
    assert service.get(request.id).state == State.PRIVACY_REVIEW

    other = open_request(app_as("delegue", "committee"), request.id)
    conditions = other.multiselect(key=f"committee_conditions_{request.id}_1")
    assert conditions.value == ["destroy_at_end", "small_cells"]  # the level's, pre-filled
    other.radio(key="committee_outcome").set_value("approved")
    ok(conditions.select("deidentify").run())  # the de-identification condition names its policy
    assert other.selectbox(key="committee_policy").options == ["recherche"]
    other.text_area(key="committee_grounds").input("Usage interne, données agrégées.")
    ok(other.button(key="committee_decide").click().run())
    assert "« Approuvée »" in other.success[0].value
    decided = service.get(request.id)
    assert decided.state == State.APPROVED and decided.decisions[0].by == "delegue"
    codes = {c.code: c for c in decided.decisions[0].conditions}
    assert list(codes) == ["destroy_at_end", "small_cells", "deidentify"]
    assert (
        codes["deidentify"].policy == "recherche" and len(codes["deidentify"].policy_digest) == 64
    )


def test_the_committee_reviews_votes_and_decides_and_the_register_lists_it(catalogue, service):
    request_id = committee_to_vote(service)
    requester = open_request(app_as("ethique3", "committee"), request_id)
    before = journal_size(service)  # the requester may not review their own request
    requester.radio(key="committee_review_conflict").set_value("none")
    ok(requester.button(key="committee_review_send").click().run())
    assert requester.error[0].value == (
        "Examen non enregistré : " + request_id + ": nobody may review their own request"
    )
    assert journal_size(service) == before and len(service.get(request_id).reviews) == 1

    member = open_request(app_as("ethique1", "committee"), request_id)
    member.radio(key="committee_review_conflict").set_value("none")
    ok(member.button(key="committee_review_send").click().run())
    assert member.radio(key="committee_review_conflict").value is None  # blank again
    member.radio(key="committee_vote_conflict").set_value("none")
    member.radio(key="committee_vote_choice").set_value("approve")
    ok(member.button(key="committee_vote_send").click().run())
    assert member.success[0].value.startswith("C'est fait — Voter.")
    for name in ("delegue", "ethique2"):
        service.vote(ACCOUNTS[name], request_id, "approve", NONE)
    service.vote(ACCOUNTS["rprp"], request_id, "abstain", Declaration(conflict=True, details="x"))

    decider = open_request(app_as("ethique2", "committee"), request_id)
    metrics = {m.label: m.value for m in decider.metric}
    assert metrics["Pour"] == "3" and metrics["Récusations"] == "1"
    assert "Niveau III — incidence élevée" in [m.value.strip("*") for m in decider.markdown]
    decider.radio(key="committee_outcome").set_value("approved")
    decider.text_area(key="committee_grounds").input("Intérêt public, supervision humaine.")
    ok(decider.button(key="committee_decide").click().run())
    assert "« Approuvée »" in decider.success[0].value
    assert service.get(request_id).state == State.APPROVED

    register = app_as("analyste", "ai_register")
    table = register.dataframe[0].value
    assert list(table["nom"]) == ["Repérage du décrochage"]
    assert list(table["statut"]) == ["en développement"]
    downloads = [b.label for b in register.download_button]
    assert downloads == ["Télécharger le registre (JSON)", "Télécharger le registre (CSV)"]


def granted(service: ReviewService) -> str:
    """A level I access, approved by the delegate and opened by the steward; its id."""
    analyst, rprp = ACCOUNTS["analyste"], ACCOUNTS["rprp"]
    body = access_body([{"urn": MART, "columns": ["moyenne_generale"]}])
    request = service.create(analyst, "Effet du tutorat", body, answers("dataset_access"))
    service.submit(analyst, request.id)
    for action in ("triage", "assess", "send_to_privacy_review"):
        service.assess(rprp, request.id) if action == "assess" else service.act(
            rprp, request.id, action
        )
    service.review(rprp, request.id, declaration=NONE, recommendation="approve")
    service.decide(
        ACCOUNTS["delegue"], request.id, outcome="approved", grounds="Usage interne.",
        conditions=[Condition(code="destroy_at_end"), Condition(code="small_cells")],
    )  # fmt: skip
    service.activate(ACCOUNTS["intendance"], request.id)
    return request.id


def test_the_requester_asks_for_a_renewal_and_the_privacy_officer_renews(catalogue, service):
    request_id = granted(service)
    app = app_as("analyste", "my_requests")
    assert app.info[0].value.startswith(f"L'accès est ouvert jusqu'au {ENDS.isoformat()}.")
    ok(app.button(key="mine_request_renewal").click().run())
    assert app.success[0].value == "Renouvellement demandé."
    officer = open_request(app_as("rprp", "committee"), request_id)
    ends = service.get(request_id).grant.ends
    too_late = ends + timedelta(days=4 * 365)  # past one more period of level I (24 months)
    officer.date_input(key="committee_renew_until").set_value(too_late)
    ok(officer.button(key="committee_renew").click().run())  # past the level's longest grant
    assert officer.error[0].value.startswith("Non renouvelé : " + request_id)
    assert service.get(request_id).state == State.RENEWAL
    within = ends + timedelta(days=180)
    officer.date_input(key="committee_renew_until").set_value(within)
    ok(officer.button(key="committee_renew").click().run())
    assert "« Accès accordé »" in officer.success[0].value
    assert service.get(request_id).grant.ends == within


def test_a_material_amendment_sends_the_request_back_to_triage(catalogue, service):
    analyst = ACCOUNTS["analyste"]
    body = access_body([{"urn": MART, "columns": ["moyenne_generale"]}])
    request = service.create(analyst, "Effet du tutorat", body, answers("dataset_access"))
    service.submit(analyst, request.id)
    service.act(ACCOUNTS["rprp"], request.id, "triage")
    service.assess(ACCOUNTS["rprp"], request.id)
    service.act(ACCOUNTS["rprp"], request.id, "send_to_privacy_review")
    app = app_as("analyste", "my_requests")
    ok(app.button(key="mine_amend").click().run())
    assert app.subheader[0].value == "Modifier la demande " + request.id
    assert app.warning[0].value.startswith("Une modification importante")
    app.multiselect(key=f"req_cols::{MART}").select("code_permanent")
    ok(app.button(key="req_save").click().run())
    assert app.success[0].value == "Demande enregistrée."
    amended = service.get(request.id)
    assert amended.state == State.TRIAGE and amended.round == 2 and amended.level is None
    assert amended.body.datasets[0].columns == ["moyenne_generale", "code_permanent"]


# Journal d'audit --------------------------------------------------------------------------


def test_the_journal_lists_entries_and_verifies_its_integrity(catalogue, service):
    analyst = ACCOUNTS["analyste"]
    request = service.create(analyst, "Effet du tutorat", access_body([{"urn": MART}]), {})
    service.act(analyst, request.id, "withdraw")
    app = app_as("rprp", "audit_journal")
    assert app.title[0].value == "Journal d'audit"
    table = app.dataframe[0].value
    assert list(table["Action"]) == ["Créer", "Retirer"]
    assert list(table["Rôle"]) == ["demandeur·euse", "demandeur·euse"]
    ok(app.button(key="journal_verify").click().run())
    assert app.success[0].value.startswith("Le journal est intègre : 2 entrées")

    with sqlite3.connect(catalogue.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE audit_journal SET actor = 'quelquun' WHERE seq = 1")
    ok(app.button(key="journal_verify").click().run())
    assert not app.success
    assert app.error[0].value.startswith("modifiée — entrée 1 :")
