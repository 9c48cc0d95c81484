"""What a sample of values shows: names in directory order, as legacy systems keep them."""

from anonymization.value_evidence import reading_order, value_evidence


def test_directory_order_is_read_as_a_name():
    assert reading_order("CÔTÉ, HÉLÈNE") == "Hélène Côté"
    assert reading_order("Tremblay, Jean-Paul") == "Jean-Paul Tremblay"
    assert reading_order("Mathématique") == "Mathématique"


def test_uppercase_names_in_directory_order_are_names(analyzer):
    values = [
        "CÔTÉ, HÉLÈNE", "TREMBLAY, JEAN-PAUL", "GAGNON, MARIE", "ROY, FRANÇOIS",
        "BOUCHARD, SYLVIE", "GAUTHIER, MICHEL", "MORIN, JULIE", "LAVOIE, PIERRE",
        "FORTIN, NATHALIE", "GAGNÉ, ÉRIC",
    ]  # fmt: skip
    evidence = value_evidence(values, analyzer, check_names=True)
    assert evidence.matched.get("PERSON", 0) >= 8


def test_schools_named_after_people_are_not_names(analyzer):
    values = [
        "École secondaire Marie-Victorin", "École primaire Jean-Baptiste-Meilleur",
        "Polyvalente Henri-Bourassa", "École Marguerite-Bourgeoys",
        "Pavillon Louis-Joseph-Papineau",
    ]  # fmt: skip
    evidence = value_evidence(values, analyzer, check_names=True)
    assert evidence.matched.get("PERSON", 0) <= 1
