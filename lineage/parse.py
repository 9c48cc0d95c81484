"""SQL scripts to statement-level and column-level lineage, through DataHub's SQL parser.

Each statement is parsed on its own by DataHub's SQLGlot-based ``sqlglot_lineage``; a
statement that fails is reported with its reason and never stops the others. With a
schema resolver (the catalogue's schemas), ``SELECT *`` and unqualified columns resolve.
"""

from __future__ import annotations

import os

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

import sqlglot  # noqa: E402
from datahub.sql_parsing.schema_resolver import SchemaResolver  # noqa: E402
from datahub.sql_parsing.split_statements import split_statements  # noqa: E402
from datahub.sql_parsing.sqlglot_lineage import SqlParsingResult, sqlglot_lineage  # noqa: E402
from sqlglot import exp  # noqa: E402

from lineage.edge_kind import edge_kind  # noqa: E402
from lineage.models import ColumnEdge, StatementLineage  # noqa: E402

DIALECT_PLATFORMS = {"postgres": "postgres", "tsql": "mssql", "mysql": "mysql", "sqlite": "sqlite"}
# Platforms whose tables are named database.table (SQLite: an attached database's alias).
TWO_TIER = frozenset({"sqlite", "mysql", "mariadb"})
NO_LINEAGE_ERRORS = frozenset({"UnsupportedStatementTypeError"})


def parse_script(
    sql: str,
    *,
    dialect: str,
    platform: str | None = None,
    platform_instance: str | None = None,
    default_db: str | None = None,
    default_schema: str | None = None,
    schemas: SchemaResolver | None = None,
) -> list[StatementLineage]:
    """Lineage of every statement of a script, in order."""
    platform = platform or DIALECT_PLATFORMS.get(dialect, dialect)
    if platform in TWO_TIER:  # DataHub reads "sis.eleves" as schema.table with a default db
        default_db, default_schema = None, default_schema or default_db
    resolver = schemas or SchemaResolver(platform=platform, platform_instance=platform_instance)
    results = []
    for index, statement in enumerate(split_statements(sql)):
        text = statement.strip().rstrip(";").strip()
        if not text:
            continue
        results.append(_parse_statement(index, text, dialect, resolver, default_db, default_schema))
    return results


def _sqlglot_tree(text: str, dialect: str) -> exp.Expr | None:
    """The statement parsed once for the gaps filled here (None when it does not parse)."""
    try:
        return sqlglot.parse_one(text, read=dialect)
    except sqlglot.errors.ParseError:
        return None


def _learn_created_columns(
    created: exp.Expr | None, dialect: str, resolver: SchemaResolver, outputs: list[str]
) -> None:
    """Give later statements the columns a ``CREATE TABLE (…)`` of the script declares."""
    if not isinstance(created, exp.Create) or len(outputs) != 1:
        return
    columns = {
        c.name: (c.args["kind"].sql(dialect) if c.args.get("kind") else "TEXT")
        for c in created.find_all(exp.ColumnDef)
    }
    if columns:
        resolver.add_raw_schema_info(outputs[0], columns)


def _parse_statement(
    index: int,
    text: str,
    dialect: str,
    resolver: SchemaResolver,
    default_db: str | None,
    default_schema: str | None,
) -> StatementLineage:
    try:
        result = sqlglot_lineage(
            text,
            resolver,
            default_db=default_db,
            default_schema=default_schema,
            override_dialect=dialect,
        )
    except Exception as exc:  # DataHub reports most failures in debug_info; guard the rest
        return StatementLineage(
            index=index, statement=text, query_type="UNKNOWN", error=f"{type(exc).__name__}: {exc}"
        )
    error = result.debug_info.error
    if error is not None and type(error).__name__ in NO_LINEAGE_ERRORS:
        return StatementLineage(index=index, statement=text, query_type="OTHER", confidence=1.0)
    tree = _sqlglot_tree(text, dialect)
    _learn_created_columns(tree, dialect, resolver, list(result.out_tables))
    positional = _insert_positions(tree, dialect, resolver, result.out_tables)
    return StatementLineage(
        index=index,
        statement=text,
        query_type=str(
            result.query_type.value if hasattr(result.query_type, "value") else result.query_type
        ),
        inputs=list(result.in_tables),
        outputs=list(result.out_tables),
        columns=_column_edges(result, dialect, positional),
        confidence=result.debug_info.confidence,
        error=f"{type(error).__name__}: {error}".splitlines()[0] if error else None,
    )


def _insert_positions(
    statement: exp.Expr | None, dialect: str, resolver: SchemaResolver, out_tables: list[str]
) -> dict[str, str]:
    """For ``INSERT INTO t SELECT …`` without a column list: select item → t's column by
    position, from the columns the resolver knows (DataHub's parser names them by their
    SQL text instead)."""
    if len(out_tables) != 1:
        return {}
    if not isinstance(statement, exp.Insert) or isinstance(statement.this, exp.Schema):
        return {}
    select = statement.expression
    if not isinstance(select, exp.Select):
        return {}
    _urn, schema = resolver.resolve_urn(out_tables[0])
    if not schema or len(schema) != len(select.expressions):
        return {}
    names = {}
    for item, column in zip(select.expressions, schema, strict=True):
        expression = item.unalias()
        for key in (
            item.alias_or_name,
            expression.sql(dialect),
            expression.sql(dialect, identify=True),
        ):
            if key:
                names[key] = column
    return names


def _column_edges(
    result: SqlParsingResult, dialect: str, positional: dict[str, str]
) -> list[ColumnEdge]:
    edges = []
    for lineage in result.column_lineage or []:
        downstream = lineage.downstream
        downstream_column = positional.get(downstream.column, downstream.column)
        table = downstream.table or (result.out_tables[0] if result.out_tables else "")
        logic = lineage.logic
        kind = edge_kind(
            bool(logic and logic.is_direct_copy), logic.column_logic if logic else None, dialect
        )
        for upstream in lineage.upstreams:
            edges.append(
                ColumnEdge(
                    upstream_table=upstream.table,
                    upstream_column=upstream.column,
                    downstream_table=table,
                    downstream_column=downstream_column,
                    kind=kind,
                    logic=logic.column_logic if logic else None,
                )
            )
    for join in result.joins or []:
        for target in result.out_tables:
            for column in join.columns_involved:
                edges.append(
                    ColumnEdge(
                        upstream_table=column.table,
                        upstream_column=column.column,
                        downstream_table=target,
                        downstream_column=None,
                        kind="filter_join",
                        logic=join.on_clause,
                    )
                )
    return edges
