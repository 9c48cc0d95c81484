"""The demo's extract (issue 6, done when): a pseudonymized extract of student results with
generalized dates and postal codes and scrubbed notes, registered with its lineage, and a risk
report with the three criteria and a verdict."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from anonymization.text_scan import scan_texts
from catalog.demo.extract import SOURCE
from catalog.service import Catalog


@pytest.fixture(scope="module")
def demo_extract(demo_catalog):
    url, report, _ = demo_catalog
    return url, report["extract"]


def test_the_demo_extract_is_de_identified(demo_extract, analyzer):
    _, extract = demo_extract
    frame = pd.read_csv(extract["path"], dtype=str, keep_default_na=False)
    assert len(frame) == extract["rows"] > 100
    assert "no_fiche" not in frame.columns
    assert frame["code_permanent"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert frame["date_naissance"].str.fullmatch(r"\d{4}").all()
    assert frame["code_postal"].map(len).max() <= 3
    assert frame["date_plan"].map(lambda v: v == "" or re.fullmatch(r"\d{4}-\d\d", v)).all()
    notes = [n for n in frame["note_professionnelle"] if n]
    assert len(notes) > 10
    assert sum(len(spans) for spans in scan_texts(analyzer, notes)) == 0


def test_the_demo_extract_is_registered_with_lineage_and_a_report(demo_extract):
    url, extract = demo_extract
    catalog = Catalog.open(url)
    try:
        detail = catalog.entity(extract["urn"])
    finally:
        catalog.close()
    assert detail.aspects["upstreamLineage"]["upstreams"][0]["dataset"] == SOURCE
    assert detail.summary.organization == "css-deux-rivieres"
    report = json.loads(Path(extract["path"] + ".risk.json").read_text())
    for criterion in ("individualization", "correlation", "inference"):
        assert report["risk"][criterion]["level"] in ("very_low", "low", "high")
    assert report["risk"]["verdict"] == extract["verdict"]
    markdown = Path(extract["report"]).read_text()
    assert "## Verdict : risque" in markdown and "## 3. Inférence" in markdown
