"""The console's own tables, as the jobs write them: created when missing, merged in batches.

Jobs own these tables (telemetry/mirror/schema_own.py is their one definition, shared with the demo),
so a first run on a new workspace creates them, and a run after an upgrade adds the columns a newer
version declares (ALTER TABLE … ADD COLUMN; nothing is dropped or retyped).

Rows fetched from an API reach SQL as ONE bound JSON text parameter, `:rows`, that a named write
file unpacks with `inline(from_json(:rows, 'ARRAY<STRUCT<…>>'))`: values are never pasted into SQL
text, one statement costs one warehouse round trip whatever the batch size, and the same file runs on
a warehouse and (translated) on the embedded DuckDB. `row_struct(key)` is the schema literal such a
file must use; tests/jobs/test_tables.py checks every write file against it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from telemetry import queries
from telemetry.config import Settings
from telemetry.engine.base import Engine
from telemetry.mirror.schema_own import OWN_SCHEMAS

DEFAULT_BATCH = 500  # rows per statement: a few hundred kB of JSON at most


def columns(key: str) -> list[tuple[str, str]]:
    """(name, Databricks type) of own table `key`."""
    if key not in OWN_SCHEMAS:
        raise KeyError(f"{key} is not one of the console's own tables ({', '.join(OWN_SCHEMAS)})")
    return OWN_SCHEMAS[key]


def row_struct(key: str) -> str:
    """The `from_json` schema of a batch of `key` rows: `ARRAY<STRUCT<a: STRING, …>>`."""
    return "ARRAY<STRUCT<" + ", ".join(f"{name}: {kind}" for name, kind in columns(key)) + ">>"


def _create_sql(table: str, key: str) -> str:
    body = ",\n  ".join(f"`{name}` {kind}" for name, kind in columns(key))
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {body}\n)"


def ensure_tables(engine: Engine, settings: Settings, *keys: str) -> list[str]:
    """Create each own table `key` that is missing and add columns it lacks; returns what changed.

    Table names come from validated settings and column definitions from OWN_SCHEMAS, so the DDL
    text holds no value from outside the code."""
    changes = []
    for key in keys:
        table = settings.table(key)
        existing = engine.table_columns(table)
        if existing is None:
            schema = table.rsplit(".", 1)[0]
            engine.run(f"CREATE SCHEMA IF NOT EXISTS {schema}", query=f"create schema {schema}")
            engine.run(_create_sql(table, key), query=f"create {key}")
            changes.append(f"created {table}")
            continue
        have = {name.lower() for name in existing}
        for name, kind in columns(key):
            if name.lower() not in have:
                engine.run(f"ALTER TABLE {table} ADD COLUMN `{name}` {kind}", query=f"add {key}.{name}")
                changes.append(f"added {table}.{name}")
    return changes


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot send {type(value).__name__} as a JSON row value")


def rows_json(rows: Iterable[Mapping[str, Any]]) -> str:
    """The `:rows` parameter: a JSON array of objects (timestamps as ISO text, naive UTC)."""
    return json.dumps(list(rows), default=_json_value, ensure_ascii=False, separators=(",", ":"))


def merge_rows(engine: Engine, settings: Settings, write_name: str, rows: list[Mapping[str, Any]],
               *, batch: int = DEFAULT_BATCH, **params: Any) -> int:
    """Run write `write_name` once per `batch` rows with them bound as `:rows`; returns rows sent.

    Each statement is atomic on both engines (a Delta MERGE, a DuckDB statement), so a crash between
    batches leaves whole batches written; writes keyed by id (MERGE) make the rerun idempotent."""
    sent = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        queries.run(write_name, engine=engine, settings=settings, rows=rows_json(chunk), **params)
        sent += len(chunk)
    return sent
