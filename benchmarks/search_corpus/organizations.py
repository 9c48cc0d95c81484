"""The network's 72 school organizations (60 francophone centres de services scolaires
``css-01``…``css-60``, 9 anglophone school boards and 3 with special status ``cs-01``…``cs-12``)
and their schools, named with Faker (seeded)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

_CSS_NAMES = (
    "des Affluents", "des Rivières", "des Hautes-Terres", "des Chutes", "des Bois-Francs",
    "des Navigateurs", "des Patriotes", "des Sommets", "des Grandes-Seigneuries",
    "des Premières-Seigneuries", "des Draveurs", "des Portages", "des Hauts-Cantons",
    "des Mille-Îles", "des Laurentides", "des Samares", "des Appalaches", "des Chênes",
    "des Découvreurs", "des Phares", "des Îles", "des Monts-et-Marées", "des Rives-du-Saguenay",
    "du Lac-Saint-Jean", "du Pays-des-Bleuets", "du Fleuve-et-des-Lacs", "de Kamouraska",
    "de la Beauce-Etchemin", "de la Côte-du-Sud", "de la Capitale", "de Charlevoix",
    "de l'Estuaire", "de l'Harricana", "du Lac-Abitibi", "du Lac-Témiscamingue",
    "de Rouyn-Noranda", "de l'Or-et-des-Bois", "de la Baie-James", "de la Rivière-du-Nord",
    "Pierre-Neveu", "de Laval", "Marie-Victorin", "de la Vallée-des-Tisserands",
    "du Val-des-Cerfs", "de Saint-Hyacinthe", "de Sorel-Tracy", "des Trois-Lacs",
    "des Hauts-Bois-de-l'Outaouais", "au Cœur-des-Vallées", "du Chemin-du-Roy",
    "de l'Énergie", "de la Riveraine", "de la Région-de-Sherbrooke", "de la Seigneurie",
    "de la Pointe-de-l'Île", "Marguerite-Bourgeoys", "de Montréal", "du Fer",
    "de la Jonquière", "de la Moyenne-Côte-Nord",
)  # fmt: skip
_ENGLISH_BOARDS = (
    "Riverside", "Eastern Townships", "Central Québec", "Western Québec", "Sir-Wilfrid-Laurier",
    "New Frontiers", "Eastern Shores", "Lester-B.-Pearson", "English-Montréal",
)  # fmt: skip
_SPECIAL = (("Commission scolaire Crie", "en"), ("Commission scolaire Kativik", "fr"),
            ("Commission scolaire du Littoral", "fr"))  # fmt: skip

_FR_NATURE = {
    "des": ("Pionniers", "Explorateurs", "Bâtisseurs", "Cheminots", "Trois-Saisons",
            "Quatre-Vents", "Érables", "Bouleaux", "Sources", "Deux-Rives", "Moissons",
            "Rapides", "Jeunes-Riverains", "Hirondelles", "Cèdres", "Mésanges"),
    "du": ("Boisé", "Ruisseau", "Carrefour", "Tournesol", "Plateau", "Vieux-Moulin",
           "Petit-Prince", "Grand-Héron", "Bocage"),
    "de la": ("Rivière", "Montée", "Clairière", "Passerelle", "Source", "Découverte",
              "Fourmilière", "Farandole", "Riveraine", "Croisée"),
}  # fmt: skip


@dataclass(frozen=True)
class Organization:
    """A school organization: code, full name, language and schools."""

    code: str
    name: str
    language: str  # "fr" or "en"
    schools: tuple[str, ...]
    stewards: tuple[str, ...]  # corpuser ids


def _french_school(fake: Faker, rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.25:
        female = rng.random() < 0.5
        given = fake.first_name_female() if female else fake.first_name_male()
        return f"école {'Sainte' if female else 'Saint'}-{given}"
    if shape < 0.5:
        return f"école {fake.first_name()}-{fake.last_name()}"
    if shape < 0.7:
        return f"école secondaire {fake.last_name()}"
    article = rng.choice(sorted(_FR_NATURE))
    return f"école {article} {rng.choice(_FR_NATURE[article])}"


def _english_school(fake: Faker, rng: random.Random) -> str:
    kind = rng.choice(("Elementary School", "High School", "Academy", "Community School"))
    return f"{fake.last_name()} {kind}"


def _steward_id(fake: Faker) -> str:
    import unicodedata

    name = f"{fake.first_name()}.{fake.last_name()}".lower().replace(" ", "")
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def organizations(seed: int) -> list[Organization]:
    """The 72 organizations, each with 12–40 schools and 5 stewards."""
    rng = random.Random(seed)
    french, english = Faker("fr_CA"), Faker("en_CA")
    french.seed_instance(seed)
    english.seed_instance(seed + 1)
    specs = [
        (f"css-{i + 1:02d}", f"Centre de services scolaire {name}", "fr")
        for i, name in enumerate(_CSS_NAMES)
    ]
    specs += [
        (f"cs-{i + 1:02d}", f"{name} School Board", "en") for i, name in enumerate(_ENGLISH_BOARDS)
    ]
    specs += [(f"cs-{i + 10:02d}", name, lang) for i, (name, lang) in enumerate(_SPECIAL)]
    result = []
    for code, name, language in specs:
        make = _english_school if language == "en" else _french_school
        fake = english if language == "en" else french
        schools: list[str] = []
        wanted = rng.randint(12, 40)
        while len(schools) < wanted:
            school = make(fake, rng)
            if school not in schools:
                schools.append(school)
        stewards = tuple(_steward_id(french) for _ in range(5))
        result.append(Organization(code, name, language, tuple(schools), stewards))
    return result
