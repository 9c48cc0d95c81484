"""Text folding as search sees it, for documents and queries alike."""

import pytest

from catalog.search_text import fold, query_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ÉLÈVES_HDAA — Indice de vétusté", "eleves hdaa indice de vetuste"),
        ("dateNaissance", "date naissance"),
        ("élèveNom codePermanent", "eleve nom code permanent"),
        ("NO_FICHE Nom Prénom", "no fiche nom prenom"),  # capitals without a boundary
        ("CodeÉcole", "codeecole"),  # a boundary before an accented capital is not split
        ("sœur cœur", "soeur coeur"),
        ("css-12 et cs-lakeshore-valley", "css 12 et cs lakeshore valley css12 cslakeshorevalley"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_queries_fold_as_documents_do():
    assert query_words("  dateNaissance   VÉTUS* css-12") == ["date", "naissance", "vetus", "css12"]
    assert query_words("eleve ELEVE élève") == ["eleve"]
