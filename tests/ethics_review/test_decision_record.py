"""Decision records (Markdown and PDF, French and English) of requests taken through the
review on a real catalogue, and `cartable record`."""

import io
import json
from datetime import UTC, date, datetime

import pypdf
import pytest

from ethics_review.audit import AuditJournal
from ethics_review.decision_record import (
    JournalHead,
    dataset_name,
    gather,
    render_markdown,
    render_pdf,
    render_record,
)
from ethics_review.levels import level_requirements
from ethics_review.models import AiSystem, Condition, DatasetAccess, Declaration
from ethics_review.service import ReviewService

from .conftest import MART, ORG, PLANS, account, answers

NONE = Declaration(conflict=False)
FAMILY = Declaration(conflict=True, details="lien familial avec la chercheuse")
DIGEST = "ab" * 32
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


@pytest.fixture
def service(review_catalog):
    return ReviewService(review_catalog)


def who(service, name):
    return account(service.catalog, name)


def access_body(datasets):
    return DatasetAccess.model_validate(
        {
            "datasets": datasets,
            "purpose": "Mesurer l'effet du tutorat sur la réussite des élèves HDAA.",
            "legal_basis": "65.1",
            "recipients": [{"name": "Équipe analytique", "organization": ORG}],
            "starts": date(2026, 12, 1),
            "ends": date(2028, 12, 1),
            "setting": "secure_enclave",
            "expected_outputs": "Tableaux agrégés par école",
        }
    )


def ai_body(name="Repérage précoce du décrochage", **changes):
    values = {
        "name": name,
        "purpose": "Repérer tôt les élèves à risque de décrochage pour leur offrir du soutien.",
        "decision_supported": "Offrir un suivi par la psychoéducatrice",
        "affected": ["minors"],
        "automation": "assistive",
        "training_datasets": [{"urn": MART, "columns": ["moyenne_generale", "niveau"]}],
        "features": [
            {"name": "moyenne_generale"},
            {"name": "sexe", "protected": True},
            {"name": "code_postal", "proxy_for": "revenu familial"},
        ],
        "bias_testing": ["sexe", "langue maternelle"],
        "human_oversight": "Une professionnelle revoit chaque signalement.",
        "explanation": "Les parents obtiennent les principaux facteurs sur demande.",
        "monitoring": "Rapport annuel des écarts entre sous-groupes",
        "consultation": ["parents", "staff"],
        "starts": date(2026, 12, 1),
        "ends": date(2028, 12, 1),
    }
    return AiSystem.model_validate(values | changes)


def level_conditions(level, kind):
    return [
        Condition(code=c, policy="recherche", policy_digest=DIGEST) if c == "deidentify"
        else Condition(code=c)
        for c in level_requirements(level).condition_codes(kind)
    ]  # fmt: skip


def to_privacy_review(service, title, body, kind):
    analyst = who(service, "analyste")
    request = service.create(analyst, title, body, answers(kind))
    service.submit(analyst, request.id)
    rprp = who(service, "rprp")
    service.act(rprp, request.id, "triage")
    service.assess(rprp, request.id)
    service.act(rprp, request.id, "send_to_privacy_review")
    service.review(
        rprp, request.id, declaration=NONE, recommendation="approve_with_conditions",
        comments="EFVP complète : mesures de sécurité vérifiées.", conditions=["secure_setting"],
    )  # fmt: skip
    return service.get(request.id)


def committee_approval(service):
    """An HDAA access (level III) through the committee: one recusal, three votes for."""
    request = to_privacy_review(
        service, "Tutorat et élèves HDAA",
        access_body([{"urn": PLANS, "columns": ["code_difficulte"]}]), "dataset_access",
    )  # fmt: skip
    service.refer(who(service, "rprp"), request.id)
    service.review(who(service, "ethique1"), request.id, declaration=NONE, recommendation="approve")
    service.vote(who(service, "ethique1"), request.id, "approve", FAMILY)
    for member in ("delegue", "ethique2", "ethique3"):
        service.vote(who(service, member), request.id, "approve", NONE)
    return service.decide(
        who(service, "ethique2"), request.id, outcome="approved",
        grounds="Intérêt public démontré; données minimales.",
        conditions=level_conditions(3, "dataset_access"),
    )  # fmt: skip


def ai_approval(service, name="Repérage précoce du décrochage", **changes):
    """An AI system at level I, approved by the delegate privacy officer."""
    request = to_privacy_review(service, name, ai_body(name, **changes), "ai_system")
    return service.decide(
        who(service, "delegue"), request.id, outcome="approved",
        grounds="Risque faible, supervision humaine.", conditions=level_conditions(1, "ai_system"),
    )  # fmt: skip


def test_the_french_record_of_a_committee_decision_holds_everything(service):
    decided = committee_approval(service)
    record = gather(service, decided.id, NOW)
    head = AuditJournal(service.catalog.database).verify()
    assert record.head == JournalHead(seq=head.head_seq, hash=head.head_hash, verified=True)
    text = render_record(record, "fr", "md").decode("utf-8")
    assert text.startswith(f"# Dossier de décision — {decided.id}")
    # the request and its dataset, by name, with the column and the legal basis's label
    assert "| Organisme détenteur | css-x |" in text
    assert f"| plans_intervention | `{PLANS}` | code_difficulte |" in text
    assert "Utilisation interne de renseignements dépersonnalisés (art. 65.1)" in text
    assert "enclave sécurisée" in text and "Équipe analytique (css-x)" in text
    # every answer with its question's text and its points
    assert "Sur quelle disposition de la Loi sur l'accès la demande repose-t-elle?" in text
    assert "| Renseignements anonymisés (art. 73) | risque | 0 / 2 |" in text
    assert text.count("| risque |") + text.count("| atténuation |") >= 20
    # the assessment: scores, the floor and its meaning, the final level in roman numerals
    a = decided.assessment
    assert f"| Score brut (risque) | {a['raw']} sur {a['max_raw']} |" in text
    assert "- données sur les élèves HDAA ou de santé" in text
    assert "| Niveau retenu | **III** — incidence élevée |" in text
    # reviews with declarations; votes with the recusal; the tally
    assert "| rprp (RPRP) | aucun conflit | approuver avec conditions | secure_setting |" in text
    assert "EFVP complète : mesures de sécurité vérifiées." in text
    assert (
        "| ethique1 | conflit déclaré — lien familial avec la chercheuse | récusé·e (non compté) |"
        in text
    )
    assert "- Ronde 1 : 3 pour, 0 contre, 0 abstention(s), 1 récusation(s)." in text
    # the decision: grounds, every condition's text, the policy and its digest
    assert (
        "### Ronde 1 : approuvée" in text and "Intérêt public démontré; données minimales." in text
    )
    assert "par ethique2 (membre du comité)" in text
    for code in level_requirements(3).condition_codes("dataset_access"):
        assert f"**{code}** — " in text
    assert "Aucun appariement avec d'autres renseignements" in text
    assert (
        f"Politique de dépersonnalisation approuvée : recherche, empreinte SHA-256 `{DIGEST}`"
        in text
    )
    # the grant, the history, the journal's head, the signatures
    assert "| Fin | 2027-12-01 |" in text and "| Rappel de renouvellement | 2027-11-01 |" in text
    assert "refer_to_committee" in text
    assert f"entrée n° {head.head_seq}, empreinte SHA-256 `{head.head_hash}`" in text
    assert "La chaîne du journal a été vérifiée" in text
    assert "| Décision de la ronde 1 (membre du comité) | ethique2 | | |" in text


def test_the_english_record_says_the_same_in_english(service):
    decided = committee_approval(service)
    text = render_record(gather(service, decided.id, NOW), "en", "md").decode("utf-8")
    assert text.startswith(f"# Decision record — {decided.id}")
    assert "On which provision of the Access Act does the request rest?" in text
    assert "Internal use of de-identified information (s. 65.1)" in text
    assert "| Final level | **III** — high impact |" in text
    assert "- data on students with special needs (HDAA) or health data" in text
    assert "recused (not counted)" in text and "3 for, 0 against" in text
    assert f"De-identification policy approved: recherche, SHA-256 digest `{DIGEST}`" in text
    assert "No linkage with any information other than what the decision allows." in text
    assert "| Ends | 2027-12-01 |" in text
    for french in ("Dossier de décision", "récusé", "Motifs", "Ronde "):
        assert french not in text


def test_an_ai_system_record_shows_its_features_oversight_and_explanation(service):
    decided = ai_approval(service)
    record = gather(service, decided.id, NOW)
    fr = render_record(record, "fr", "md").decode("utf-8")
    assert "**Système.** Repérage précoce du décrochage" in fr
    assert "| Automatisation | aide à la décision |" in fr
    assert "| Personnes touchées | élèves mineurs |" in fr
    assert "| sexe | oui | — |" in fr and "| code_postal | non | revenu familial |" in fr
    assert "| Tests de biais (sous-groupes) | sexe, langue maternelle |" in fr
    assert "Une professionnelle revoit chaque signalement." in fr
    assert "| Consultation | parents, personnel |" in fr
    assert f"| entraînement | mart_suivi_resultats | `{MART}` | moyenne_generale, niveau |" in fr
    assert "Aucun plancher ne s'applique." in fr and "Aucun vote." in fr
    assert "**explanation** — Sur demande, la personne concernée obtient" in fr
    en = render_record(record, "en", "md").decode("utf-8")
    assert "| Automation | decision support |" in en and "| sexe | yes | — |" in en


def pdf_text(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pdf_holds_the_markdown_s_content(service, language):
    decided = committee_approval(service)
    record = gather(service, decided.id, NOW)
    data = render_record(record, language, "pdf")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert decided.id in text and "III" in text and "ethique2" in text
    assert record.head.hash[:32] in text.replace("\n", "")
    if language == "fr":
        for word in ("Dossier de décision", "Évaluation", "récusé·e", "Intérêt public démontré",
                     "élèves HDAA", "Réponses au questionnaire", "Délibération"):  # fmt: skip
            assert word in text, word
    else:
        for word in ("Decision record", "Assessment", "recused", "Committee deliberation"):
            assert word in text, word


def test_the_pdf_prints_french_punctuation_and_replaces_what_its_fonts_lack(service):
    decided = ai_approval(service, name="Œuvre « test » l’élève ≥ 3 ✓")
    request, votes = service.get(decided.id), []
    markdown = render_markdown(request, votes, "fr", rendered_at=NOW)
    assert "Œuvre « test » l’élève ≥ 3 ✓" in markdown
    text = pdf_text(render_pdf(request, votes, "fr", rendered_at=NOW))
    assert "Œuvre « test » l’élève >= 3 v" in text
    # the same inputs give the same bytes (no time or random id inside)
    assert render_pdf(request, votes, "fr", rendered_at=NOW) == render_pdf(
        request, votes, "fr", rendered_at=NOW
    )


def test_a_dataset_without_a_name_is_named_from_its_urn():
    assert dataset_name(PLANS) == "css-x.hdaa.plans_intervention"
    assert dataset_name("urn:li:corpuser:x") == "urn:li:corpuser:x"


def test_a_pipe_in_a_text_stays_inside_its_table_cell(service):
    decided = ai_approval(service, human_oversight="Revue | par une personne\nqualifiée")
    text = render_markdown(service.get(decided.id), [], "fr", rendered_at=NOW)
    assert "| Surveillance humaine | Revue \\| par une personne qualifiée |" in text
    pdf = pdf_text(render_pdf(service.get(decided.id), [], "fr", rendered_at=NOW))
    assert "Revue | par une personne qualifiée" in pdf


def test_a_request_not_yet_assessed_has_a_record_too(service):
    analyst = who(service, "analyste")
    draft = service.create(analyst, "Brouillon", access_body([{"urn": MART}]), {})
    text = render_markdown(service.get(draft.id), [], "en", rendered_at=NOW)
    assert "| Impact level | not assessed |" in text
    assert "The request has not been assessed yet." in text and "No decision." in text
    assert "The audit journal was empty" in text  # no head given


# The command line ------------------------------------------------------------------------------


@pytest.fixture
def run(cli, any_catalog_url):
    def invoke(*args):
        return cli(["--db-url", any_catalog_url, *args])

    return invoke


def test_cartable_record_writes_markdown_and_pdf(service, run, tmp_path):
    decided = committee_approval(service)
    code, out, err = run("record", decided.id, "--out", str(tmp_path / "d.md"), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["format"] == "md" and summary["journal_head"]["verified"] is True
    assert (
        (tmp_path / "d.md").read_text("utf-8").startswith(f"# Dossier de décision — {decided.id}")
    )
    code, out, err = run("record", decided.id, "--out", str(tmp_path / "d.pdf"), "--lang", "en")
    assert code == 0, err
    assert "dossier de décision écrit" in out
    assert "Decision record" in pdf_text((tmp_path / "d.pdf").read_bytes())
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["DEM-2099-0001"], "no request DEM-2099-0001"),
        (["DEM-2099-0001", "--lang", "de"], "--lang de: fr or en"),
        (["DEM-2099-0001", "--format", "docx"], "--format docx: md or pdf"),
    ],
)
def test_cartable_record_refuses_in_one_line(service, run, tmp_path, args, message):
    code, out, err = run("record", *args, "--out", str(tmp_path / "x.md"), "--json")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"cartable: {message}"]
    assert not (tmp_path / "x.md").exists()
