"""Detection quality on a slice of the evaluation set: the targets hold (issue 5, item 6).

One table of every template, a few values each, and eighty free texts, French and English;
the whole set runs in ``benchmarks/pii_quality.py`` (docs/pii-quality.md).
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pii_eval import tables, texts  # noqa: E402
from benchmarks.pii_eval.evaluate import TARGETS, run_cartable, summary  # noqa: E402


@pytest.fixture(scope="module")
def quality(analyzer):
    return summary(run_cartable(tables(rows=12, limit=22), texts(count=80), analyzer))


def test_column_level_f2(quality):
    assert quality["columns"]["overall"]["f2"] >= TARGETS["column_f2"], quality["columns"]["wrong"]


def test_span_level_f2(quality):
    assert quality["spans"]["overall"]["f2"] >= TARGETS["span_f2"], quality["spans"]["by_term"]


def test_no_column_that_is_not_personal_is_found_personal(quality):
    assert quality["columns"]["false_personal"] == []


def test_the_slice_holds_every_hard_case():
    from benchmarks.pii_eval import HARD_CASES

    seen = {case for t in tables(rows=2, limit=22) for c in t.columns for case in c.cases}
    seen |= {case for t in texts(count=80) for case in t.cases}
    assert set(HARD_CASES) <= seen | {"no_pi"}


def test_labels_are_terms_of_the_glossary():
    from catalog.pi_terms import TERMS

    ids = {term.id for term in TERMS}
    assert {c.expected for t in tables(rows=1) for c in t.columns} - {None} <= ids
    assert {s.term for t in texts() for s in t.spans} <= ids
