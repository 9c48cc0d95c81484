"""Where the catalogue lives: one URL, from the caller, the environment or the default."""

from __future__ import annotations

import os
from pathlib import Path

DB_URL_ENV = "CARTABLE_DB_URL"
HOME_ENV = "CARTABLE_HOME"


def cartable_home() -> Path:
    """Folder for the default SQLite catalogue and demo files (``$CARTABLE_HOME``)."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured) if configured else Path.home() / ".local" / "share" / "cartable"


def resolve_db_url(explicit: str | None = None) -> str:
    """Return the catalogue URL: the explicit one, ``$CARTABLE_DB_URL``, or SQLite in the home."""
    if explicit:
        return explicit
    from_env = os.environ.get(DB_URL_ENV)
    if from_env:
        return from_env
    return f"sqlite:///{cartable_home() / 'catalog.db'}"
