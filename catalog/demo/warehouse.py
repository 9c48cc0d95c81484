"""The organization's warehouse: the ETL scripts run on SQLite with the sources attached."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

SOURCES = ("sis", "hdaa", "rh", "immeubles")


def etl_scripts() -> list[tuple[str, str]]:
    """(file name, SQL) of the shipped ETL scripts, in run order."""
    folder = resources.files("catalog.demo") / "etl"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )


def build_warehouse(org_folder: Path) -> None:
    """Copy the ETL scripts beside the databases and run them into entrepot.db."""
    scripts_folder = org_folder / "etl"
    scripts_folder.mkdir(exist_ok=True)
    warehouse = org_folder / "entrepot.db"
    warehouse.unlink(missing_ok=True)
    with sqlite3.connect(warehouse) as conn:
        for alias in SOURCES:
            conn.execute("ATTACH DATABASE ? AS " + alias, (str(org_folder / f"{alias}.db"),))
        for name, sql in etl_scripts():
            (scripts_folder / name).write_text(sql, encoding="utf-8")
            conn.executescript(sql)
