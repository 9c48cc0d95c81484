"""The ``cartable`` DataHub reporter: records every pipeline run in the catalogue's run log."""

from __future__ import annotations

from typing import Any

from datahub.configuration.common import ConfigModel
from datahub.ingestion.api.common import PipelineContext
from datahub.ingestion.api.pipeline_run_listener import PipelineRunListener
from datahub.ingestion.api.sink import Sink

from catalog.runs import CANCELLED, FAILURE, SUCCESS
from catalog.service import Catalog

STATUSES = {"SUCCESS": SUCCESS, "FAILURE": FAILURE, "CANCELLED": CANCELLED}
COUNTED = ("aspects_written", "aspects_unchanged", "entities_seen")


class CartableRunReporterConfig(ConfigModel):
    """Which catalogue records the run."""

    db_url: str | None = None


def _entries(items: Any) -> list[dict[str, Any]]:
    """DataHub's structured warnings/failures (title, message, context) as plain dicts."""
    entries = []
    for item in items or []:
        if isinstance(item, dict):
            entries.append(
                {k: item.get(k) for k in ("title", "message", "context") if k in item}
                or {"message": str(item)}
            )
        else:
            entries.append({"message": str(item)})
    return entries


class CartableRunReporter(PipelineRunListener):
    """Writes the run's recipe, source type, counts, warnings and failures to the run log."""

    def __init__(self, config: CartableRunReporterConfig) -> None:
        self.config = config

    @classmethod
    def create(
        cls, config_dict: dict[str, Any], ctx: PipelineContext, sink: Sink
    ) -> PipelineRunListener:
        """Build the reporter from the recipe's ``reporting`` entry."""
        return cls(CartableRunReporterConfig.model_validate(config_dict or {}))

    def _catalog(self) -> Catalog:
        return Catalog.open(self.config.db_url)

    def on_start(self, ctx: PipelineContext) -> None:
        """Record the run as RUNNING with its recipe."""
        config = ctx.pipeline_config
        recipe = config.get_raw_dict() if config is not None else {}
        source_type = config.source.type if config is not None else "unknown"
        catalog = self._catalog()
        try:
            catalog.runs.start(ctx.run_id, ctx.pipeline_name, source_type, recipe)
        finally:
            catalog.close()

    def on_completion(self, status: str, report: dict[str, Any], ctx: PipelineContext) -> None:
        """Record the final status, counts, warnings and failures."""
        source = report.get("source", {}).get("report", {})
        sink = report.get("sink", {}).get("report", {})
        counts = {"events_produced": int(source.get("events_produced", 0))}
        counts |= {name: int(sink.get(name, 0)) for name in COUNTED}
        warnings = _entries(source.get("warnings")) + _entries(sink.get("warnings"))
        failures = _entries(source.get("failures")) + _entries(sink.get("failures"))
        catalog = self._catalog()
        try:
            catalog.runs.finish(
                ctx.run_id, STATUSES.get(status, FAILURE), counts, warnings, failures
            )
        finally:
            catalog.close()
