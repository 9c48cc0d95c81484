"""State shared by the commands: which catalogue, and how to print."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from catalog.service import Catalog

console = Console()  # reports on stdout
errors = Console(stderr=True)  # progress bars on stderr


@dataclass
class State:
    """Options given before the command name."""

    db_url: str | None = None

    def catalog(self) -> Catalog:
        """Open the catalogue these options name."""
        return Catalog.open(self.db_url)

    @contextmanager
    def opened(self) -> Iterator[Catalog]:
        """The catalogue these options name, closed when the block ends."""
        catalog = self.catalog()
        try:
            yield catalog
        finally:
            catalog.close()


def state(ctx: typer.Context) -> State:
    """The State of the current invocation."""
    return ctx.obj if isinstance(ctx.obj, State) else State()


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A titled table on stdout (long cells fold onto more lines)."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def print_json(value: Any) -> None:
    """Print models, lists of models or plain values as indented JSON."""

    def plain(item: Any) -> Any:
        if isinstance(item, BaseModel):
            return item.model_dump(mode="json")
        if isinstance(item, list):
            return [plain(i) for i in item]
        if isinstance(item, dict):
            return {k: plain(v) for k, v in item.items()}
        return item

    typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=2, default=str))
