"""Databricks SQL → DuckDB, translated once per distinct text.

sqlglot does most of the work (`read="databricks"`). Two things are ours:
- table names: DuckDB reserves the `system` catalog and a DuckDB file is a single catalog, so a
  Databricks `catalog.schema.table` lives in DuckDB as schema `catalog__schema`, table `table`
  (`mirror_table_name`). The demo builder creates tables through the same function.
- functions sqlglot translates into SQL that runs but answers differently from Spark
  (see ../shared/reference/toolchain-notes.md); each fix is pinned by a test with Spark's answer.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError


class TranslationError(ValueError):
    """Databricks SQL that could not be parsed or translated."""


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


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """Translate one Databricks SQL statement (or several, `;`-separated) to DuckDB SQL."""
    try:
        trees = sqlglot.parse(sql, read="databricks")
    except ParseError as err:
        detail = err.errors[0]["description"] if err.errors else str(err)
        raise TranslationError(f"could not parse the SQL: {detail}") from None
    out = []
    for tree in trees:
        if tree is None:
            continue
        tree = _fix_functions(_map_tables(tree))
        out.append(tree.sql(dialect="duckdb"))
    if not out:
        raise TranslationError("the SQL text is empty")
    return ";\n".join(out)
