"""`cartable extract|tabulate|extracts|reidentify|keys`, in-process, on a real catalogue."""

import csv
import json
import stat

import pytest

from .conftest import SUIVI_URN


@pytest.fixture
def run(cli, extract_setup):
    def invoke(*args):
        return cli(["--db-url", extract_setup.url, *args])

    return invoke


def common(setup, out="e.csv"):
    return [
        "--dataset", SUIVI_URN, "--policy", str(setup.policy_file), "--out", str(setup.out / out),
        "--network", str(setup.network_file),
    ]  # fmt: skip


def test_extract_then_list_as_json(run, extract_setup):
    code, out, err = run(
        "extract", *common(extract_setup), "--actor", "roy", "--where", "niveau>=4",
        "--lang", "en", "--json",
    )  # fmt: skip
    assert code == 0, err
    record = json.loads(out)
    assert record["rows"] == sum(1 for row in extract_setup.rows if row[7] >= 4)
    assert record["filters"] == ["niveau >= 4"] and record["risk"]["verdict"]
    assert (
        (extract_setup.out / "e.csv.risk.md")
        .read_text()
        .startswith("# Re-identification risk analysis")
    )
    assert not any(row[0] in out for row in extract_setup.rows)  # no identifier printed
    code, out, _ = run("extracts", "--json")
    assert code == 0 and [r["urn"] for r in json.loads(out)] == [record["urn"]]


def test_extract_as_a_table(run, extract_setup):
    code, out, err = run("extract", *common(extract_setup), "--actor", "roy")
    assert code == 0, err
    assert "pseudonym(hmac-sha256)" in out and "Risque de réidentification" in out


def test_tabulate_as_json(run, extract_setup):
    code, out, err = run(
        "tabulate", "--dataset", SUIVI_URN, "--policy", str(extract_setup.policy_file),
        "--rows", "date_naissance", "--columns", "sexe", "--out", str(extract_setup.out / "t.csv"),
        "--actor", "roy", "--network", str(extract_setup.network_file), "--json",
    )  # fmt: skip
    assert code == 0, err
    record = json.loads(out)
    assert record["published"][-1]["date_naissance"] == "Total"
    assert record["published"][-1]["Total"] == "300"


def test_keys_create_and_rotate(cli, tmp_path):
    ring = tmp_path / "cles" / "k.keyring"
    ring.parent.mkdir()
    code, out, _ = cli(["keys", "create", str(ring), "--json"])
    assert code == 0 and stat.S_IMODE(ring.stat().st_mode) == 0o600
    first = json.loads(out)["active"]
    code, out, _ = cli(["keys", "rotate", str(ring), "--json"])
    assert code == 0 and json.loads(out)["active"] != first
    assert ring.read_text().count("secret") == 2
    code, _, err = cli(["keys", "create", str(ring)])
    assert code == 2 and "already exists" in err


def test_reidentify_is_for_the_privacy_officer(run, extract_setup):
    policy = extract_setup.policy_file.read_text().replace(
        "code_permanent: {operator: pseudonym}", "code_permanent: {operator: encrypt}"
    )
    extract_setup.policy_file.write_text(policy)
    code, out, err = run("extract", *common(extract_setup), "--actor", "roy", "--json")
    assert code == 0, err
    urn = json.loads(out)["urn"]
    with (extract_setup.out / "e.csv").open(newline="", encoding="utf-8") as extract:
        token = next(csv.DictReader(extract))["code_permanent"]
    args = ["reidentify", token, "--extract", urn, "--key-file", str(extract_setup.keyring)]
    code, out, err = run(*args, "--actor", "rprp", "--json")
    assert code == 0, err
    assert json.loads(out) == [{"token": token, "value": extract_setup.rows[0][0]}]
    code, _, err = run(*args, "--actor", "roy")
    assert code == 2 and "may not reidentify" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--actor", "alex"], "may not make extract"),
        (["--actor", "personne"], "no account 'personne'"),
        (["--actor", "roy", "--where", "niveau ~ 3"], "expected column OP value"),
        (["--actor", "roy", "--where", "absente = 3"], "no column absente"),
        (["--actor", "roy", "--as-of", "2026-13-01"], "expected YYYY-MM-DD"),
        (["--actor", "roy", "--lang", "de"], "fr or en"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(run, extract_setup, args, message):
    code, out, err = run("extract", *common(extract_setup), *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert list(extract_setup.out.iterdir()) == []


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("name: x\ncolumns: {nom: {operator: shred}}", "unknown operator"),
        ("name: x\n  bad: [", "not valid YAML"),
        ("- a list", "not a policy"),
    ],
)
def test_a_bad_policy_file_is_one_line(run, extract_setup, policy, message):
    extract_setup.policy_file.write_text(policy)
    code, _, err = run("extract", *common(extract_setup), "--actor", "roy")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert list(extract_setup.out.iterdir()) == []


def test_an_unknown_dataset_is_one_line(run, extract_setup):
    args = common(extract_setup)
    args[1] = SUIVI_URN.replace("suivi", "absente")
    code, _, err = run("extract", *args, "--actor", "roy")
    assert code == 2 and "no entity" in err
