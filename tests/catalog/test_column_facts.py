"""The columns of a dataset as search and trust read them, in one pass."""

from catalog import pi_terms
from catalog.column_facts import column_facts


def _term(urn: str, source: str | None = None) -> dict:
    association: dict = {"urn": urn}
    if source:
        association["attribution"] = {"time": 0, "actor": "urn:li:corpuser:x", "source": source}
    return association


def test_terms_come_from_the_schema_then_the_edits_and_a_detection_waits_for_review():
    aspects = {
        "schemaMetadata": {
            "fields": [
                {
                    "fieldPath": "no_fiche",
                    "glossaryTerms": {"terms": [_term("urn:li:glossaryTerm:a")]},
                },
                {"fieldPath": "nom"},
            ]
        },
        "editableSchemaMetadata": {
            "editableSchemaFieldInfo": [
                {
                    "fieldPath": "nom",
                    "glossaryTerms": {
                        "terms": [_term("urn:li:glossaryTerm:b", pi_terms.SCAN_SOURCE)]
                    },
                },
                {"fieldPath": "retiré", "description": "Colonne retirée"},
            ]
        },
    }
    facts = column_facts(aspects)
    assert [t["urn"] for t in facts.terms] == ["urn:li:glossaryTerm:a", "urn:li:glossaryTerm:b"]
    assert facts.pending
    assert (facts.total, facts.described) == (2, 0)  # an edit on a column no longer there

    reviewed = _term("urn:li:glossaryTerm:b", pi_terms.REVIEW_SOURCE)
    aspects["editableSchemaMetadata"]["editableSchemaFieldInfo"][0]["glossaryTerms"] = {
        "terms": [reviewed]
    }
    assert not column_facts(aspects).pending


def test_no_schema_no_columns():
    assert column_facts({}) == ("", 0, 0, [], False)


def test_a_v2_field_path_reads_as_the_column_name_with_its_parents():
    aspects = {
        "schemaMetadata": {
            "fields": [
                {"fieldPath": "[version=2.0].[type=struct].adresse"},
                {"fieldPath": "[version=2.0].[type=struct].adresse.[type=string].ville"},
            ]
        }
    }
    assert column_facts(aspects).text == "adresse adresse ville"  # folded: words only
