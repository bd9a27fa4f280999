"""The simulated warehouse: the real WarehouseEngine over DuckDB, with a round trip per statement."""

import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pytest

from telemetry.config import load_settings
from telemetry.engine.base import QueryError
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.engine.simulated import SimulatedServerError, SimulatedWarehouse, simulated_engine
from telemetry.engine.warehouse import WarehouseEngine, classify_warehouse_error

COUNT_BY_ACTION = ("SELECT action_name, count(*) AS n, sum(bytes) AS total FROM system.access.audit "
                   "WHERE event_date >= :start GROUP BY ALL ORDER BY action_name")


@pytest.fixture()
def db_path(tmp_path):
    path = tmp_path / "mirror.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA system__access")
    con.execute("""CREATE TABLE system__access.audit AS
        SELECT DATE '2026-11-01' + (i % 10)::INT AS event_date,
               ['login', 'createApp', 'deployApp'][i % 3 + 1] AS action_name,
               (i * 7)::BIGINT AS bytes
        FROM range(300) t(i)""")
    con.close()
    return path


@pytest.fixture()
def warehouse(db_path):
    with SimulatedWarehouse(db_path, latency_s=0.2, connect_s=0) as warehouse:
        yield warehouse


def test_results_equal_the_embedded_engines(db_path):
    embedded = EmbeddedEngine(db_path)
    try:
        expected = embedded.run(COUNT_BY_ACTION, {"start": "2026-11-05"}).frame
    finally:
        embedded.close()
    with SimulatedWarehouse(db_path, latency_s=0) as warehouse:
        engine = warehouse.engine()
        assert isinstance(engine, WarehouseEngine)
        actual = engine.run(COUNT_BY_ACTION, {"start": "2026-11-05"}).frame
    pd.testing.assert_frame_equal(actual, expected)
    assert str(actual["total"].dtype) == "int64"  # DuckDB's HUGEINT sum, normalised like the connector's


def test_latency_is_applied_per_statement_and_connecting_once(db_path):
    with SimulatedWarehouse(db_path, latency_s=0.2, connect_s=0.3) as warehouse:
        engine = warehouse.engine()
        started = time.perf_counter()
        for day in ("2026-11-01", "2026-11-05", "2026-11-09"):
            engine.run(COUNT_BY_ACTION, {"start": day}, query="audit/by_action")
        elapsed = time.perf_counter() - started
        statements = warehouse.statements
    assert 0.3 + 3 * 0.2 <= elapsed < 0.3 + 3 * 0.2 + 1.0
    assert warehouse.connections_opened == 1 and len(statements) == 3
    assert all(s.elapsed_s >= 0.2 and s.error is None and s.connection == 1 for s in statements)
    assert [s.params for s in statements][0] == {"start": "2026-11-01"} and statements[0].sql == COUNT_BY_ACTION


def test_concurrent_statements_overlap(warehouse):
    engine = warehouse.engine(pool_size=8)
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda day: engine.run(COUNT_BY_ACTION, {"start": day}),
                                [f"2026-11-0{d}" for d in range(1, 9)]))
    elapsed = time.perf_counter() - started
    assert all(len(r) == 3 for r in results)
    assert elapsed < 8 * 0.2 / 2  # well under the serial 1.6 s
    assert warehouse.peak_concurrency() >= 4 and warehouse.connections_opened <= 8


def test_a_small_pool_serialises_statements_and_bounds_connections(warehouse):
    engine = warehouse.engine(pool_size=2)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: engine.run("SELECT 1 AS one"), range(6)))
    assert warehouse.connections_opened == 2 and warehouse.peak_concurrency() == 2
    engine.close()
    assert warehouse.connections_closed == 2


def test_a_missing_table_reads_like_the_warehouse_and_is_classified(warehouse):
    engine = warehouse.engine()
    with pytest.raises(QueryError) as err:
        engine.run("SELECT * FROM system.access.nope", query="health/audit")
    assert err.value.kind == "missing_table" and "`system`.`access`.`nope`" in err.value.cause
    assert "TABLE_OR_VIEW_NOT_FOUND" in warehouse.statements[-1].error


def test_syntax_errors_and_writes_fail_like_a_warehouse(warehouse):
    engine = warehouse.engine()
    with pytest.raises(QueryError) as err:
        engine.run("SELEC 1")
    assert err.value.kind == "syntax"
    with pytest.raises(QueryError) as err:
        engine.run("CREATE TABLE system.access.copy AS SELECT 1 AS a")
    assert "read-only" in err.value.cause
    assert warehouse.connections_opened == 1  # neither error costs the session


def test_a_per_query_limit_cancels_during_the_round_trip(db_path):
    with SimulatedWarehouse(db_path, latency_s=1.0, connect_s=0) as warehouse:
        engine = warehouse.engine()
        started = time.perf_counter()
        with pytest.raises(QueryError) as err:
            engine.run("SELECT 1", timeout_s=0.1)
        assert time.perf_counter() - started < 0.6 and err.value.kind == "timeout"
        assert "OPERATION_CANCELED" in warehouse.statements[-1].error


def test_the_session_statement_timeout_is_enforced_and_a_longer_limit_is_set(db_path):
    settings = load_settings({"TELEMETRY_QUERY_TIMEOUT_SECONDS": "1"})
    with SimulatedWarehouse(db_path, latency_s=0.01, connect_s=0) as warehouse:
        engine = warehouse.engine(settings)
        slow = "SELECT count(*) AS n FROM range(20000000000) a"  # runs far longer than a second
        with pytest.raises(QueryError) as err:
            engine.run(slow)
        assert err.value.kind == "timeout" and "STATEMENT_TIMEOUT" in warehouse.statements[-1].error
        warehouse.reset()
        engine.run("SELECT 1 AS a", timeout_s=5)
        assert [s.sql for s in warehouse.statements] == [
            "SET STATEMENT_TIMEOUT = 5", "SELECT 1 AS a", "SET STATEMENT_TIMEOUT = 1"]


def test_cancel_on_a_raw_cursor_stops_duckdb(warehouse):
    conn = warehouse.connect(server_hostname="h", http_path="p", access_token="t")
    with conn.cursor() as cur:
        from threading import Timer

        Timer(0.4, cur.cancel).start()
        started = time.perf_counter()
        with pytest.raises(SimulatedServerError) as err:
            cur.execute("SELECT count(*) FROM range(20000000000) a")
    assert time.perf_counter() - started < 3 and "OPERATION_CANCELED" in str(err.value)
    assert classify_warehouse_error(err.value)[0] == "error"  # the engine reports its own cancels as timeouts


def test_the_dbapi_surface_the_engine_uses(warehouse):
    conn = warehouse.connect(server_hostname="h", http_path="p",
                             credentials_provider=lambda: (lambda: {"Authorization": "Bearer x"}))
    with conn.cursor() as cur:
        cur.execute("SELECT action_name FROM system.access.audit WHERE bytes < :b ORDER BY bytes", {"b": 30})
        assert cur.fetchmany_arrow(2).column("action_name").to_pylist() == ["login", "createApp"]
        assert cur.fetchmany_arrow(10).num_rows == 3
    conn.close()
    with pytest.raises(Exception, match="closed connection"):
        conn.cursor()
    assert warehouse.connections_closed == 1


def test_reset_forgets_statements_and_counts(warehouse):
    engine = warehouse.engine()
    engine.run("SELECT 1 AS a")
    warehouse.reset()
    assert warehouse.statements == [] and warehouse.connections_opened == 0
    engine.run("SELECT 1 AS a")  # the pooled connection is still open: no new one
    assert len(warehouse.statements) == 1 and warehouse.connections_opened == 0


def test_simulated_engine_factory(db_path):
    settings = load_settings({"TELEMETRY_ROW_CAP": "2", "TELEMETRY_MAX_CONCURRENT_QUERIES": "3"})
    engine = simulated_engine(db_path, latency_s=0, settings=settings)
    result = engine.run("SELECT action_name FROM system.access.audit")
    assert engine.pool_size == 3 and len(result) == 2 and result.truncated
