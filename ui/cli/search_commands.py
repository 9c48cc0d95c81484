"""``cartable search``, ``cartable trust`` and ``cartable reindex``: finding trusted datasets."""

from __future__ import annotations

import typer

from catalog.errors import CartableError
from ui.cli.context import console, print_json, print_table, state


def _filters(pairs: list[str]) -> dict[str, list[str]]:
    """``key=value`` options → facet → values (a key may repeat)."""
    chosen: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise CartableError(f"'{pair}' is not key=value")
        chosen.setdefault(key.strip(), []).append(value.strip())
    return chosen


def search(
    ctx: typer.Context,
    query: str = typer.Argument("", help="Words to find (accents and case do not matter)."),
    filter_: list[str] = typer.Option(
        None,
        "--filter",
        "-f",
        help="key=value: domain, organization, platform, sensitivity, certified, pii, owner.",
    ),
    limit: int = typer.Option(20, "--limit", min=1, max=200),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Ranked datasets, with the fields each matched on and its trust score."""
    from catalog.search import Search

    with state(ctx).opened() as catalog:
        results = Search(catalog).query(query, filters=_filters(filter_ or []), limit=limit)
    if as_json:
        print_json(results)
        return
    print_table(
        f"« {query} » : {results.total} jeu(x) de données",
        ("#", "dataset", "organization", "trust", "matched", "score"),
        (
            (
                str(rank),
                hit.name,
                hit.organization or "",
                f"{hit.trust} ({hit.trust_level})",
                ", ".join(hit.matched),
                f"{hit.score:.3f}",
            )
            for rank, hit in enumerate(results.hits, 1)
        ),
    )


def trust(
    ctx: typer.Context,
    urn: str = typer.Argument(..., help="Dataset URN."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A dataset's trust score and what it is made of."""
    from catalog.search import dataset_trust

    with state(ctx).opened() as catalog:
        found = dataset_trust(catalog, urn)
    if as_json:
        print_json(found)
        return
    print_table(
        f"Confiance : {found.score}/100 ({found.level})",
        ("criterion", "met", "points", "detail"),
        (
            (
                c.key,
                "—" if c.met is None else ("oui" if c.met else "non"),
                f"{c.points}/{c.weight}",
                c.detail,
            )
            for c in found.criteria
        ),
    )


def reindex(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Rebuild the search index from the catalogue's aspects."""
    from catalog.search_index import rebuild

    with state(ctx).opened() as catalog, catalog.database.write() as conn:
        count = rebuild(conn)
    if as_json:
        print_json({"indexed": count})
    else:
        console.print(f"{count} jeu(x) de données indexé(s)")


def register(app: typer.Typer) -> None:
    """Add the commands to the ``cartable`` app."""
    app.command()(search)
    app.command()(trust)
    app.command()(reindex)
