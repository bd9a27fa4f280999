"""The embedded engine against a real DuckDB file: translation, parameters, caps, limits, errors."""

import duckdb
import pytest

from telemetry.engine.base import QueryError
from telemetry.engine.embedded import EmbeddedEngine


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "t.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA system__access")
    con.execute("""CREATE TABLE system__access.audit AS
        SELECT i AS n, 'user' || (i % 7) || '@corp.com' AS email,
               MAP(['client_id'], ['app-' || (i % 3)]) AS request_params,
               TIMESTAMP '2026-11-01' + INTERVAL (i) MINUTE AS event_time
        FROM range(10000) t(i)""")
    con.close()
    engine = EmbeddedEngine(path, row_cap=100, timeout_s=5)
    yield engine
    engine.close()


def test_databricks_sql_runs_with_named_params_and_system_catalog(db):
    result = db.run("SELECT count(*) AS n FROM system.access.audit WHERE request_params['client_id'] = :cid",
                    {"cid": "app-1"}, query="t")
    assert result.frame["n"].tolist() == [3333]
    assert not result.truncated


def test_double_quoted_literal_is_a_string_not_a_column(db):
    result = db.run('SELECT count(*) AS n FROM system.access.audit WHERE request_params.client_id = "app-2"')
    assert result.frame["n"].tolist() == [3333]


def test_row_cap_sets_truncated_and_keeps_order(db):
    result = db.run("SELECT n FROM system.access.audit ORDER BY n DESC", row_cap=50)
    assert len(result.frame) == 50 and result.truncated
    assert result.frame["n"].tolist()[:3] == [9999, 9998, 9997]
    exact = db.run("SELECT n FROM system.access.audit WHERE n < 50", row_cap=50)
    assert len(exact.frame) == 50 and not exact.truncated


def test_values_never_become_sql(db):
    evil = "x' OR '1'='1"
    result = db.run("SELECT count(*) AS n FROM system.access.audit WHERE email = :e", {"e": evil})
    assert result.frame["n"].tolist() == [0]


def test_missing_table_is_one_clear_error(db):
    with pytest.raises(QueryError) as err:
        db.run("SELECT * FROM system.billing.usage", query="cost/daily")
    assert err.value.query == "cost/daily" and err.value.kind == "missing_table"
    assert "python -m telemetry demo" in err.value.cause


def test_syntax_error_is_a_query_error(db):
    with pytest.raises(QueryError) as err:
        db.run("SELEC nothing FROM", query="bad")
    assert err.value.kind == "syntax"


def test_time_limit_interrupts_a_long_query(db):
    with pytest.raises(QueryError) as err:
        db.run("SELECT count(*) FROM range(100000000000) a", timeout_s=0.3)
    assert err.value.kind == "timeout"


def test_missing_database_file_says_how_to_build_it(tmp_path):
    engine = EmbeddedEngine(tmp_path / "absent.duckdb")
    with pytest.raises(QueryError, match="python -m telemetry demo"):
        engine.run("SELECT 1")


def test_table_columns(db):
    cols = db.table_columns("system.access.audit")
    assert list(cols) == ["n", "email", "request_params", "event_time"]
    assert cols["request_params"].startswith("MAP")
    assert db.table_columns("system.access.nope") is None
