"""The warehouse engine against a fake DB-API connection: SQL as written, native parameters."""

import pyarrow as pa
import pytest

from telemetry.config import load_settings
from telemetry.engine.base import QueryError
from telemetry.engine.warehouse import WarehouseEngine


class FakeCursor:
    def __init__(self, log, table, error):
        self.log, self.table, self.error = log, table, error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, operation, parameters=None):
        self.log.append((operation, parameters))
        if self.error:
            raise self.error

    def fetchmany_arrow(self, n):
        return self.table.slice(0, n)


class FakeConnection:
    def __init__(self, table, error=None):
        self.log, self.table, self.error, self.closed = [], table, error, False

    def cursor(self):
        return FakeCursor(self.log, self.table, self.error)

    def close(self):
        self.closed = True


def make_engine(table=None, error=None, connect_error=None, **kw):
    conn = FakeConnection(table if table is not None else pa.table({"n": [1, 2, 3]}), error)
    seen = {}

    def connect(**kwargs):
        seen.update(kwargs)
        if connect_error:
            raise connect_error
        return conn

    engine = WarehouseEngine(host="https://adb-1.azuredatabricks.net", http_path="/sql/1.0/warehouses/abc",
                             credentials=lambda: (lambda: {"Authorization": "Bearer sp"}),
                             connect=connect, **kw)
    return engine, conn, seen


def test_sql_goes_as_written_with_native_params():
    engine, conn, seen = make_engine()
    sql = 'SELECT * FROM system.access.audit WHERE action_name = "changeAppsAcl" AND event_date >= :start'
    engine.run(sql, {"start": "2026-11-01"}, query="apps/acl")
    assert conn.log == [(sql, {"start": "2026-11-01"})]
    assert seen["http_path"] == "/sql/1.0/warehouses/abc"
    assert seen["session_configuration"] == {"STATEMENT_TIMEOUT": "60"}
    assert "credentials_provider" in seen and "access_token" not in seen


def test_user_token_is_used_instead_of_the_service_principal():
    engine, _, seen = make_engine(access_token="user-token-xyz")
    engine.run("SELECT 1")
    assert seen["access_token"] == "user-token-xyz" and "credentials_provider" not in seen


def test_row_cap_and_truncation():
    engine, _, _ = make_engine(table=pa.table({"n": list(range(10))}), row_cap=4)
    result = engine.run("SELECT n FROM t")
    assert result.frame["n"].tolist() == [0, 1, 2, 3] and result.truncated


def test_unreachable_warehouse_is_a_clear_error_without_the_token():
    engine, _, _ = make_engine(access_token="secret-token",
                               connect_error=OSError("Max retries exceeded: Connection refused"))
    with pytest.raises(QueryError) as err:
        engine.run("SELECT 1", query="overview/tiles")
    assert err.value.kind == "connection" and "cannot reach the SQL warehouse" in err.value.cause
    assert "secret-token" not in str(err.value)


def test_missing_table_error_is_classified():
    error = RuntimeError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`x`.`y` cannot be found.")
    engine, _, _ = make_engine(error=error)
    with pytest.raises(QueryError) as err:
        engine.run("SELECT * FROM main.x.y", query="tracker/events")
    assert err.value.kind == "missing_table" and err.value.query == "tracker/events"


def test_from_settings_builds_the_http_path_from_the_warehouse_id(monkeypatch):
    # A closed local port: the SDK's host-metadata probe fails fast instead of reaching the internet.
    monkeypatch.setenv("DATABRICKS_HOST", "http://127.0.0.1:9")
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-test")
    for var in ("DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET", "DATABRICKS_CONFIG_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    seen = {}
    settings = load_settings({"DATABRICKS_WAREHOUSE_ID": "w123", "TELEMETRY_QUERY_TIMEOUT_SECONDS": "1"})
    engine = WarehouseEngine.from_settings(
        settings, connect=lambda **kw: seen.update(kw) or FakeConnection(pa.table({"a": [1]})))
    engine.run("SELECT 1 AS a")
    assert seen["http_path"] == "/sql/1.0/warehouses/w123"
    assert seen["session_configuration"] == {"STATEMENT_TIMEOUT": "1"}
    assert seen["server_hostname"] == "http://127.0.0.1:9"
    assert seen["credentials_provider"]()()["Authorization"] == "Bearer dapi-test"
