"""Running DataHub recipes into the catalogue: load, complete with Cartable's defaults, run.

``cartable ingest`` and ``datahub ingest`` run the same DataHub pipeline; Cartable only
fills in what a recipe leaves out: the ``cartable`` sink, a pipeline name, and DataHub's
stateful ingestion (stale datasets soft-deleted) with checkpoints kept in the catalogue.
"""

from __future__ import annotations

import copy
import logging
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from catalog.errors import CartableError
from catalog.models import IngestionRun
from catalog.service import Catalog

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

logger = logging.getLogger(__name__)


class IngestOutcome(BaseModel):
    """What one recipe run did, as recorded in the run log."""

    pipeline_name: str
    run: IngestionRun | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the run finished without failures."""
        return self.error is None and self.run is not None and self.run.status == "SUCCESS"


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith("For further information")]
    return " ".join(useful)[:500]


def _failure_line(failure: dict[str, Any]) -> str:
    """DataHub's structured failure as one readable line: its title and first cause."""
    context = failure.get("context") or ""
    if isinstance(context, list):
        context = context[0] if context else ""
    cause = str(context).split("'>: ", 1)[-1].strip("[]'\" ")
    cause = cause.replace("\\n", "\n").replace("\\t", " ").splitlines()[0] if cause else ""
    title = failure.get("title") or failure.get("message") or "failure"
    return _one_line(f"{title}: {cause}" if cause else str(title))


def load_recipe(path: Path) -> dict[str, Any]:
    """Read a recipe file (YAML or TOML, ``${VAR}`` expanded) as DataHub does."""
    from datahub.configuration.common import ConfigurationError
    from datahub.configuration.config_loader import load_config_file

    if not path.is_file():
        raise CartableError(f"recipe not found: {path}")
    try:
        recipe = load_config_file(path, allow_stdin=False, resolve_env_vars=True)
    except (ConfigurationError, ValueError, yaml.YAMLError) as exc:
        raise CartableError(f"malformed recipe {path}: {_one_line(str(exc))}") from None
    if not isinstance(recipe, dict) or not isinstance(recipe.get("source"), dict):
        raise CartableError(f"malformed recipe {path}: it needs a 'source' section")
    return recipe


def source_config_fields(source_type: str) -> set[str]:
    """The config fields a DataHub source accepts; CartableError for an unknown type."""
    from datahub.ingestion.source.source_registry import source_registry

    try:
        source_class = source_registry.get(source_type)
    except Exception as exc:  # DataHub raises KeyError or ConfigurationError
        raise CartableError(f"unknown source type '{source_type}': {_one_line(str(exc))}") from None
    config_class = source_class.get_config_class()  # type: ignore[attr-defined]
    return set(config_class.model_fields)


def complete_recipe(
    recipe: dict[str, Any], *, db_url: str | None, pipeline_name: str
) -> dict[str, Any]:
    """The recipe with Cartable's defaults for whatever it leaves out: the cartable sink
    with stateful ingestion (checkpoints in the catalogue); with another sink (datahub-rest
    to a DataHub server), the run still recorded in the catalogue's run log."""
    completed = copy.deepcopy(recipe)
    source = completed["source"]
    if not isinstance(source.get("type"), str):
        raise CartableError("malformed recipe: source.type is missing")
    fields = source_config_fields(source["type"])
    completed.setdefault("pipeline_name", pipeline_name)
    sink = completed.setdefault("sink", {"type": "cartable", "config": {"db_url": db_url}})
    config = source.setdefault("config", {}) or {}
    source["config"] = config
    _record_the_run(completed, sink, db_url)
    if sink.get("type") == "cartable" and "stateful_ingestion" in fields:
        config.setdefault(
            "stateful_ingestion",
            {
                "enabled": True,
                "remove_stale_metadata": True,
                "state_provider": {"type": "cartable", "config": {"db_url": db_url}},
            },
        )
    return completed


def _record_the_run(recipe: dict[str, Any], sink: dict[str, Any], db_url: str | None) -> None:
    """The run recorded in the catalogue ``run_recipe`` reads it back from: a ``cartable``
    reporter the recipe names writes there unless it says where; with another sink than
    Cartable's (which adds the reporter itself, unless told not to record the run), one is
    added. A ``reporting`` that is not a list is left for DataHub to refuse."""
    reporting = recipe.get("reporting") or []
    if not isinstance(reporting, list):
        return
    ours = [r for r in reporting if isinstance(r, dict) and r.get("type") == "cartable"]
    for entry in ours:
        entry["config"] = {"db_url": db_url} | dict(entry.get("config") or {})
    if not ours and sink.get("type") != "cartable":
        reporting.append({"type": "cartable", "config": {"db_url": db_url}})
    recipe["reporting"] = reporting


def run_recipe(recipe: dict[str, Any], *, db_url: str | None = None) -> IngestOutcome:
    """Run a completed recipe through DataHub's pipeline and read back its run record."""
    from catalog.pipeline import OfflinePipeline

    pipeline_name = str(recipe.get("pipeline_name") or "recipe")
    try:
        pipeline = OfflinePipeline.create(
            recipe, no_progress=True, report_to=None, raw_config=copy.deepcopy(recipe)
        )
    except Exception as exc:  # DataHub wraps every init problem in PipelineInitError
        cause = exc.__cause__ or exc
        return IngestOutcome(
            pipeline_name=pipeline_name, run=None, error=f"{pipeline_name}: {_one_line(str(cause))}"
        )
    pipeline.run()
    run_id = pipeline.config.run_id
    catalog = Catalog.open(db_url)
    try:
        run = catalog.runs.get(run_id)
    finally:
        catalog.close()
    error = None
    if pipeline.has_failures():
        failures = (run.failures if run else []) or [{"message": "the pipeline failed"}]
        error = f"{pipeline_name}: {_failure_line(failures[0])}"
    return IngestOutcome(pipeline_name=pipeline_name, run=run, error=error)


def ingest_recipe_file(path: Path, *, db_url: str | None = None) -> IngestOutcome:
    """``cartable ingest RECIPE``: load, complete and run one recipe file."""
    recipe = load_recipe(path)
    completed = complete_recipe(recipe, db_url=db_url, pipeline_name=path.stem)
    return run_recipe(completed, db_url=db_url)
