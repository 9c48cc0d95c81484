"""The demo's reviews (issue 7, done when): an analyst's access request and a team's
dropout-risk model through triage, the privacy review and the committee; decision records
and the AI register produced; the journal verifies, and a tampered copy is caught."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from catalog.service import Catalog
from ethics_review.service import ReviewService


@pytest.fixture(scope="module")
def demo(demo_catalog):
    url, report, folder = demo_catalog
    return url, report["reviews"], folder / "network"


def test_both_requests_went_through_the_committee_with_the_right_people(demo):
    url, reviews, _ = demo
    catalog = Catalog.open(url)
    try:
        service = ReviewService(catalog)
        access, model = service.get(reviews["access"]), service.get(reviews["ai_system"])
        votes = {r: {v.member for v in service.votes(r)} for r in (access.id, model.id)}
    finally:
        catalog.close()
    assert access.state.value == "active" and model.state.value == "pilot"
    for request in (access, model):
        assert request.level == 3 and "hdaa_or_health" in request.assessment["floors"]
        reviewers = {(r.stage, r.reviewer) for r in request.reviews}
        assert reviewers == {("privacy", "rprp"), ("ethics", "ethique")}
        [decision] = request.decisions
        assert decision.by == "ethique2" and decision.by not in {"rprp", request.requester}
        assert {c.code for c in decision.conditions} >= {"deidentify", "secure_setting"} or (
            request.kind == "ai_system"
            and {"human_final_decision", "bias_testing"} <= {c.code for c in decision.conditions}
        )
    assert votes[access.id] == votes[model.id] == {"rprp", "delegue", "ethique", "ethique2"}
    assert access.grant.extracts  # delivered by the extract of the approved policy


def test_decision_records_and_the_register_are_written(demo):
    _, reviews, network = demo
    for request_id in (reviews["access"], reviews["ai_system"]):
        for language in ("fr", "en"):
            markdown = (network / "decisions" / f"{request_id}.{language}.md").read_text()
            assert request_id in markdown and ("III" in markdown)
            pdf = (network / "decisions" / f"{request_id}.{language}.pdf").read_bytes()
            assert pdf.startswith(b"%PDF")
    register = json.loads((network / "registre-ia.json").read_text())
    assert [entry["id"] for entry in register] == [reviews["ai_system"]]
    assert "analyste" not in json.dumps(register) and "equipe-ia" not in json.dumps(register)


def test_the_journal_verifies_and_a_tampered_copy_is_caught(demo, cli, tmp_path):
    url, reviews, _ = demo
    assert reviews["journal_ok"] and reviews["journal_entries"] >= 30
    code, out, _ = cli(["--db-url", url, "audit", "verify", "--json"])
    assert code == 0 and json.loads(out)["ok"]
    source = Path(url.removeprefix("sqlite:///"))
    for path in source.parent.glob(source.name + "*"):  # the file and its write-ahead log
        shutil.copy(path, tmp_path / path.name)
    copy = f"sqlite:///{tmp_path / source.name}"
    engine = create_engine(copy)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_journal SET role = 'admin' WHERE seq = 5"))
    engine.dispose()
    code, out, _ = cli(["--db-url", copy, "audit", "verify", "--json"])
    result = json.loads(out)
    assert code == 1 and [(p["kind"], p["seq"]) for p in result["problems"]] == [("altered", 5)]
