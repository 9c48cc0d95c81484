"""The public register of AI systems on a real catalogue: only the AI systems approved (in
development, in use, retired), the Dutch standard's fields, no personal information, JSON
and CSV that read back, and `cartable register ai`."""

import csv
import io
import json
import re

import pytest

from ethics_review.ai_register import (
    HEADERS,
    build_register,
    collect,
    eligible,
    from_csv,
    from_json,
    to_csv,
    to_json,
    to_markdown,
)
from ethics_review.models import Declaration
from ethics_review.service import ReviewService

from .conftest import MART, NOW, PEOPLE, PLANS, account
from .test_decision_record import (
    ai_approval,
    ai_body,
    committee_approval,
    to_privacy_review,
)

NONE = Declaration(conflict=False)


@pytest.fixture
def service(review_catalog):
    # a fixed clock: approval and revocation fall on the same day even at midnight
    return ReviewService(review_catalog, clock=lambda: NOW)


def who(service, name):
    return account(service.catalog, name)


@pytest.fixture
def systems(service):
    """Three AI systems approved (one in development, one in use, one revoked), one refused,
    one still a draft, and an approved dataset access."""
    rprp = who(service, "rprp")
    approved = ai_approval(service, name="Repérage précoce du décrochage")
    in_use = ai_approval(
        service, name="Prévision des effectifs", affected=["staff"],
        input_datasets=[{"urn": PLANS, "columns": ["note_professionnelle"]}],
        recipients=[{"name": "Jean Tremblay", "organization": "Fournisseur inc.",
                     "external": True}],
    )  # fmt: skip
    for action in ("start_validation", "start_pilot", "go_to_production", "start_monitoring"):
        service.act(rprp, in_use.id, action)
    retired = ai_approval(service, name="Classement des demandes de transport")
    service.act(rprp, retired.id, "revoke")
    amended = ai_approval(service, name="Système modifié")  # approved, then changed
    wider = ai_body("Système modifié", purpose="Une autre finalité, plus large que la première.")
    service.amend(who(service, "analyste"), amended.id, wider, amended.answers)
    refused = to_privacy_review(service, "Système refusé", ai_body("Système refusé"), "ai_system")
    service.decide(
        who(service, "delegue"), refused.id, outcome="refused", grounds="Non nécessaire."
    )
    draft = service.create(who(service, "analyste"), "Brouillon d'IA", ai_body("Brouillon"), {})
    access = committee_approval(service)
    return {
        "approved": approved.id, "in_use": in_use.id, "retired": retired.id,
        "amended": amended.id, "refused": refused.id, "draft": draft.id, "access": access.id,
    }  # fmt: skip


def test_only_ai_systems_from_their_approval_on_are_registered(service, systems):
    entries = collect(service, "fr")
    assert [e.id for e in entries] == [systems["approved"], systems["in_use"], systems["retired"]]
    status = {e.id: (e.status, e.phase) for e in entries}
    assert status == {
        systems["approved"]: ("en développement", "approuvée"),
        systems["in_use"]: ("en usage", "surveillance"),
        systems["retired"]: ("retiré", "révoquée"),
    }
    english = {e.id: e.status for e in collect(service, "en")}
    assert set(english.values()) == {"in development", "in use", "retired"}
    assert not eligible(service.get(systems["amended"]))  # back in triage: not approved now
    assert service.get(systems["refused"]).state.value == "refused"


def test_an_entry_has_the_standard_s_fields(service, systems):
    entries = {e.id: e for e in collect(service, "fr")}
    entry = entries[systems["in_use"]]
    assert entry.name == "Prévision des effectifs"
    assert entry.organization == "css-x" and entry.organization_name == "css-x"
    assert entry.description.startswith("Repérer tôt les élèves")
    assert entry.impact_level == "I — incidence faible ou nulle"
    assert entry.decision_supported == "Offrir un suivi par la psychoéducatrice"
    assert entry.affected == ["personnel"] and entry.automation == "aide à la décision"
    assert entry.human_oversight == "Une professionnelle revoit chaque signalement."
    assert entry.data_sources == ["mart_suivi_resultats", "plans_intervention"]
    assert entry.features == [
        "moyenne_generale",
        "sexe (caractéristique protégée)",
        "code_postal (indicateur de revenu familial)",
    ]
    assert "art. 63.5" in entry.legal_basis and "65.2" not in entry.legal_basis
    assert entry.risk_management.startswith("Tests de biais sur : sexe, langue maternelle.")
    assert "rapport de suivi annuel" not in entry.risk_management  # not a level I condition
    assert "explication sur demande (art. 65.2)" in entry.risk_management
    assert entry.explanation == "Les parents obtiennent les principaux facteurs sur demande."
    assert entry.supplier.endswith("Fournisseur inc.")
    assert "niveau I" in entry.impact_assessment
    assert entry.contact.startswith("Responsable de la protection des renseignements personnels")
    assert entry.begin_date.isoformat() == "2026-12-01" and entry.withdrawn_on is None
    retired = entries[systems["retired"]]
    assert retired.withdrawn_on == retired.publication_date  # revoked the day it was approved
    assert set(HEADERS) == set(type(entry).model_fields)


def test_the_register_names_no_person(service, systems):
    published = to_json(collect(service, "fr")) + to_csv(collect(service, "en"), "en")
    for username in PEOPLE:
        assert not re.search(rf"\b{re.escape(username)}\b", published), username
    assert "Jean Tremblay" not in published  # a recipient's name; its organization is shown
    assert "Fournisseur inc." in published


def test_json_and_csv_read_back(service, systems):
    for language in ("fr", "en"):
        entries = collect(service, language)
        assert from_json(to_json(entries)) == entries
        text = to_csv(entries, language)
        assert from_csv(text, language) == entries
        header = next(csv.reader(io.StringIO(text)))
        assert header == [labels[0 if language == "fr" else 1] for labels in HEADERS.values()]
    assert json.loads(to_json(collect(service, "fr")))[0]["status"] == "en développement"
    assert "identifiant,nom,organisme" in to_csv([], "fr") and "id,name,organization" in to_csv(
        [], "en"
    )


def test_the_page_lists_every_system(service, systems):
    page = to_markdown(collect(service, "fr"), "fr")
    assert page.startswith("# Registre des systèmes d'IA")
    assert page.count("\n## ") == 3 and "| statut | en usage |" in page
    assert "No system registered." in to_markdown([], "en")


def test_build_register_is_pure(service, systems):
    requests = [service.get(i) for i in systems.values()]
    names = {MART: "Résultats", PLANS: "Plans d'intervention"}
    entries = build_register(requests, names, "en", {"css-x": "CSS des Découvreurs"})
    assert [e.id for e in entries] == [systems["approved"], systems["in_use"], systems["retired"]]
    assert entries[1].data_sources == ["Résultats", "Plans d'intervention"]
    assert entries[1].organization_name == "CSS des Découvreurs"
    assert entries[1].contact == "Privacy officer (RPRP), css-x"


# The command line ------------------------------------------------------------------------------


@pytest.fixture
def run(cli, any_catalog_url):
    def invoke(*args):
        return cli(["--db-url", any_catalog_url, *args])

    return invoke


def test_cartable_register_ai(service, systems, run, tmp_path):
    code, out, err = run("register", "ai", "--json")
    assert code == 0, err
    assert [e["id"] for e in json.loads(out)] == [
        systems["approved"], systems["in_use"], systems["retired"]
    ]  # fmt: skip
    code, out, err = run("register", "ai", "--format", "csv", "--lang", "en")
    assert code == 0, err
    assert out.startswith("id,name,organization")
    target = tmp_path / "registre.csv"
    code, out, err = run("register", "ai", "--format", "csv", "--out", str(target), "--json")
    assert code == 0, err
    assert json.loads(out) == {"file": str(target), "format": "csv", "language": "fr",
                               "entries": 3}  # fmt: skip
    assert len(from_csv(target.read_text("utf-8"), "fr")) == 3
    code, out, err = run("register", "ai", "--format", "md", "--lang", "en")
    assert code == 0 and out.startswith("# Register of AI systems")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format xml: json or csv or md"),
        (["--lang", "es"], "--lang es: fr or en"),
        (["--out", "/nonexistent/folder/r.json"], "folder /nonexistent/folder not found"),
    ],
)
def test_cartable_register_ai_refuses_in_one_line(service, run, args, message):
    code, out, err = run("register", "ai", *args)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"cartable: {message}"]
