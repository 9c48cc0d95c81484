"""`cartable review …` and `cartable audit …` in-process on a real catalogue: a request
through the committee as JSON, refusals in one line with exit 2, tamper detection."""

import json

import pytest
import yaml
from sqlalchemy import text

from .conftest import ORG, PLANS, answers


@pytest.fixture
def run(cli, review_catalog, any_catalog_url):
    def invoke(*args):
        return cli(["--db-url", any_catalog_url, *args])

    return invoke


def request_file(tmp_path, datasets):
    path = tmp_path / "demande.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "title": "Effet du tutorat sur les élèves HDAA",
                "body": {
                    "kind": "dataset_access",
                    "datasets": datasets,
                    "purpose": "Mesurer l'effet du tutorat sur les élèves HDAA.",
                    "legal_basis": "65.1",
                    "recipients": [{"name": "Équipe analytique", "organization": ORG}],
                    "starts": "2026-12-01",
                    "ends": "2028-12-01",
                    "setting": "cartable_extract",
                    "expected_outputs": "Tableaux agrégés",
                },
                "answers": answers("dataset_access"),
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path


def ok(run, *args):
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_request_through_the_committee_and_the_journal(run, tmp_path):
    created = ok(run, "review", "create", "--file", str(request_file(tmp_path, [{"urn": PLANS}])),
                 "--actor", "analyste")  # fmt: skip
    rid = created["id"]
    ok(run, "review", "submit", rid, "--actor", "analyste")
    ok(run, "review", "triage", rid, "--actor", "rprp")
    assessed = ok(run, "review", "assess", rid, "--actor", "rprp")
    assert assessed["assessment"]["level"] == 3
    ok(run, "review", "send-to-privacy-review", rid, "--actor", "rprp")
    ok(run, "review", "review", rid, "--recommend", "approve", "--no-conflict", "--actor", "rprp")
    ok(run, "review", "refer", rid, "--actor", "rprp")
    ok(run, "review", "review", rid, "--recommend", "approve", "--no-conflict",
       "--actor", "ethique1")  # fmt: skip
    recused = ok(run, "review", "vote", rid, "approve", "--conflict", "--details", "lien familial",
                 "--actor", "ethique1")  # fmt: skip
    assert recused["votes"][0]["declaration"]["conflict"] is True
    for member in ("delegue", "ethique2", "ethique3"):
        ok(run, "review", "vote", rid, "approve", "--no-conflict", "--actor", member)
    policy = tmp_path / "politique.yml"
    policy.write_text("name: recherche\n")
    decided = ok(run, "review", "decide", rid, "approved", "--grounds", "Intérêt public.",
                 "--policy", str(policy), "--actor", "ethique2")  # fmt: skip
    assert decided["state"] == "approved"
    [decision] = decided["decisions"]
    deidentify = next(c for c in decision["conditions"] if c["code"] == "deidentify")
    assert deidentify["policy"] == "recherche" and len(deidentify["policy_digest"]) == 64
    listed = ok(run, "review", "list", "--actor", "rprp")
    assert [r["id"] for r in listed] == [rid]
    assert ok(run, "review", "list", "--actor", "rprp-y") == []
    shown = ok(run, "review", "show", rid)
    assert len(shown["votes"]) == 4
    verified = ok(run, "audit", "verify")
    assert verified["ok"] and verified["entries"] == 13  # one per action, votes included
    journal = ok(run, "audit", "show", "--subject", rid)
    assert [e["action"] for e in journal][-1] == "decide"


def test_a_tampered_journal_is_caught_and_named(run, tmp_path, review_catalog):
    ok(run, "review", "create", "--file", str(request_file(tmp_path, [{"urn": PLANS}])),
       "--actor", "analyste")  # fmt: skip
    created = ok(run, "review", "list", "--actor", "analyste")[0]["id"]
    ok(run, "review", "submit", created, "--actor", "analyste")
    with review_catalog.database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_journal SET actor = 'quelquun' WHERE seq = 1"))
    code, out, _ = run("audit", "verify", "--json")
    assert code == 1
    result = json.loads(out)
    assert not result["ok"] and [(p["kind"], p["seq"]) for p in result["problems"]][0] == (
        "altered",
        1,
    )
    code, out, _ = run("audit", "verify")
    assert code == 1 and "altered" in out and "1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "triage", "DEM-2026-0099", "--actor", "rprp"], "no request DEM-2026-0099"),
        (["review", "create", "--file", "/absent.yml", "--actor", "analyste"], "not found"),
        (["review", "vote", "X", "maybe", "--no-conflict", "--actor", "rprp"], "abstain"),
        (["review", "decide", "X", "perhaps", "--grounds", "x", "--actor", "rprp"], "or revise"),
        (["review", "list", "--state", "nowhere", "--actor", "rprp"], "--state: one of"),
        (["review", "renew", "X", "--until", "demain", "--actor", "rprp"], "expected YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(run, args, message):
    code, _, err = run(*args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_acting_out_of_turn_records_nothing(run, tmp_path):
    rid = ok(run, "review", "create", "--file", str(request_file(tmp_path, [{"urn": PLANS}])),
             "--actor", "analyste")["id"]  # fmt: skip
    code, _, err = run("review", "triage", rid, "--actor", "rprp")
    assert code == 2 and "cannot triage a request that is draft" in err
    code, _, err = run("review", "submit", rid, "--actor", "rprp")
    assert code == 2 and "only its requester" in err
    assert len(ok(run, "audit", "show")) == 1  # the creation only
    bad = request_file(tmp_path, [{"urn": PLANS, "columns": ["absente"]}])
    code, _, err = run("review", "create", "--file", str(bad), "--actor", "analyste")
    assert code == 2 and "has no column absente" in err
    assert len(ok(run, "audit", "show")) == 1
