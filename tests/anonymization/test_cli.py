"""`cartable pii text`, in-process: spans as JSON, no raw text in the output, clear errors."""

import json

import pytest


def test_text_from_a_json_lines_file(cli, tmp_path):
    notes = tmp_path / "notes.jsonl"
    notes.write_text(
        json.dumps({"id": "n1", "text": "Élève née le 14 mars 2011, code permanent TREM14611101."})
        + "\n\n"
        + json.dumps({"id": "n2", "text": "Call the father at 514-555-0123."})
        + "\n",
        encoding="utf-8",
    )
    code, out, err = cli(["pii", "text", "--file", str(notes), "--json"])
    assert code == 0, err
    report = {entry["id"]: entry["spans"] for entry in json.loads(out)}
    assert {s["entity"] for s in report["n1"]} == {"BIRTH_DATE", "CODE_PERMANENT"}
    assert [(s["entity"], s["language"]) for s in report["n2"]] == [("PHONE_NUMBER", "en")]
    assert "TREM14611101" not in out and "514-555-0123" not in out


def test_a_table_without_the_text(cli):
    code, out, _ = cli(["pii", "text", "Le NAS est 362 328 601."])
    assert code == 0 and "SIN" in out and "362 328 601" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pii", "text"], "either a TEXT or --file"),
        (["pii", "text", "x", "--lang", "de"], "unknown language"),
        (["pii", "text", "--file", "/nonexistent.jsonl"], "file not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    code, _, err = cli(args)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_bad_line_names_its_place_and_not_its_content(cli, tmp_path):
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"text": "ok"}\n{"texte": "NAS 362 328 601"}\n', encoding="utf-8")
    code, _, err = cli(["pii", "text", "--file", str(notes)])
    assert code == 2 and "notes.jsonl:2" in err and "362" not in err
