"""The network: organizations, their recipes and the data domains, from one YAML file.

Every recipe of an organization runs with the organization's code as DataHub platform
instance (so each dataset is attached to its organization) and with its domain set by
the ``cartable_domain`` transformer. Organizations and domains themselves
are written as DataHub entities: a container of subtype ``Organization`` and a domain.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from catalog.aspect_values import AspectWrite
from catalog.errors import CartableError
from catalog.ingest import IngestOutcome, complete_recipe, run_recipe
from catalog.json_text import canonical_json

NETWORK_ACTOR = "urn:li:corpuser:cartable"
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Bilingual(BaseModel):
    """A text in French and English."""

    fr: str
    en: str


class Domain(BaseModel):
    """A data domain of the network (Réussite éducative, Élèves HDAA, …)."""

    id: str
    name: Bilingual
    description: Bilingual | None = None

    @property
    def urn(self) -> str:
        """The DataHub domain URN."""
        return f"urn:li:domain:{self.id}"


class RecipeSpec(BaseModel):
    """One DataHub source of an organization, with the domain its datasets belong to."""

    name: str
    domain: str
    domain_rules: dict[str, str] = Field(
        default_factory=dict, description="Regex on the dataset URN → domain id; first match wins."
    )
    source: dict[str, Any]
    transformers: list[dict[str, Any]] = Field(default_factory=list)

    def domain_rule_urns(self) -> dict[str, str]:
        """The rules of the ``cartable_domain`` transformer, the default domain last."""
        rules = {pattern: f"urn:li:domain:{d}" for pattern, d in self.domain_rules.items()}
        rules.setdefault(".*", f"urn:li:domain:{self.domain}")
        return rules

    @field_validator("source")
    @classmethod
    def _has_type(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(value.get("type"), str):
            raise ValueError("a source needs a 'type'")
        return value


class LineageSpec(BaseModel):
    """SQL whose lineage the organization records: ETL scripts, procedures, query logs."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    dialect: Literal["postgres", "tsql", "mysql", "sqlite"]
    default_db: str | None = None
    default_schema: str | None = None


class Organization(BaseModel):
    """The ministry, a school service centre or board, or a private school."""

    code: str
    name: str
    kind: Literal["ministere", "css", "cs", "statut-particulier", "prive"]
    language: Literal["fr", "en"]
    region: str
    recipes: list[RecipeSpec] = Field(default_factory=list)
    lineage: list[LineageSpec] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _CODE.match(value):
            raise ValueError("codes are lowercase letters, digits and dashes")
        return value


class Network(BaseModel):
    """The whole network file."""

    name: str
    domains: list[Domain]
    organizations: list[Organization]

    @model_validator(mode="after")
    def _references(self) -> Network:
        known = {d.id for d in self.domains}
        codes = [o.code for o in self.organizations]
        if len(codes) != len(set(codes)):
            raise ValueError("organization codes must be unique")
        for org in self.organizations:
            for spec in org.recipes:
                for domain in [spec.domain, *spec.domain_rules.values()]:
                    if domain not in known:
                        raise ValueError(f"{org.code}/{spec.name}: unknown domain '{domain}'")
        return self


def load_network(path: Path) -> Network:
    """Read a network file; ``${NETWORK_DIR}`` in it stands for the file's folder."""
    if not path.is_file():
        raise CartableError(f"network file not found: {path}")
    text = path.read_text(encoding="utf-8").replace("${NETWORK_DIR}", str(path.resolve().parent))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CartableError(f"malformed network file {path}: {exc}".replace("\n", " ")) from None
    try:
        return Network.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CartableError(f"malformed network file {path}: {where}: {first['msg']}") from None


def organization_urn(code: str) -> str:
    """The container URN of an organization."""
    from datahub.emitter.mce_builder import datahub_guid, make_container_urn

    return make_container_urn(datahub_guid({"organization": code}))


def network_writes(network: Network) -> list[AspectWrite]:
    """Domains, organizations and the glossary as DataHub aspects."""
    from catalog.glossary import glossary_writes

    writes = glossary_writes()
    for domain in network.domains:
        custom = {"name_en": domain.name.en}
        properties: dict[str, object] = {"name": domain.name.fr, "customProperties": custom}
        if domain.description:
            properties["description"] = domain.description.fr
            custom["description_en"] = domain.description.en
        writes.append(AspectWrite(domain.urn, "domainProperties", canonical_json(properties), None))
    for org in network.organizations:
        urn = organization_urn(org.code)
        properties = {
            "name": org.name,
            "customProperties": {
                "code": org.code,
                "kind": org.kind,
                "language": org.language,
                "region": org.region,
            },
        }
        writes += [
            AspectWrite(urn, "containerProperties", canonical_json(properties), None),
            AspectWrite(urn, "subTypes", canonical_json({"typeNames": ["Organization"]}), None),
            AspectWrite(urn, "status", canonical_json({"removed": False}), None),
        ]
    return writes


def network_recipes(network: Network, db_url: str | None) -> list[tuple[str, dict[str, Any]]]:
    """(organization code, completed recipe) for every recipe of the network."""
    recipes = []
    for org in network.organizations:
        for spec in org.recipes:
            source = {"type": spec.source["type"], "config": dict(spec.source.get("config") or {})}
            source["config"].setdefault("platform_instance", org.code)
            recipe = {
                "source": source,
                "transformers": [
                    {"type": "cartable_platform_instance", "config": {"instance": org.code}},
                    {"type": "cartable_domain", "config": {"rules": spec.domain_rule_urns()}},
                    *spec.transformers,
                ],
            }
            recipes.append(
                (
                    org.code,
                    complete_recipe(recipe, db_url=db_url, pipeline_name=f"{org.code}.{spec.name}"),
                )
            )
    return recipes


def _run_one(recipe: dict[str, Any], db_url: str | None) -> IngestOutcome:
    import logging

    logging.getLogger("datahub").setLevel(logging.ERROR)
    return run_recipe(recipe, db_url=db_url)


def ingest_network(
    network: Network,
    *,
    db_url: str | None = None,
    workers: int | None = None,
    on_done: Callable[[IngestOutcome], None] | None = None,
) -> list[IngestOutcome]:
    """Write the network's entities, then run every recipe (in parallel processes)."""
    from catalog.service import Catalog

    catalog = Catalog.open(db_url)
    try:
        catalog.write(network_writes(network), actor=NETWORK_ACTOR)
    finally:
        catalog.close()
    recipes = network_recipes(network, db_url)
    workers = max(1, min(workers or os.cpu_count() or 1, len(recipes) or 1))
    if workers > 1:  # the recipes already fill the cores: no writer process beside each
        for _org, recipe in recipes:
            if recipe["sink"].get("type") == "cartable":
                recipe["sink"].setdefault("config", {})["writer"] = "inline"
    outcomes: list[IngestOutcome] = []
    if workers == 1:
        for _org, recipe in recipes:
            outcomes.append(_run_one(recipe, db_url))
            if on_done:
                on_done(outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_run_one, recipe, db_url) for _org, recipe in recipes]
        for future in as_completed(futures):
            outcomes.append(future.result())
            if on_done:
                on_done(outcomes[-1])
    order = {recipe["pipeline_name"]: i for i, (_org, recipe) in enumerate(recipes)}
    return sorted(outcomes, key=lambda o: order.get(o.pipeline_name, 0))


def recipe_count(network: Network) -> int:
    """How many recipes the network runs."""
    return sum(len(org.recipes) for org in network.organizations)
