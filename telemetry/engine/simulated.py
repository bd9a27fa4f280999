"""A simulated SQL warehouse: the connector's DB-API surface over a local DuckDB mirror, with latency.

The benchmark must measure our real warehouse code path (pool, time limits, error mapping, Arrow
conversion) without a workspace. So `SimulatedWarehouse.connect(**kwargs)` stands in for
`databricks.sql.connect` and is handed to the real `WarehouseEngine`; what a real warehouse costs
that DuckDB does not is added as sleeps:

- opening a session (`connect`) costs `connect_s` (default: one round trip, `latency_s`);
- every statement (`cursor.execute`, including `SET`) costs `latency_s` before it runs; results
  come back with it (the connector's direct results), so `fetchmany_arrow` is free.

The SQL is Databricks SQL: translated by `telemetry.engine.dialect.translate` (as the embedded
engine does), `:name` parameters bound as DuckDB `$name`. The mirror file is attached read-only as
catalog `catalog` (default "workspace"), which is what `current_catalog()` returns; when the file
has no `system__information_schema.columns` table, one is derived from DuckDB's own catalog (names
lower-cased, as Unity Catalog stores them) so `WarehouseEngine.table_columns` works. DuckDB errors
are re-raised as `SimulatedServerError` with a Databricks error class in the text
(`[TABLE_OR_VIEW_NOT_FOUND]`, `[PARSE_SYNTAX_ERROR]`, `[STATEMENT_TIMEOUT]`, ...), so
`classify_warehouse_error` sees what it would see from a warehouse. Session `STATEMENT_TIMEOUT`
(from `session_configuration` or `SET`) is enforced, and `cursor.cancel()` stops a statement in its
round trip or inside DuckDB.

Every statement is logged (`SimulatedWarehouse.statements`) with its start and end on the
`time.perf_counter()` clock, and connections are counted, for the benchmark's report.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from telemetry.engine.dialect import TranslationError, translate

if TYPE_CHECKING:
    from telemetry.config import Settings
    from telemetry.engine.warehouse import WarehouseEngine

DEFAULT_CATALOG = "workspace"
_HELPER_CATALOG = "memory"  # the in-memory database the mirror is attached to
_INFO_SCHEMA = "system__information_schema"
_SET = re.compile(r"^\s*SET\s+(\w+)\s*=\s*'?([^';]*?)'?\s*;?\s*$", re.IGNORECASE)
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class SimulatedServerError(Exception):
    """A failed statement, as the connector raises it (its ServerOperationError): `[CLASS] text`."""


class SimulatedInterfaceError(Exception):
    """Misuse of a closed connection or cursor (the connector's InterfaceError/Error)."""


@dataclass(frozen=True)
class Statement:
    """One statement the warehouse received: Databricks SQL as sent, when, on which connection."""

    sql: str
    params: Mapping[str, Any]
    connection: int  # 1, 2, ... in the order connections were opened
    started: float  # time.perf_counter()
    ended: float
    error: str | None = None  # the message raised, None when it succeeded

    @property
    def elapsed_s(self) -> float:
        return self.ended - self.started


@dataclass
class _Counters:
    statements: list[Statement] = field(default_factory=list)
    opened: int = 0
    closed: int = 0
    numbered: int = 0  # connection numbers keep growing across reset()


class SimulatedWarehouse:
    """A stand-in SQL warehouse over one DuckDB file; thread-safe; open lazily on the first connect."""

    def __init__(self, db_path: Path | str, *, latency_s: float = 0.5, connect_s: float | None = None,
                 catalog: str = DEFAULT_CATALOG) -> None:
        self.path = Path(db_path)
        if not self.path.exists():
            raise FileNotFoundError(f"no DuckDB database at {self.path}")
        if not _NAME.match(catalog) or catalog in ("main", "memory", "system", "temp"):
            raise ValueError(f"{catalog!r} cannot be the simulated catalog (DuckDB reserves it)")
        self.latency_s = latency_s
        self.connect_s = latency_s if connect_s is None else connect_s
        self.catalog = catalog
        self._lock = threading.Lock()
        self._counters = _Counters()
        self._db: duckdb.DuckDBPyConnection | None = None
        self._redirect_info_schema = False

    # -- the DB-API entry point -------------------------------------------------------------------

    def connect(self, **kwargs: Any) -> SimulatedConnection:
        """`databricks.sql.connect(**kwargs)`: checks the arguments, costs `connect_s`, opens a session."""
        for required in ("server_hostname", "http_path"):
            if not kwargs.get(required):
                raise SimulatedInterfaceError(f"connect() needs {required}")
        provider = kwargs.get("credentials_provider")
        if not kwargs.get("access_token"):
            if provider is None:
                raise SimulatedInterfaceError("connect() needs access_token or credentials_provider")
            provider()()  # the connector calls the header factory for the OpenSession request
        db = self._database()
        time.sleep(self.connect_s)
        session = dict(kwargs.get("session_configuration") or {})
        with self._lock:
            self._counters.opened += 1
            self._counters.numbered += 1
            number = self._counters.numbered
        return SimulatedConnection(self, db, number, session)

    def engine(self, settings: Settings | None = None, *, pool_size: int | None = None,
               access_token: str | None = None) -> WarehouseEngine:
        """The real WarehouseEngine, connecting here (row cap, time limit and pool size from `settings`)."""
        from telemetry.engine.warehouse import WarehouseEngine

        limits: dict[str, Any] = {}
        if settings is not None:
            limits = {"row_cap": settings.row_cap, "timeout_s": settings.query_timeout_seconds,
                      "pool_size": settings.max_concurrent_queries}
        if pool_size is not None:
            limits["pool_size"] = pool_size
        credentials = None if access_token else (lambda: (lambda: {"Authorization": "Bearer simulated"}))
        return WarehouseEngine(host="https://simulated.invalid", http_path="/sql/1.0/warehouses/simulated",
                               credentials=credentials, access_token=access_token, connect=self.connect,
                               **limits)

    # -- statistics -------------------------------------------------------------------------------

    @property
    def statements(self) -> list[Statement]:
        """Every statement since the last reset(), in the order they finished."""
        with self._lock:
            return list(self._counters.statements)

    @property
    def connections_opened(self) -> int:
        with self._lock:
            return self._counters.opened

    @property
    def connections_closed(self) -> int:
        with self._lock:
            return self._counters.closed

    def peak_concurrency(self) -> int:
        """The most statements that were running at the same moment (since the last reset())."""
        events = sorted([(s.started, 1) for s in self.statements] + [(s.ended, -1) for s in self.statements])
        peak = running = 0
        for _, step in events:
            running += step
            peak = max(peak, running)
        return peak

    def reset(self) -> None:
        """Forget the statements and connection counts (open connections stay open)."""
        with self._lock:
            self._counters = _Counters(numbered=self._counters.numbered)

    def close(self) -> None:
        """Close the DuckDB database (connections still open fail on their next statement)."""
        with self._lock:
            db, self._db = self._db, None
        if db is not None:
            db.close()

    def __enter__(self) -> SimulatedWarehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------

    def _database(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._db is None:
                self._db = self._open_database()
            return self._db

    def _open_database(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB with the mirror attached read-only under the simulated catalog's name."""
        db = duckdb.connect(":memory:")
        path = str(self.path).replace("'", "''")
        db.execute(f"ATTACH '{path}' AS {self.catalog} (READ_ONLY)")
        has_own = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = ? AND table_schema = ? "
            "AND table_name = 'columns'", [self.catalog, _INFO_SCHEMA]).fetchone()[0]
        if not has_own:
            db.execute(f"CREATE SCHEMA {_HELPER_CATALOG}.{_INFO_SCHEMA}")
            db.execute(_columns_view(self.catalog))
        self._redirect_info_schema = not has_own
        return db

    def _sql(self, sql: str) -> str:
        return _duckdb_sql(sql, self._redirect_info_schema)

    def _record(self, statement: Statement) -> None:
        with self._lock:
            self._counters.statements.append(statement)

    def _closed_one(self) -> None:
        with self._lock:
            self._counters.closed += 1


class SimulatedConnection:
    """One SQL session: its own configuration (STATEMENT_TIMEOUT) and cursors."""

    def __init__(self, warehouse: SimulatedWarehouse, db: duckdb.DuckDBPyConnection, number: int,
                 session_configuration: dict[str, Any]) -> None:
        self.warehouse = warehouse
        self.number = number
        self.session_configuration = {k.upper(): str(v) for k, v in session_configuration.items()}
        self.closed = False
        self._db = db

    def statement_timeout_s(self) -> float | None:
        """The session's STATEMENT_TIMEOUT in seconds (None or 0: no limit, as on Databricks)."""
        raw = self.session_configuration.get("STATEMENT_TIMEOUT", "")
        try:
            value = float(raw.rstrip("s"))
        except ValueError:
            return None
        return value if value > 0 else None

    def cursor(self) -> SimulatedCursor:
        if self.closed:
            raise SimulatedInterfaceError("Cannot create cursor from closed connection")
        return SimulatedCursor(self, self._db)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.warehouse._closed_one()


class SimulatedCursor:
    """A cursor: `execute` (one round trip, then DuckDB), `fetchmany_arrow`, `cancel` from any thread."""

    def __init__(self, connection: SimulatedConnection, db: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        self._db = db
        self._duck: duckdb.DuckDBPyConnection | None = None
        self._result: pa.Table = pa.table({})
        self._offset = 0
        self._lock = threading.Lock()
        self._running = False
        self._stop = threading.Event()
        self._stop_reason = ""
        self.closed = False

    def __enter__(self) -> SimulatedCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, operation: str, parameters: Mapping[str, Any] | None = None) -> SimulatedCursor:
        """Run one Databricks SQL statement after a round trip; raise SimulatedServerError on failure."""
        if self.closed or self.connection.closed:
            raise SimulatedInterfaceError("Attempting operation on closed cursor")
        params = dict(parameters or {})
        started = time.perf_counter()
        error: str | None = None
        try:
            self._result, self._offset = self._execute(operation, params), 0
        except Exception as err:
            error = str(err)
            raise
        finally:
            self.connection.warehouse._record(Statement(
                operation, params, self.connection.number, started, time.perf_counter(), error))
        return self

    def fetchmany_arrow(self, size: int) -> pa.Table:
        chunk = self._result.slice(self._offset, size)
        self._offset += chunk.num_rows
        return chunk

    def fetchall_arrow(self) -> pa.Table:
        return self.fetchmany_arrow(max(0, self._result.num_rows - self._offset))

    def cancel(self) -> None:
        """Stop the running statement (no-op when none runs, as the connector only warns)."""
        self._stop_statement("cancelled")

    def close(self) -> None:
        self.closed = True
        if self._duck is not None:
            self._duck.close()
            self._duck = None

    # -- internals --------------------------------------------------------------------------------

    def _execute(self, operation: str, params: dict[str, Any]) -> pa.Table:
        with self._lock:
            self._running, self._stop_reason = True, ""
            self._stop.clear()
        limit = self.connection.statement_timeout_s()
        timer = threading.Timer(limit, self._stop_statement, args=("timeout",)) if limit else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            return self._round_trip_then_run(operation, params)
        finally:
            if timer is not None:
                timer.cancel()
            with self._lock:
                self._running = False

    def _round_trip_then_run(self, operation: str, params: dict[str, Any]) -> pa.Table:
        self._stop.wait(self.connection.warehouse.latency_s)
        self._raise_if_stopped()
        setting = _SET.match(operation)
        if setting:
            self.connection.session_configuration[setting.group(1).upper()] = setting.group(2).strip()
            return pa.table({})
        sql = self._translated(operation)
        try:
            relation = self._duckdb().sql(sql, params={k: v for k, v in params.items() if k in _used(sql)})
            table = relation.to_arrow_table() if relation is not None else pa.table({})
        except duckdb.InterruptException:
            self._raise_if_stopped()
            raise
        except duckdb.Error as err:
            raise _server_error(err, sql) from None
        self._raise_if_stopped()  # stopped after DuckDB finished (or before it began): no result
        return table

    def _translated(self, operation: str) -> str:
        try:
            return self.connection.warehouse._sql(operation)
        except TranslationError as err:
            raise SimulatedServerError(f"[PARSE_SYNTAX_ERROR] {err}. SQLSTATE: 42601") from None

    def _duckdb(self) -> duckdb.DuckDBPyConnection:
        """This cursor's DuckDB connection, in the simulated catalog and in UTC like Databricks."""
        if self._duck is None:
            self._duck = self._db.cursor()
            self._duck.execute(f"USE {self.connection.warehouse.catalog}; SET TimeZone = 'UTC'")
        return self._duck

    def _stop_statement(self, reason: str) -> None:
        with self._lock:
            if not self._running or self._stop.is_set():
                return
            self._stop_reason = reason
            self._stop.set()
            duck = self._duck
        if duck is not None:
            duck.interrupt()

    def _raise_if_stopped(self) -> None:
        if not self._stop.is_set():
            return
        if self._stop_reason == "timeout":
            limit = self.connection.statement_timeout_s()
            raise SimulatedServerError(f"[STATEMENT_TIMEOUT] Query has been timed out after {limit:g} seconds "
                                       "(STATEMENT_TIMEOUT). SQLSTATE: 57KD0")
        raise SimulatedServerError("[OPERATION_CANCELED] The statement was cancelled. SQLSTATE: HY008")


@lru_cache(maxsize=512)
def _duckdb_sql(sql: str, redirect_info_schema: bool) -> str:
    """Databricks SQL → the DuckDB SQL the simulated warehouse runs (translated once per text)."""
    duck = translate(sql)
    if redirect_info_schema and _INFO_SCHEMA in duck.lower():
        duck = _qualify_info_schema(duck)
    return duck


def _qualify_info_schema(duck_sql: str) -> str:
    """Point `system__information_schema.*` at the derived views in the in-memory catalog."""
    trees = sqlglot.parse(duck_sql, read="duckdb")
    for tree in trees:
        for table in tree.find_all(exp.Table) if tree is not None else ():
            if table.db.lower() == _INFO_SCHEMA and not table.catalog:
                table.set("catalog", exp.to_identifier(_HELPER_CATALOG))
    return ";\n".join(tree.sql(dialect="duckdb") for tree in trees if tree is not None)


def _columns_view(catalog: str) -> str:
    """`system.information_schema.columns` for the mirror: `a__b` schemas are catalog a, schema b;
    other schemas belong to the current catalog. Names in lower case, as Unity Catalog keeps them."""
    split = "contains(table_schema, '__')"
    return f"""
        CREATE VIEW {_HELPER_CATALOG}.{_INFO_SCHEMA}.columns AS
        SELECT lower(CASE WHEN {split} THEN split_part(table_schema, '__', 1) ELSE '{catalog}' END) AS table_catalog,
               lower(CASE WHEN {split} THEN substr(table_schema, strpos(table_schema, '__') + 2)
                          ELSE table_schema END) AS table_schema,
               lower(table_name) AS table_name, column_name, ordinal_position,
               lower(data_type) AS data_type, lower(data_type) AS full_data_type,
               is_nullable
        FROM information_schema.columns
        WHERE table_catalog = '{catalog}' AND table_schema NOT IN ('information_schema', 'pg_catalog')"""


def _used(duck_sql: str) -> set[str]:
    """Parameter names the DuckDB SQL refers to (Databricks ignores extra named parameters)."""
    return set(_PARAM.findall(duck_sql))


def _server_error(err: duckdb.Error, duck_sql: str) -> SimulatedServerError:
    """A DuckDB error as the warehouse would word it (error class first, as classify expects)."""
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    if isinstance(err, duckdb.CatalogException) and "does not exist" in text and "Table" in text:
        match = re.search(r'with name "?([^"\s!]+)"? does not exist', text)
        name = _databricks_name(_qualified(match.group(1), duck_sql)) if match else "a table"
        return SimulatedServerError(f"[TABLE_OR_VIEW_NOT_FOUND] The table or view {name} cannot be found. "
                                    "Verify the spelling and correctness of the schema and catalog. "
                                    "SQLSTATE: 42P01")
    if isinstance(err, duckdb.ParserException):
        return SimulatedServerError(f"[PARSE_SYNTAX_ERROR] {text} SQLSTATE: 42601")
    if isinstance(err, duckdb.BinderException) and "column" in text.lower():
        return SimulatedServerError(f"[UNRESOLVED_COLUMN] {text} SQLSTATE: 42703")
    return SimulatedServerError(f"[{type(err).__name__.upper()}] {text}")


def _qualified(name: str, duck_sql: str) -> str:
    """DuckDB names only the table when its schema exists: find the schema in the statement."""
    if "." in name:
        return name
    try:
        trees = sqlglot.parse(duck_sql, read="duckdb")
    except ParseError:
        return name
    for tree in filter(None, trees):
        for table in tree.find_all(exp.Table):
            if table.name.lower() == name.lower() and table.db:
                return f"{table.db}.{table.name}"
    return name


def _databricks_name(mirror_name: str) -> str:
    """`system__access.audit` → `system`.`access`.`audit` (how the warehouse quotes it)."""
    schema, _, table = mirror_name.rpartition(".")
    parts = [*schema.split("__", 1), table] if schema else [table]
    return ".".join(f"`{part}`" for part in parts)


def simulated_engine(db_path: Path | str, *, latency_s: float = 0.5, connect_s: float | None = None,
                     settings: Settings | None = None, pool_size: int | None = None) -> WarehouseEngine:
    """The real WarehouseEngine on a new SimulatedWarehouse over `db_path`.

    For the statistics (statements, connections) build the `SimulatedWarehouse` yourself and call
    its `engine(...)`; this is the one-liner for when only the timings of the engine matter.
    """
    warehouse = SimulatedWarehouse(db_path, latency_s=latency_s, connect_s=connect_s)
    return warehouse.engine(settings, pool_size=pool_size)
