"""Databricks SQL → DuckDB, translated once per distinct text.

sqlglot does most of the work (`read="databricks"`). What is ours:
- table names: DuckDB reserves the `system` catalog and a DuckDB file is a single catalog, so a
  Databricks `catalog.schema.table` lives in DuckDB as schema `catalog__schema`, table `table`
  (`mirror_table_name`). The demo builder creates tables through the same function.
- `IDENTIFIER(...)`: folded into the table or column it names (fixes_identifiers.py). A name built
  from parameters needs their values first: `resolve_identifiers(sql, params)`.
- parsing: the 3-argument `datediff(unit, start, end)` is Spark's `timestampdiff` (whole units
  elapsed); sqlglot reads it as the 2-argument day count, so our dialect parses it apart.
- functions sqlglot translates into SQL that runs but answers differently from Spark
  (see ../shared/reference/toolchain-notes.md); each fix is pinned by a test with Spark's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.databricks import Databricks
from sqlglot.dialects.dialect import build_date_delta
from sqlglot.errors import ParseError

from telemetry.engine.fixes_common import TranslationError
from telemetry.engine.fixes_identifiers import bind_identifier_params, resolve_identifier_calls

__all__ = ["TranslationError", "mirror_schema", "mirror_table_name", "resolve_identifiers", "translate"]


def _datediff(args: list) -> exp.Expr:
    """datediff(end, start) counts days; datediff(unit, start, end) is timestampdiff."""
    if len(args) == 3:
        return exp.TimestampDiff(this=args[2], expression=args[1], unit=exp.var(args[0].name.upper()))
    return build_date_delta(exp.DateDiff)(args)


class DatabricksSource(Databricks):
    """sqlglot's Databricks dialect, reading the 3-argument datediff as Spark does."""

    class Parser(Databricks.Parser):
        FUNCTIONS = {**Databricks.Parser.FUNCTIONS, "DATEDIFF": _datediff, "DATE_DIFF": _datediff}


def mirror_schema(catalog: str | None, schema: str) -> str:
    """The DuckDB schema that holds Databricks' `catalog.schema`."""
    return f"{catalog}__{schema}" if catalog else schema


def mirror_table_name(full_name: str) -> str:
    """`system.access.audit` → `system__access.audit` (quoted-safe: names are validated)."""
    parts = full_name.split(".")
    if len(parts) == 3:
        return f"{mirror_schema(parts[0], parts[1])}.{parts[2]}"
    return full_name


def _map_tables(tree: exp.Expression) -> exp.Expression:
    for table in tree.find_all(exp.Table):
        catalog, db = table.catalog, table.db
        if catalog and db:
            table.set("catalog", None)
            table.set("db", exp.to_identifier(mirror_schema(catalog, db)))
    return tree


def _fix_functions(tree: exp.Expression) -> exp.Expression:
    """Rewrite the constructs sqlglot gets wrong for DuckDB (see module docstring)."""
    from telemetry.engine import dialect_fixes

    return dialect_fixes.apply(tree)


def _parse(sql: str) -> list[exp.Expression]:
    try:
        trees = sqlglot.parse(sql, read=DatabricksSource)
    except ParseError as err:
        detail = err.errors[0]["description"] if err.errors else str(err)
        raise TranslationError(f"could not parse the SQL: {detail}") from None
    return [tree for tree in trees if tree is not None]


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """Translate one Databricks SQL statement (or several, `;`-separated) to DuckDB SQL.

    IDENTIFIER calls must be constant here: bind parameters in them with `resolve_identifiers`."""
    out = []
    for tree in _parse(sql):
        tree = _fix_functions(_map_tables(resolve_identifier_calls(tree)))
        out.append(tree.sql(dialect="duckdb"))
    if not out:
        raise TranslationError("the SQL text is empty")
    return ";\n".join(out)


def resolve_identifiers(sql: str, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """Databricks SQL with the parameters used in IDENTIFIER(...) bound, and the parameters still
    to bind. `translate` is cached per text and never sees values, so a name that depends on one,
    `IDENTIFIER(:catalog || '.lakeflow.jobs')`, is fixed here, per value: each value must be a plain
    name (letters, digits, underscores, dots) or TranslationError is raised. SQL without such a call
    comes back unchanged."""
    params = dict(params or {})
    if "identifier" not in sql.lower():  # the common case: nothing to parse
        return sql, params
    trees = _parse(sql)
    bound = set().union(*(bind_identifier_params(tree, params) for tree in trees))
    if not bound:
        return sql, params
    still_used = {marker.name for tree in trees for marker in tree.find_all(exp.Placeholder)}
    text = ";\n".join(tree.sql(dialect=DatabricksSource) for tree in trees)
    return text, {name: value for name, value in params.items() if name not in bound or name in still_used}
