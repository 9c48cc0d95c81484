"""SQL scripts to statement-level and column-level lineage, through DataHub's SQL parser.

Each statement is parsed on its own by DataHub's SQLGlot-based ``sqlglot_lineage``; a
statement that fails is reported with its reason and never stops the others. With a
schema resolver (the catalogue's schemas), ``SELECT *`` and unqualified columns resolve.
Where DataHub's answer falls short, SQLGlot fills the gap from the same parse: columns that
a ``CREATE TABLE`` declares, ``INSERT`` without a column list, the kind of each edge through
CTEs (``trace``), columns used only to filter, and ``MERGE`` (``merge``). T-SQL procedures
(one per ``GO`` batch) and PL/pgSQL bodies are parsed statement by statement.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

import sqlglot  # noqa: E402
from datahub.sql_parsing.schema_resolver import SchemaResolver  # noqa: E402
from datahub.sql_parsing.split_statements import split_statements  # noqa: E402
from datahub.sql_parsing.sqlglot_lineage import SqlParsingResult, sqlglot_lineage  # noqa: E402
from sqlglot import exp  # noqa: E402

from lineage.edge_kind import edge_kind  # noqa: E402
from lineage.merge import merge_lineage  # noqa: E402
from lineage.models import ColumnEdge, StatementLineage, dataset_name, unique_edges  # noqa: E402
from lineage.trace import Leaf, StatementTrace, table_key, trace_statement  # noqa: E402

DIALECT_PLATFORMS = {"postgres": "postgres", "tsql": "mssql", "mysql": "mysql", "sqlite": "sqlite"}
# Platforms whose tables are named database.table (SQLite: an attached database's alias).
TWO_TIER = frozenset({"sqlite", "mysql", "mariadb"})
NO_LINEAGE_ERRORS = frozenset({"UnsupportedStatementTypeError"})
CONTROL_FLOW = re.compile(
    r"^(BEGIN|END|GO|DECLARE|SET|PRINT|RETURN|COMMIT|ROLLBACK|IF|ELSE|WHILE|BREAK|CONTINUE"
    r"|RAISERROR|THROW|EXEC|EXECUTE|CALL|PERFORM|RAISE)\b",
    re.IGNORECASE,
)
GO_SEPARATOR = re.compile(r"^\s*GO\s*;?\s*$", re.IGNORECASE | re.MULTILINE)
PROCEDURE_HEADER = re.compile(
    r"^(?:\s+|--[^\n]*\n|/\*.*?\*/)*"  # leading comments
    r"CREATE\s+(?:OR\s+(?:ALTER|REPLACE)\s+)?(?:PROC|PROCEDURE|FUNCTION)\s+"
    r"(?P<name>[^\s(]+)(?P<rest>.*?)\bAS\b\s*",
    re.IGNORECASE | re.DOTALL,
)
DOLLAR_BODY = re.compile(r"\$(?P<tag>\w*)\$(?P<body>.*)\$(?P=tag)\$", re.DOTALL)
PLPGSQL_DECLARE = re.compile(r"^\s*DECLARE\b.*?(?=\bBEGIN\b)", re.IGNORECASE | re.DOTALL)


class _Piece:
    """One statement's text, where it starts, and the procedure it belongs to."""

    __slots__ = ("text", "line", "procedure")

    def __init__(self, text: str, line: int, procedure: str | None) -> None:
        self.text, self.line, self.procedure = text, line, procedure


def parse_script(
    sql: str,
    *,
    dialect: str,
    platform: str | None = None,
    platform_instance: str | None = None,
    default_db: str | None = None,
    default_schema: str | None = None,
    schemas: SchemaResolver | None = None,
    origin: str | None = None,
) -> list[StatementLineage]:
    """Lineage of every statement of a script, in order."""
    platform = platform or DIALECT_PLATFORMS.get(dialect, dialect)
    resolver = schemas or SchemaResolver(platform=platform, platform_instance=platform_instance)
    results = []
    for index, piece in enumerate(_pieces(sql, dialect)):
        statement = parse_statement(
            piece.text, dialect, resolver, default_db=default_db, default_schema=default_schema
        )
        statement.index, statement.procedure = index, piece.procedure
        statement.origin = f"{origin}:{piece.line}" if origin else None
        results.append(statement)
    mark_dropped_temporaries(results)
    return results


def _pieces(sql: str, dialect: str) -> Iterator[_Piece]:
    """The statements of a script, with procedure bodies opened up, each with the line of
    the script it starts on."""
    for offset, batch in _batches(sql, dialect):
        procedure = None
        header = PROCEDURE_HEADER.match(batch)
        if header and dialect == "tsql":  # a T-SQL procedure is its whole batch
            procedure = header["name"]
        cursor = 0  # a statement is looked for after the one before (the same may repeat)
        for text in split_statements(batch, dialect=dialect):
            found = batch.find(text, cursor)
            if found >= 0:
                cursor = found + len(text)
            line = sql.count("\n", 0, offset + (found if found >= 0 else cursor)) + 1
            yield from _open_procedure(text.strip(), line, procedure, dialect)


def _batches(sql: str, dialect: str) -> Iterator[tuple[int, str]]:
    """(offset in the script, text) of each batch: T-SQL's are separated by ``GO`` lines."""
    start = 0
    if dialect == "tsql":
        for separator in GO_SEPARATOR.finditer(sql):
            yield start, sql[start : separator.start()]
            start = separator.end()
    yield start, sql[start:]


def _open_procedure(text: str, line: int, procedure: str | None, dialect: str) -> Iterator[_Piece]:
    header = PROCEDURE_HEADER.match(text)
    if header is None:
        yield _Piece(text, line, procedure)
        return
    name, rest = header["name"], text[header.end() :]
    dollar = DOLLAR_BODY.search(text)
    if dollar:  # PL/pgSQL: CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ … $$
        body = PLPGSQL_DECLARE.sub("", dollar["body"])
        for inner in split_statements(body, dialect=dialect):
            yield from _open_procedure(inner.strip(), line, name, dialect)
        return
    rest = re.sub(r"^BEGIN\b", "", rest, flags=re.IGNORECASE).strip()
    if rest:  # T-SQL: the first body statement is glued to the header
        yield _Piece(rest, line, name)


def parse_statement(
    text: str,
    dialect: str,
    resolver: SchemaResolver,
    *,
    default_db: str | None = None,
    default_schema: str | None = None,
) -> StatementLineage:
    """Lineage of one statement (never raises: a failure is reported in ``error``)."""
    if resolver.platform in TWO_TIER:  # DataHub reads "sis.eleves" as schema.table
        default_db, default_schema = None, default_schema or default_db
    text = text.strip().rstrip(";").strip()
    if not text or CONTROL_FLOW.match(text):
        return StatementLineage(index=0, statement=text, query_type="OTHER", confidence=1.0)
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
            index=0, statement=text, query_type="UNKNOWN", error=f"{type(exc).__name__}: {exc}"
        )
    tree = _sqlglot_tree(text, dialect)
    dropped = _dropped_tables(tree)
    error = result.debug_info.error
    if error is not None and type(error).__name__ in NO_LINEAGE_ERRORS:
        return StatementLineage(
            index=0, statement=text, query_type="OTHER", confidence=1.0, dropped=dropped
        )
    outputs = list(result.out_tables)
    _learn_created_columns(tree, dialect, resolver, outputs)
    return StatementLineage(
        index=0,
        statement=text,
        query_type=str(getattr(result.query_type, "value", result.query_type)),
        inputs=list(result.in_tables),
        outputs=outputs,
        columns=_column_edges(result, tree, dialect, resolver),
        confidence=result.debug_info.confidence,
        error=f"{type(error).__name__}: {error}".splitlines()[0] if error else None,
        temporary_outputs=[urn for urn in outputs if _is_temporary(tree, urn)],
        dropped=dropped,
    )


def mark_dropped_temporaries(statements: list[StatementLineage]) -> None:
    """A table a statement creates and a later statement of the same script drops is
    temporary (``CREATE TABLE tmp …; …; DROP TABLE tmp``)."""
    created: dict[str, StatementLineage] = {}
    for statement in statements:
        if statement.query_type.startswith("CREATE") or statement.query_type == "SELECT":
            for urn in statement.outputs:
                created[urn] = statement
        for key in statement.dropped:
            for urn in [u for u in created if _matches(key, u)]:
                owner = created.pop(urn)
                if urn not in owner.temporary_outputs:
                    owner.temporary_outputs.append(urn)


def _sqlglot_tree(text: str, dialect: str) -> exp.Expr | None:
    """The statement parsed once for the gaps filled here (None when it does not parse)."""
    try:
        return sqlglot.parse_one(text, read=dialect)
    except sqlglot.errors.SqlglotError:
        return None


def _dropped_tables(tree: exp.Expr | None) -> list[str]:
    if isinstance(tree, exp.Drop) and isinstance(tree.this, exp.Table):
        return [table_key(tree.this)]
    return []


def _is_temporary(tree: exp.Expr | None, urn: str) -> bool:
    if dataset_name(urn).rsplit(".", 1)[-1].startswith("#"):
        return True
    if isinstance(tree, exp.Create):
        return tree.find(exp.TemporaryProperty) is not None
    return False


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


def _matches(key: str, urn: str) -> bool:
    name = dataset_name(urn).lower()
    return name == key or name.endswith("." + key)


def _urn_for(key: str, candidates: list[str]) -> str | None:
    found = [urn for urn in candidates if _matches(key, urn)]
    return found[0] if len(found) == 1 else None


def _insert_positions(
    statement: exp.Expr | None, resolver: SchemaResolver, out_tables: list[str]
) -> list[str] | None:
    """For ``INSERT INTO t [(cols)] SELECT …``: the target column of each select item, by
    position, from the column list or else from the columns the resolver knows (DataHub's
    parser names them by their SQL text instead)."""
    if len(out_tables) != 1 or not isinstance(statement, exp.Insert):
        return None
    if not isinstance(statement.expression, exp.Select):
        return None
    if isinstance(statement.this, exp.Schema):
        columns = [c.name for c in statement.this.expressions]
    else:
        _urn, schema = resolver.resolve_urn(out_tables[0])
        columns = list(schema or [])
    return columns if len(columns) == len(statement.expression.expressions) else None


def _column_edges(
    result: SqlParsingResult, tree: exp.Expr | None, dialect: str, resolver: SchemaResolver
) -> list[ColumnEdge]:
    tables = list(result.in_tables) + list(result.out_tables)
    target = result.out_tables[0] if result.out_tables else ""
    merge = merge_lineage(tree, dialect)
    if merge is not None:
        edges = [
            ColumnEdge(
                upstream_table=urn,
                upstream_column=column,
                downstream_table=target,
                downstream_column=assignment.column,
                kind=assignment.traced.kind,
                logic=assignment.logic,
            )
            for assignment in merge.assignments
            for urn, column in _leaf_urns(assignment.traced.leaves, tables)
        ]
        return unique_edges(edges + _filter_edges(merge.filters, tables, result.out_tables))
    trace = trace_statement(tree, dialect)
    positions = _insert_positions(tree, resolver, result.out_tables)
    lineages = result.column_lineage or []
    traced = trace.items if trace and len(trace.items) == len(lineages) else None
    edges = []
    for i, lineage in enumerate(lineages):
        column = positions[i] if positions and i < len(positions) else lineage.downstream.column
        logic = lineage.logic.column_logic if lineage.logic else None
        upstreams = [(u.table, u.column) for u in lineage.upstreams]
        if traced is not None:
            kind = traced[i].kind
            upstreams = upstreams or list(_leaf_urns(traced[i].leaves, tables))
        else:
            kind = edge_kind(bool(lineage.logic and lineage.logic.is_direct_copy), logic, dialect)
        edges += [
            ColumnEdge(
                upstream_table=table,
                upstream_column=upstream_column,
                downstream_table=lineage.downstream.table or target,
                downstream_column=column,
                kind=kind,
                logic=logic,
            )
            for table, upstream_column in upstreams
        ]
    return unique_edges(edges + _join_edges(result) + _trace_filters(trace, tables, result))


def _leaf_urns(leaves: frozenset[Leaf], tables: list[str]) -> Iterator[tuple[str, str]]:
    for key, column in sorted(leaves):
        urn = _urn_for(key, tables)
        if urn is not None:
            yield urn, column


def _filter_edges(
    leaves: frozenset[Leaf], tables: list[str], outputs: list[str]
) -> list[ColumnEdge]:
    return [
        ColumnEdge(
            upstream_table=urn,
            upstream_column=column,
            downstream_table=target,
            downstream_column=None,
            kind="filter_join",
        )
        for urn, column in _leaf_urns(leaves, tables)
        for target in outputs
        if urn != target
    ]


def _trace_filters(
    trace: StatementTrace | None, tables: list[str], result: SqlParsingResult
) -> list[ColumnEdge]:
    return _filter_edges(trace.filters, tables, list(result.out_tables)) if trace else []


def _join_edges(result: SqlParsingResult) -> list[ColumnEdge]:
    return [
        ColumnEdge(
            upstream_table=column.table,
            upstream_column=column.column,
            downstream_table=target,
            downstream_column=None,
            kind="filter_join",
            logic=join.on_clause,
        )
        for join in result.joins or []
        for target in result.out_tables
        for column in join.columns_involved
    ]
