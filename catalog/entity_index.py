"""The entity index: the fields Cartable lists and filters on, derived from latest aspects.

Pure functions: given an URN and its latest aspects (parsed JSON), return the index row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INDEXED_ASPECTS = frozenset(
    {
        "datasetProperties",
        "containerProperties",
        "status",
        "container",
        "domains",
        "dataPlatformInstance",
        "subTypes",
        "domainProperties",
        "glossaryTermInfo",
        "corpUserInfo",
    }
)


def entity_type(urn: str) -> str:
    """The entity type of an URN: ``urn:li:dataset:(...)`` → ``dataset``."""
    parts = urn.split(":", 3)
    return parts[2] if len(parts) > 2 else "unknown"


def dataset_key(urn: str) -> tuple[str, str, str]:
    """Platform, qualified name and environment of a dataset URN."""
    inner = urn[len("urn:li:dataset:(") : -1]
    platform_urn, rest = inner.split(",", 1)
    name, env = rest.rsplit(",", 1)
    return platform_urn.rsplit(":", 1)[-1], name, env


def short_name(qualified_name: str) -> str:
    """A dataset's own name: a file's name after its folder, a table's after its schema.

    >>> short_name("css-x.partage/eleves.csv"), short_name("css-x.sis.eleves")
    ('eleves.csv', 'eleves')
    """
    if "/" in qualified_name:
        return qualified_name.rsplit("/", 1)[-1]
    return qualified_name.rsplit(".", 1)[-1]


def instance_of(platform_instance_urn: str | None) -> str | None:
    """``urn:li:dataPlatformInstance:(urn:li:dataPlatform:sqlite,css-x)`` → ``css-x``."""
    if not platform_instance_urn or not platform_instance_urn.endswith(")"):
        return None
    return platform_instance_urn[:-1].rsplit(",", 1)[-1]


def index_row(urn: str, latest: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The entity_index columns for ``urn`` given its latest aspects (parsed JSON)."""

    def parsed(aspect: str) -> Mapping[str, Any]:
        return latest.get(aspect) or {}

    kind = entity_type(urn)
    row: dict[str, Any] = {
        "urn": urn,
        "entity_type": kind,
        "platform": None,
        "qualified_name": None,
        "name": None,
        "subtype": None,
        "organization": None,
        "container_urn": parsed("container").get("container"),
        "domain_urn": next(iter(parsed("domains").get("domains", [])), None),
        "removed": bool(parsed("status").get("removed", False)),
    }
    if kind == "dataset":
        platform, qualified, _env = dataset_key(urn)
        row["platform"] = platform
        row["qualified_name"] = qualified
        row["name"] = short_name(qualified)
    for aspect in ("datasetProperties", "containerProperties", "domainProperties"):
        name = parsed(aspect).get("name")
        if name:
            row["name"] = name
    if kind == "glossaryTerm":
        row["name"] = parsed("glossaryTermInfo").get("name")
    platform_instance = parsed("dataPlatformInstance")
    if platform_instance:
        row["platform"] = (
            platform_instance.get("platform", "").rsplit(":", 1)[-1] or row["platform"]
        )
        row["organization"] = instance_of(platform_instance.get("instance"))
    subtypes = parsed("subTypes").get("typeNames", [])
    row["subtype"] = subtypes[0] if subtypes else None
    properties = parsed("containerProperties").get("customProperties", {})
    if row["subtype"] == "Organization":
        row["organization"] = properties.get("code")
    return row
