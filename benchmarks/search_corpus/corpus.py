"""The generated datasets of the search benchmark (seeded), and the DataHub aspects each
dataset is written as — the same stream for every store."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from search_corpus import vocabulary as v
from search_corpus.organizations import Organization, organizations


@dataclass
class Dataset:
    """One dataset as the benchmark knows it (everything its aspects carry)."""

    urn: str
    org: str
    platform: str
    system: str
    name: str
    qualified: str
    language: str  # of its description and English names
    description: str | None
    columns: list[tuple[str, str | None]]  # name, description
    year: int
    school: str | None
    legacy: bool
    tags: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    domain: str | None = None
    note: str | None = None  # editableDatasetProperties' description
    removed: bool = False


def _name(topic: v.Topic, names: str, rng: random.Random, year: int) -> str:
    base = rng.choice(getattr(topic, names))
    parts = [base]
    if names != "en" and topic.modifiers and rng.random() < 0.5:
        parts.append(rng.choice(topic.modifiers))
    if rng.random() < 0.45:
        parts.append(str(year))
    elif rng.random() < 0.35:
        parts.append(rng.choice(v.SUFFIXES))
    name = "_".join(parts)
    return name.upper() if names == "legacy" else name


def _columns(
    topic: v.Topic, french: bool, legacy: bool, english_desc: bool, rng: random.Random
) -> list[tuple[str, str | None]]:
    wanted = rng.randint(5, 30)
    chosen = list(topic.columns)
    if topic.personal:
        chosen += rng.sample(v.PERSON_COLUMNS, rng.randint(3, len(v.PERSON_COLUMNS)))
    if rng.random() < 0.3:
        chosen += rng.sample(v.RARE_COLUMNS, rng.randint(1, 2))
    commons = list(v.COMMON_COLUMNS)
    rng.shuffle(commons)
    chosen += commons
    chosen = chosen[: max(wanted, len(topic.columns))]
    result: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for col in chosen:
        name = col.fr if french else col.en
        name = name.upper() if legacy else name
        if name in seen:
            continue
        seen.add(name)
        described = rng.random() < 0.4
        result.append((name, (col.desc_en if english_desc else col.desc_fr) if described else None))
    k = 1
    while len(result) < wanted:  # legacy exports: fields that say nothing
        result.append((f"CHAMP_{k:02d}" if legacy else f"champ_{k:02d}", None))
        k += 1
    return result


def _one(org: Organization, rng: random.Random, taken: set[tuple[str, str, str]]) -> Dataset:
    topic = rng.choice(v.TOPICS)
    english_board = org.language == "en"
    if english_board:
        names = "en" if rng.random() < 0.5 else "fr"
    else:
        names = "legacy" if rng.random() < 0.12 and topic.legacy else "fr"
    english_desc = english_board or rng.random() < 0.05
    platform = rng.choices(list(v.PLATFORMS), weights=list(v.PLATFORMS.values()))[0]
    system = rng.choice(topic.systems)
    year = rng.choice(v.YEARS)
    name = _name(topic, names, rng, int(year))
    extension = rng.choice(v.FILE_EXTENSIONS) if platform == "file" else ""
    folder = rng.choice(v.FILE_FOLDERS)
    table, k = name, 1
    while (platform, org.code, table) in taken:
        k += 1
        table = f"{name}_{k}"
    taken.add((platform, org.code, table))
    if platform == "file":
        display = f"{table}.{extension}"
        qualified = f"{org.code}/{folder}/{display}"
    else:
        display, qualified = table, f"{org.code}.{system}.{table}"
    school = rng.choice(org.schools)
    description = None
    if rng.random() < 0.85:
        templates = topic.desc_en if english_desc else topic.desc_fr
        levels = v.LEVELS_EN if english_desc else v.LEVELS_FR
        description = rng.choice(templates).format(
            school=school, year=f"{year}-{int(year) + 1}", org=org.name,
            level=rng.choice(levels), system=system.upper(),
        )  # fmt: skip
    dataset = Dataset(
        urn=f"urn:li:dataset:(urn:li:dataPlatform:{platform},{qualified},PROD)",
        org=org.code, platform=platform, system=system, name=display, qualified=qualified,
        language="en" if english_desc else "fr", description=description,
        columns=_columns(topic, names != "en", names == "legacy", english_desc, rng),
        year=int(year), school=school if description and school in description else None,
        legacy=names == "legacy",
    )  # fmt: skip
    _decorate(dataset, topic, org, rng)
    return dataset


def _decorate(d: Dataset, topic: v.Topic, org: Organization, rng: random.Random) -> None:
    if rng.random() < 0.3:
        tags = ["renseignements_personnels"] if topic.personal else []
        tags += ["legacy"] if d.legacy else []
        tags += rng.sample(v.TAGS, rng.randint(1, 2))
        d.tags = sorted(set(tags))
    if rng.random() < 0.2:
        pool = [f"cartable.pi.{t}" for t in v.PI_TERMS] if topic.personal else []
        pool += list(v.BUSINESS_TERMS)
        d.terms = sorted(set(rng.sample(pool, rng.randint(1, 2))))
    if rng.random() < 0.6:
        d.owners = rng.sample(org.stewards, rng.randint(1, 2))
    if rng.random() < 0.9:
        d.domain = topic.domain
    if rng.random() < 0.08:
        d.note = rng.choice(v.STEWARD_NOTES).format(year=d.year + 1)
    d.removed = rng.random() < 0.01


def generate(n: int, seed: int = 2026) -> list[Dataset]:
    """``n`` datasets spread over the 72 organizations (larger ones hold more)."""
    rng = random.Random(seed)
    orgs = organizations(seed)
    weights = [rng.lognormvariate(0, 0.6) for _ in orgs]
    taken: set[tuple[str, str, str]] = set()
    return [_one(org, rng, taken) for org in rng.choices(orgs, weights=weights, k=n)]


def proposals(d: Dataset) -> Iterator[object]:
    """The dataset's aspects as DataHub MetadataChangeProposalWrappers."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper as MCPW
    from datahub.metadata import schema_classes as m

    platform = f"urn:li:dataPlatform:{d.platform}"
    yield MCPW(entityUrn=d.urn, aspect=m.StatusClass(removed=d.removed))
    yield MCPW(
        entityUrn=d.urn,
        aspect=m.DatasetPropertiesClass(
            name=d.name,
            qualifiedName=d.qualified,
            description=d.description,
            customProperties={"organisme": d.org, "systeme": d.system},
        ),
    )
    yield MCPW(
        entityUrn=d.urn,
        aspect=m.SchemaMetadataClass(
            schemaName=d.name, platform=platform, version=0, hash="",
            platformSchema=m.OtherSchemaClass(rawSchema=""),
            fields=[_field(name, description) for name, description in d.columns],
        ),
    )  # fmt: skip
    subtype = "File" if d.platform == "file" else "Table"
    yield MCPW(entityUrn=d.urn, aspect=m.SubTypesClass(typeNames=[subtype]))
    yield MCPW(
        entityUrn=d.urn,
        aspect=m.DataPlatformInstanceClass(
            platform=platform, instance=f"urn:li:dataPlatformInstance:({platform},{d.org})"
        ),
    )
    if d.domain:
        yield MCPW(entityUrn=d.urn, aspect=m.DomainsClass(domains=[f"urn:li:domain:{d.domain}"]))
    if d.owners:
        owners = [
            m.OwnerClass(owner=f"urn:li:corpuser:{o}", type=m.OwnershipTypeClass.DATA_STEWARD)
            for o in d.owners
        ]
        yield MCPW(entityUrn=d.urn, aspect=m.OwnershipClass(owners=owners))
    if d.tags:
        tags = [m.TagAssociationClass(tag=f"urn:li:tag:{t}") for t in d.tags]
        yield MCPW(entityUrn=d.urn, aspect=m.GlobalTagsClass(tags=tags))
    if d.terms:
        stamp = m.AuditStampClass(time=0, actor="urn:li:corpuser:bench")
        terms = [m.GlossaryTermAssociationClass(urn=f"urn:li:glossaryTerm:{t}") for t in d.terms]
        yield MCPW(entityUrn=d.urn, aspect=m.GlossaryTermsClass(terms=terms, auditStamp=stamp))
    if d.note:
        yield MCPW(entityUrn=d.urn, aspect=m.EditableDatasetPropertiesClass(description=d.note))


def _field(name: str, description: str | None) -> Any:
    from datahub.metadata import schema_classes as m

    lowered = name.lower()
    kind: Any
    if "date" in lowered:
        kind, native = m.DateTypeClass(), "DATE"
    elif lowered.startswith(("montant", "taux", "note", "nb_", "indice", "valeur", "cout")):
        kind, native = m.NumberTypeClass(), "NUMERIC"
    else:
        kind, native = m.StringTypeClass(), "TEXT"
    return m.SchemaFieldClass(
        fieldPath=name,
        type=m.SchemaFieldDataTypeClass(type=kind),
        nativeDataType=native,
        description=description,
    )
