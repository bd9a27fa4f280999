"""Embedded DuckDB engine: the same Databricks SQL, translated once, over the demo mirror.

One DuckDB connection per process; each query gets its own cursor (DuckDB cursors are independent
connections to the same database, so Streamlit's threads can query concurrently). A timer
interrupts a query that runs past its time limit. Results cross the boundary through
`telemetry.engine.arrow.to_frame`, as the warehouse's do, so pages get the same column types.

Delta's selective overwrite, `INSERT INTO t REPLACE WHERE cond query`, has no DuckDB equivalent; it
runs as `DELETE FROM t WHERE cond` and `INSERT INTO t query` in one transaction, so readers (other
cursors) see the old rows until the new ones are committed, and a failure leaves the old rows.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from telemetry.engine import inbox
from telemetry.engine.arrow import to_frame
from telemetry.engine.base import QueryError, Result
from telemetry.engine.dialect import TranslationError, mirror_table_name, resolve_identifiers, translate

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


@dataclass(frozen=True)
class Statement:
    """One DuckDB statement and the `:name` parameters it binds (DuckDB rejects unused ones)."""

    sql: str
    params: frozenset[str]

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in values.items() if name in self.params}


def _lock_message(path: Path, read_only: bool, err: Exception) -> str:
    """Why the embedded file could not be opened, in words: usually another process holds it."""
    if "lock" not in str(err).lower():
        return f"cannot open the embedded database {path}: {str(err).splitlines()[0]}"
    holder = inbox.holder_of(err)
    who = f" ({holder})" if holder else ""
    common = (f"the embedded database {path} is held by another process{who}: a running console "
              "(`python -m telemetry serve` owns its file), a job or `python -m telemetry demo`. DuckDB allows "
              "one writer or many readers per file. Commands that only add rows (traces load, traces receive) "
              "hand them to the running console")
    if read_only:
        return f"{common}; this one can read the file once that process ends"
    return f"{common}; for this one, stop the console, run it, then start the console again"


_OWNER_OPEN_ATTEMPTS = 15  # × 0.2 s: a loader or receiver holds the file for a drain only briefly
DRAIN_INTERVAL_S = 1.0


class EmbeddedEngine:
    """DuckDB over a local file that mirrors the Databricks source tables.

    `owner=True` (the served console) opens the file read-write and keeps it: DuckDB then lets no other
    process open it, so other writers hand their rows over through `telemetry.engine.inbox` and the
    owner's drain thread applies them about every second. `data_version` counts the drains that added
    rows, so caches keyed on it show new spans and events without waiting for their TTL."""

    name = "embedded"

    def __init__(self, path: Path | str, *, read_only: bool = True, row_cap: int = 5000,
                 timeout_s: float = 60.0, owner: bool = False) -> None:
        self.path = Path(path)
        self.row_cap = row_cap
        self.timeout_s = timeout_s
        self._read_only = read_only and not owner
        self._owner = owner
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._drainer: threading.Thread | None = None
        self.data_version = 0

    @classmethod
    def from_settings(cls, settings) -> EmbeddedEngine:
        return cls(settings.embedded_path, row_cap=settings.row_cap,
                   timeout_s=settings.query_timeout_seconds, owner=settings.embedded_owner)

    @property
    def owns_file(self) -> bool:
        """True when this process holds the file read-write (and drains its inbox)."""
        return self._con is not None and not self._read_only

    def can_write(self) -> bool:
        """Open the file now (if not yet) and say whether this process may write it: the served console
        (owner) can, unless another process held the file when it opened; a reader cannot."""
        self._connection()
        return self.owns_file

    def write_cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the read-write connection, for a job that writes Arrow batches in bulk (the
        demo-append job); the caller closes it. QueryError when this process only reads the file."""
        if not self.can_write():
            raise QueryError("connect", f"this process only reads the embedded database {self.path}",
                             kind="connection")
        return self._connection().cursor()

    def note_write(self) -> None:
        """Say that rows were written outside the inbox (a job run in this process), so caches keyed on
        `data_version` show them now rather than after their TTL."""
        with self._lock:
            self.data_version += 1

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self._read_only and not self.path.exists():
            raise QueryError("connect", f"the embedded database {self.path} does not exist yet; "
                             "run `python -m telemetry demo` to build it", kind="missing_table")
        attempts = _OWNER_OPEN_ATTEMPTS if self._owner else 1
        for attempt in range(attempts):
            try:
                return duckdb.connect(str(self.path), read_only=self._read_only)
            except duckdb.IOException as err:  # DuckDB: one writer, or many readers, per file
                if "lock" not in str(err).lower() or (attempt == attempts - 1 and not self._owner):
                    raise QueryError("connect", _lock_message(self.path, self._read_only, err),
                                     kind="connection") from None
                if attempt == attempts - 1:
                    return self._read_instead(err)
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def _read_instead(self, err: Exception) -> duckdb.DuckDBPyConnection:
        """Another process holds the file: a reader (a test, `doctor`) leaves us reading too, so the
        console still works and what is handed over waits in the inbox; a writer refuses both."""
        if self._read_only:
            raise QueryError("connect", _lock_message(self.path, True, err), kind="connection") from None
        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.IOException:
            raise QueryError("connect", _lock_message(self.path, False, err), kind="connection") from None
        logging.getLogger(__name__).warning(
            "the embedded database %s is open in another process (%s): reading it only; rows handed over "
            "(traces load/receive) wait in %s until this console can write", self.path,
            inbox.holder_of(err) or "unknown", inbox.inbox_dir(self.path))
        self._read_only = True
        return con

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                self._con = self._open()
                if self._owner and not self._read_only and self._drainer is None:
                    self._drainer = threading.Thread(target=self._drain_loop, name="inbox-drain", daemon=True)
                    self._drainer.start()
            return self._con

    def drain_inbox(self) -> inbox.DrainReport:
        """Apply the batches other processes handed over (owner only; a no-op for a reader)."""
        if self._read_only:
            return inbox.DrainReport()
        cur = self._connection().cursor()
        try:
            report = inbox.drain(cur, self.path)
        finally:
            cur.close()
        if report.added:
            self.data_version += 1
        return report

    def _drain_loop(self) -> None:
        while not self._stop.wait(DRAIN_INTERVAL_S):
            if not inbox.pending(self.path):
                continue
            try:
                self.drain_inbox()
            except (duckdb.Error, QueryError) as err:  # the batch stays in the inbox for the next pass
                logging.getLogger(__name__).warning("inbox drain failed, will retry: %s", err)

    def close(self) -> None:
        """Close the connection; a query still running on another thread (a page's last future) is
        waited for briefly, since DuckDB refuses to close a connection in use."""
        self._stop.set()
        with self._lock:
            con, self._con = self._con, None
        if con is None:
            return
        for _ in range(100):
            try:
                con.close()
                return
            except duckdb.Error as err:
                if "busy" not in str(err).lower():
                    raise
                time.sleep(0.05)
        logging.getLogger(__name__).warning("the embedded connection to %s was still busy; left open", self.path)

    def run(self, sql: str, params: Mapping[str, Any] | None = None, *, query: str = "sql",
            row_cap: int | None = None, timeout_s: float | None = None) -> Result:
        try:
            sql, values = resolve_identifiers(sql, params)  # IDENTIFIER(:p): validated names only
            replace = replace_where_statements(sql)
            duck_sql = None if replace else translate(sql)
        except TranslationError as err:
            raise QueryError(query, str(err), kind="syntax") from None
        cap = row_cap or self.row_cap
        cur = self._connection().cursor()
        cur.execute("SET TimeZone = 'UTC'")  # Databricks stores and compares timestamps in UTC
        timer = threading.Timer(timeout_s or self.timeout_s, cur.interrupt)
        started = time.perf_counter()
        timer.start()
        try:
            if replace:
                table, truncated = _run_in_transaction(cur, replace, values), False
            else:
                table, truncated = _fetch_capped(cur.sql(duck_sql, params=values), cap)
        except duckdb.Error as err:
            kind, message = classify_duckdb_error(err)
            raise QueryError(query, message, kind=kind) from None
        finally:
            timer.cancel()
            cur.close()
        return Result(frame=to_frame(table), truncated=truncated,
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


@lru_cache(maxsize=64)
def replace_where_statements(sql: str) -> tuple[Statement, Statement] | None:
    """The DuckDB DELETE and INSERT that together do `INSERT INTO t REPLACE WHERE cond query`, or
    None for any other SQL.

    sqlglot parses Delta's selective overwrite into an `Insert` with a `where` argument; the DuckDB
    generator would print it back as REPLACE WHERE, which DuckDB cannot parse. Both parts go through
    `translate` like any statement (table mapping, dialect fixes). Raises TranslationError.
    """
    if "REPLACE" not in sql.upper():  # cheap test before parsing every query a page runs
        return None
    try:
        trees = [tree for tree in sqlglot.parse(sql, read="databricks") if tree is not None]
    except ParseError:
        return None  # translate() reports the syntax error with its own message
    if len(trees) != 1 or not isinstance(trees[0], exp.Insert) or trees[0].args.get("where") is None:
        return None
    insert = trees[0]
    if insert.args.get("overwrite"):
        raise TranslationError("INSERT OVERWRITE … REPLACE WHERE is not supported: write INSERT INTO … REPLACE WHERE")
    target = insert.this.this if isinstance(insert.this, exp.Schema) else insert.this
    delete = exp.delete(target.copy(), where=insert.args["where"].copy())
    plain = insert.copy()
    plain.set("where", None)
    return _statement(delete), _statement(plain)


def _statement(tree: exp.Expr) -> Statement:
    names = frozenset(node.name for node in tree.find_all(exp.Placeholder) if node.name)
    return Statement(translate(tree.sql(dialect="databricks")), names)


def _run_in_transaction(cur: duckdb.DuckDBPyConnection, statements: tuple[Statement, ...],
                        values: Mapping[str, Any]) -> pa.Table:
    """Run `statements` as one transaction on `cur`: all committed, or (on any error, an interrupt
    included) none. Returns the last statement's result (DuckDB's row count of the INSERT)."""
    cur.execute("BEGIN TRANSACTION")
    try:
        table = pa.table({})
        for statement in statements:
            table = cur.sql(statement.sql, params=statement.bind(values)).to_arrow_table()
        cur.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already rolled back
            cur.execute("ROLLBACK")
        raise
    return table


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
    return table.slice(0, cap), rows > cap
