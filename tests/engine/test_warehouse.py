"""The warehouse engine against a fake DB-API connection: SQL as written, native parameters, a
bounded connection pool, time limits and errors that never carry the token."""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import duckdb
import pyarrow as pa
import pytest

from telemetry.config import load_settings
from telemetry.engine.base import QueryError
from telemetry.engine.simulated import SimulatedWarehouse
from telemetry.engine.warehouse import WarehouseEngine, scrub

TOKEN = "dapi-user-token-0123456789abcdef"


class FakeCursor:
    def __init__(self, conn):
        self.conn = conn
        self.cancelled = threading.Event()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, operation, parameters=None):
        self.conn.log.append((operation, parameters))
        self.conn.warehouse.on_execute(self, operation)

    def fetchmany_arrow(self, n):
        return self.conn.warehouse.table.slice(0, n)

    def cancel(self):
        self.conn.warehouse.cancels += 1
        self.cancelled.set()


class FakeConnection:
    def __init__(self, warehouse):
        self.warehouse, self.log, self.closed = warehouse, [], False

    def cursor(self):
        return FakeCursor(self)

    def close(self):
        self.closed = True


class FakeWarehouse:
    """The connector's surface: `connect(**kwargs)` → connections that log what they execute.

    `errors` are raised by the next statements (one each, in order; None lets one succeed);
    `hold` makes every statement wait for the event (or for a cancel) before answering.
    """

    def __init__(self, table=None, connect_error=None):
        self.table = table if table is not None else pa.table({"n": [1, 2, 3]})
        self.connect_error = connect_error
        self.connections, self.kwargs, self.errors = [], {}, []
        self.hold: threading.Event | None = None
        self.running = threading.Semaphore(0)
        self.cancels = 0
        self._lock = threading.Lock()

    def connect(self, **kwargs):
        self.kwargs.update(kwargs)
        if self.connect_error:
            raise self.connect_error
        conn = FakeConnection(self)
        with self._lock:
            self.connections.append(conn)
        return conn

    def on_execute(self, cursor, operation):
        if operation.startswith("SET ") and not self.errors:
            return
        with self._lock:
            error = self.errors.pop(0) if self.errors else None
        if error:
            raise error
        if self.hold is not None:
            self.running.release()
            while not self.hold.is_set():
                if cursor.cancelled.wait(0.01):
                    raise RuntimeError("Query was cancelled")


def make_engine(warehouse=None, **kw):
    warehouse = warehouse or FakeWarehouse()
    engine = WarehouseEngine(host="https://adb-1.azuredatabricks.net", http_path="/sql/1.0/warehouses/abc",
                             credentials=lambda: (lambda: {"Authorization": "Bearer sp"}),
                             connect=warehouse.connect, **kw)
    return engine, warehouse


def test_sql_goes_as_written_with_native_params():
    engine, warehouse = make_engine()
    sql = 'SELECT * FROM system.access.audit WHERE action_name = "changeAppsAcl" AND event_date >= :start'
    engine.run(sql, {"start": "2026-11-01"}, query="apps/acl")
    assert warehouse.connections[0].log == [(sql, {"start": "2026-11-01"})]
    assert warehouse.kwargs["http_path"] == "/sql/1.0/warehouses/abc"
    assert warehouse.kwargs["session_configuration"] == {"STATEMENT_TIMEOUT": "60"}
    assert "credentials_provider" in warehouse.kwargs and "access_token" not in warehouse.kwargs


def test_user_token_is_used_instead_of_the_service_principal():
    engine, warehouse = make_engine(access_token=TOKEN)
    engine.run("SELECT 1")
    assert warehouse.kwargs["access_token"] == TOKEN and "credentials_provider" not in warehouse.kwargs
    assert TOKEN not in repr(engine)


def test_row_cap_and_truncation():
    engine, _ = make_engine(FakeWarehouse(pa.table({"n": list(range(10))})), row_cap=4)
    result = engine.run("SELECT n FROM t")
    assert result.frame["n"].tolist() == [0, 1, 2, 3] and result.truncated


def test_connector_decimals_become_int64_and_float64():
    table = pa.table({"events": pa.array([Decimal(3), Decimal(12)], pa.decimal128(38, 0)),
                      "share": pa.array([Decimal("0.25"), Decimal("0.75")], pa.decimal128(10, 2))})
    engine, _ = make_engine(FakeWarehouse(table))
    frame = engine.run("SELECT events, share FROM t").frame
    assert str(frame["events"].dtype) == "int64" and str(frame["share"].dtype) == "float64"
    assert frame["share"].tolist() == [0.25, 0.75]


def _assert_token_nowhere(err: QueryError, logged: str) -> None:
    for text in (str(err), err.cause, repr(err), logged):
        assert TOKEN not in text and "Bearer eyJ" not in text
    # The connector's exception (which quoted the token) is neither the cause nor the context.
    assert err.__cause__ is None and err.__context__ is None


def test_a_connect_error_quoting_the_token_is_scrubbed(caplog):
    echo = OSError(f"Max retries exceeded with url /sql/1.0?access_token={TOKEN}: Connection refused "
                   f"(headers {{'Authorization': 'Bearer {TOKEN}'}})")
    engine, _ = make_engine(FakeWarehouse(connect_error=echo), access_token=TOKEN)
    with caplog.at_level(logging.DEBUG), pytest.raises(QueryError) as err:
        engine.run("SELECT 1", query="overview/tiles")
    assert err.value.kind == "connection" and "cannot reach the SQL warehouse" in err.value.cause
    assert "Connection refused" in err.value.cause  # the useful part of the message survives
    _assert_token_nowhere(err.value, caplog.text)


def test_a_statement_error_quoting_the_token_or_a_bearer_header_is_scrubbed(caplog):
    warehouse = FakeWarehouse()
    warehouse.errors = [RuntimeError(f"[INSUFFICIENT_PERMISSIONS] token {TOKEN} may not read main.x.y"),
                        RuntimeError("Error during request: header Authorization: Bearer eyJhbGciOi.J9x-y_z")]
    engine, _ = make_engine(warehouse, access_token=TOKEN)
    for query in ("tracker/events", "tracker/users"):
        with caplog.at_level(logging.DEBUG), pytest.raises(QueryError) as err:
            engine.run("SELECT * FROM main.x.y", query=query)
        _assert_token_nowhere(err.value, caplog.text)
    assert "INSUFFICIENT_PERMISSIONS" in caplog.text and "Bearer ***" in caplog.text


def test_scrub_removes_tokens_pats_and_token_parameters():
    text = scrub(f"a {TOKEN} b Bearer abc.def c dapi0123456789abcdef0123 d ?token=xyz&e=1", [TOKEN])
    assert text == "a *** b Bearer *** c *** d ?token=***&e=1"


def test_missing_table_error_is_classified():
    warehouse = FakeWarehouse()
    warehouse.errors = [RuntimeError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`x`.`y` cannot be found.")]
    engine, _ = make_engine(warehouse)
    with pytest.raises(QueryError) as err:
        engine.run("SELECT * FROM main.x.y", query="tracker/events")
    assert err.value.kind == "missing_table" and err.value.query == "tracker/events"


def test_sequential_queries_reuse_one_connection():
    engine, warehouse = make_engine()
    for _ in range(5):
        engine.run("SELECT 1")
    assert len(warehouse.connections) == 1 and len(warehouse.connections[0].log) == 5


def test_concurrent_queries_open_at_most_pool_size_connections():
    warehouse = FakeWarehouse()
    warehouse.hold = threading.Event()
    engine, _ = make_engine(warehouse, pool_size=3)
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(engine.run, "SELECT 1") for _ in range(8)]
        for _ in range(3):
            assert warehouse.running.acquire(timeout=5)
        assert not warehouse.running.acquire(timeout=0.2)  # the fourth waits for a connection
        warehouse.hold.set()
        assert all(len(f.result(timeout=5)) == 3 for f in futures)
    assert len(warehouse.connections) == 3


def test_eight_concurrent_queries_on_the_default_pool():
    warehouse = FakeWarehouse()
    warehouse.hold = threading.Event()
    engine, _ = make_engine(warehouse)
    assert engine.pool_size == 8
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(engine.run, "SELECT 1") for _ in range(8)]
        for _ in range(8):  # all eight run at once: the pool does not serialise them
            assert warehouse.running.acquire(timeout=5)
        warehouse.hold.set()
        [f.result(timeout=5) for f in futures]
    assert len(warehouse.connections) == 8


def test_close_closes_idle_connections_now_and_borrowed_ones_when_returned():
    warehouse = FakeWarehouse()
    engine, _ = make_engine(warehouse, pool_size=2)
    engine.run("SELECT 1")
    idle = warehouse.connections[0]
    warehouse.hold = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        busy = pool.submit(engine.run, "SELECT 2")  # reuses the idle connection
        assert warehouse.running.acquire(timeout=5)
        other = engine._pool.acquire(1)  # a second, idle one
        engine._pool.release(other)
        engine.close()
        assert other.conn.closed and not idle.closed  # `idle` is the borrowed one now
        warehouse.hold.set()
        busy.result(timeout=5)
    assert idle.closed and all(c.closed for c in warehouse.connections)
    warehouse.hold = None
    engine.run("SELECT 3")  # a closed engine reopens lazily
    assert len(warehouse.connections) == 3 and not warehouse.connections[-1].closed


def test_a_connection_that_failed_is_discarded_and_the_next_query_opens_a_new_one():
    warehouse = FakeWarehouse()
    warehouse.errors = [RuntimeError("Error during request to server: Connection reset by peer")]
    engine, _ = make_engine(warehouse)
    with pytest.raises(QueryError) as err:
        engine.run("SELECT 1")
    assert err.value.kind == "connection" and warehouse.connections[0].closed
    engine.run("SELECT 1")
    assert len(warehouse.connections) == 2 and not warehouse.connections[1].closed


def test_a_query_error_keeps_the_connection():
    warehouse = FakeWarehouse()
    warehouse.errors = [RuntimeError("[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'")]
    engine, _ = make_engine(warehouse)
    with pytest.raises(QueryError) as err:
        engine.run("SELEC 1")
    assert err.value.kind == "syntax"
    engine.run("SELECT 1")
    assert len(warehouse.connections) == 1 and not warehouse.connections[0].closed


def test_an_expired_pooled_session_is_retried_once_on_a_new_one():
    warehouse = FakeWarehouse()
    engine, _ = make_engine(warehouse)
    engine.run("SELECT 1")
    warehouse.errors = [RuntimeError("Invalid SessionHandle: SessionHandle [01ef] not found")]
    assert len(engine.run("SELECT 2")) == 3
    first, second = warehouse.connections
    assert first.closed and second.log == [("SELECT 2", {})]


def test_pool_exhaustion_is_a_timeout_that_says_so():
    warehouse = FakeWarehouse()
    warehouse.hold = threading.Event()
    engine, _ = make_engine(warehouse, pool_size=1)
    with ThreadPoolExecutor(1) as pool:
        busy = pool.submit(engine.run, "SELECT 1")
        assert warehouse.running.acquire(timeout=5)
        started = time.perf_counter()
        with pytest.raises(QueryError) as err:
            engine.run("SELECT 2", query="home/tiles", timeout_s=0.3)
        waited = time.perf_counter() - started
        warehouse.hold.set()
        busy.result(timeout=5)
    assert err.value.kind == "timeout" and "pool exhausted" in err.value.cause
    assert 0.25 <= waited < 2


def test_a_shorter_per_query_limit_cancels_the_statement_client_side():
    warehouse = FakeWarehouse()
    warehouse.hold = threading.Event()  # never set: only a cancel ends the statement
    engine, _ = make_engine(warehouse)
    started = time.perf_counter()
    with pytest.raises(QueryError) as err:
        engine.run("SELECT slow()", query="apps/usage", timeout_s=0.2)
    assert err.value.kind == "timeout" and "0.2 s" in err.value.cause and warehouse.cancels == 1
    assert time.perf_counter() - started < 2
    # A cancel costs no session: the connection is reused, and nothing else was sent to it.
    warehouse.hold = None
    engine.run("SELECT 1")
    assert len(warehouse.connections) == 1
    assert [sql for sql, _ in warehouse.connections[0].log] == ["SELECT slow()", "SELECT 1"]


def test_a_longer_per_query_limit_sets_and_restores_the_session_timeout():
    engine, warehouse = make_engine()
    engine.run("SELECT 1")  # the common case: no extra statement
    engine.run("SELECT big()", timeout_s=300)
    assert [sql for sql, _ in warehouse.connections[0].log] == [
        "SELECT 1", "SET STATEMENT_TIMEOUT = 300", "SELECT big()", "SET STATEMENT_TIMEOUT = 60"]
    assert warehouse.cancels == 0


def test_a_connection_whose_timeout_could_not_be_restored_is_discarded():
    engine, warehouse = make_engine()
    warehouse.errors = [None, None, RuntimeError("[INTERNAL_ERROR] could not set")]  # SET, query, reset
    engine.run("SELECT big()", timeout_s=300)
    engine.run("SELECT 1")
    assert warehouse.connections[0].closed and len(warehouse.connections) == 2


def test_from_settings_builds_the_http_path_and_pool_from_settings(monkeypatch):
    # A closed local port: the SDK's host-metadata probe fails fast instead of reaching the internet.
    monkeypatch.setenv("DATABRICKS_HOST", "http://127.0.0.1:9")
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-test")
    for var in ("DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET", "DATABRICKS_CONFIG_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    warehouse = FakeWarehouse(pa.table({"a": [1]}))
    settings = load_settings({"DATABRICKS_WAREHOUSE_ID": "w123", "TELEMETRY_QUERY_TIMEOUT_SECONDS": "1",
                              "TELEMETRY_MAX_CONCURRENT_QUERIES": "3"})
    engine = WarehouseEngine.from_settings(settings, connect=warehouse.connect)
    engine.run("SELECT 1 AS a")
    seen = warehouse.kwargs
    assert seen["http_path"] == "/sql/1.0/warehouses/w123"
    assert seen["session_configuration"] == {"STATEMENT_TIMEOUT": "1"}
    assert seen["server_hostname"] == "http://127.0.0.1:9"
    assert seen["credentials_provider"]()()["Authorization"] == "Bearer dapi-test"
    assert engine.pool_size == 3


@pytest.fixture()
def simulated(tmp_path):
    """A simulated warehouse (real SQL on DuckDB) whose current catalog is `workspace`."""
    path = tmp_path / "mirror.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA system__access; CREATE TABLE system__access.audit(event_time TIMESTAMP, "
                "action_name VARCHAR)")
    con.execute('CREATE SCHEMA "workspace__Ops"; CREATE TABLE "workspace__Ops"."Rollup"(day DATE, "Users" BIGINT)')
    con.close()
    with SimulatedWarehouse(path, latency_s=0, connect_s=0) as warehouse:
        yield warehouse


@pytest.mark.parametrize("name", ["system.access.audit", "System.ACCESS.Audit", "`system`.`access`.`audit`"])
def test_table_columns_ignores_case_and_quotes(simulated, name):
    engine = simulated.engine()
    assert engine.table_columns(name) == {"event_time": "timestamp", "action_name": "varchar"}


@pytest.mark.parametrize("name", ["ops.rollup", "Ops.Rollup", "WORKSPACE.ops.ROLLUP"])
def test_two_part_names_are_looked_up_in_the_current_catalog(simulated, name):
    assert simulated.engine().table_columns(name) == {"day": "date", "Users": "bigint"}


@pytest.mark.parametrize("name", ["system.access.nope", "access.audit", "other.ops.rollup", "audit", "a.b.c.d"])
def test_table_columns_is_none_for_missing_tables(simulated, name):
    assert simulated.engine().table_columns(name) is None
