"""Embedded DuckDB engine: the same Databricks SQL, translated once, over the demo mirror.

One read-only DuckDB connection per process; each query gets its own cursor (DuckDB cursors are
independent connections to the same database, so Streamlit's threads can query concurrently).
A timer interrupts a query that runs past its time limit.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from telemetry.engine.base import QueryError, Result
from telemetry.engine.dialect import TranslationError, mirror_table_name, translate

_BATCH_ROWS = 2048


def classify_duckdb_error(err: Exception) -> tuple[str, str]:
    """Turn a DuckDB exception into (kind, a message a user can act on)."""
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    if isinstance(err, duckdb.CatalogException) and "does not exist" in text:
        match = re.search(r'with name (\S+) does not exist', text)
        name = match.group(1) if match else "a table"
        return "missing_table", (f"{text}. On the embedded engine run `python -m telemetry demo` to "
                                 f"(re)build the demo data; otherwise check the table setting for {name}.")
    if isinstance(err, duckdb.InterruptException):
        return "timeout", "the query ran past its time limit and was stopped"
    if isinstance(err, duckdb.ParserException):
        return "syntax", text
    return "error", text


class EmbeddedEngine:
    """DuckDB over a local file that mirrors the Databricks source tables."""

    name = "embedded"

    def __init__(self, path: Path | str, *, read_only: bool = True, row_cap: int = 5000,
                 timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.row_cap = row_cap
        self.timeout_s = timeout_s
        self._read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> EmbeddedEngine:
        return cls(settings.embedded_path, row_cap=settings.row_cap,
                   timeout_s=settings.query_timeout_seconds)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                if self._read_only and not self.path.exists():
                    raise QueryError("connect", f"the embedded database {self.path} does not exist yet; "
                                     "run `python -m telemetry demo` to build it", kind="missing_table")
                self._con = duckdb.connect(str(self.path), read_only=self._read_only)
            return self._con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def run(self, sql: str, params: Mapping[str, Any] | None = None, *, query: str = "sql",
            row_cap: int | None = None, timeout_s: float | None = None) -> Result:
        try:
            duck_sql = translate(sql)
        except TranslationError as err:
            raise QueryError(query, str(err), kind="syntax") from None
        cap = row_cap or self.row_cap
        cur = self._connection().cursor()
        cur.execute("SET TimeZone = 'UTC'")  # Databricks stores and compares timestamps in UTC
        timer = threading.Timer(timeout_s or self.timeout_s, cur.interrupt)
        started = time.perf_counter()
        timer.start()
        try:
            relation = cur.sql(duck_sql, params=dict(params or {}))
            table, truncated = _fetch_capped(relation, cap)
        except duckdb.Error as err:
            kind, message = classify_duckdb_error(err)
            raise QueryError(query, message, kind=kind) from None
        finally:
            timer.cancel()
            cur.close()
        frame = table.to_pandas()
        return Result(frame=frame, truncated=truncated,
                      elapsed_ms=(time.perf_counter() - started) * 1000)

    def table_columns(self, table: str) -> dict[str, str] | None:
        schema, _, name = mirror_table_name(table).rpartition(".")
        frame = self.run(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position",
            {"s": schema, "t": name}, query="table_columns").frame
        if frame.empty:
            return None
        return dict(zip(frame["column_name"], frame["data_type"], strict=True))


def _fetch_capped(relation: duckdb.DuckDBPyRelation | None, cap: int) -> tuple[pa.Table, bool]:
    """Fetch at most `cap` rows; say whether more existed (without fetching them all)."""
    if relation is None:  # a statement without a result (DDL, SET)
        return pa.table({}), False
    reader = relation.to_arrow_reader(_BATCH_ROWS)
    batches, rows = [], 0
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        if rows > cap:
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    return _integers_as_int64(table.slice(0, cap)), rows > cap


def _integers_as_int64(table: pa.Table) -> pa.Table:
    """DuckDB sums BIGINTs into HUGEINT (Arrow decimal(38, 0)); Databricks returns BIGINT. Cast back
    so both engines give pandas the same integer columns (values beyond int64 stay decimal)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type) and field.type.scale == 0:
            with contextlib.suppress(pa.ArrowInvalid):
                table = table.set_column(i, field.name, table.column(i).cast(pa.int64()))
    return table
