"""DataHub's ingestion pipeline, run offline."""

from __future__ import annotations

import os

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

from datahub.ingestion.run.pipeline import Pipeline  # noqa: E402


class OfflinePipeline(Pipeline):
    """DataHub's Pipeline without its start-of-run version check.

    ``Pipeline.run`` asks PyPI and GitHub for the latest DataHub versions on every run;
    Cartable runs with no network, so that check is skipped. Everything else is DataHub's.
    """

    def _warn_old_cli_version(self) -> None:
        return None
