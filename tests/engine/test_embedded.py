"""The embedded engine against a real DuckDB file: translation, parameters, caps, limits, errors."""

import threading

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


# --- results cross the boundary normalised (telemetry.engine.arrow) ------------------------------------

def test_decimals_reach_pandas_as_int64_and_float64(db):
    """DuckDB sums BIGINTs into HUGEINT and keeps DECIMAL averages: pages get int64 and float64."""
    frame = db.run("SELECT sum(n) AS total, avg(CAST(n AS DECIMAL(10, 2))) AS mean, "
                   "CAST(1.25 AS DECIMAL(5, 2)) AS price FROM system.access.audit").frame
    assert {c: str(t) for c, t in frame.dtypes.items()} == {"total": "int64", "mean": "float64", "price": "float64"}
    assert frame.iloc[0].tolist() == [49995000, 4999.5, 1.25]


# --- INSERT INTO … REPLACE WHERE: one transaction ----------------------------------------------------------

REPLACE_DAYS = """INSERT INTO main.ops_console.daily REPLACE WHERE day BETWEEN :from_day AND :to_day
SELECT day, n FROM (SELECT day, :n AS n FROM range(:from_day, :to_day + 1) AS t(day))"""


@pytest.fixture()
def writer(tmp_path):
    """A read-write engine over a table of 10 days (day 0 … 9, n = day)."""
    engine = EmbeddedEngine(tmp_path / "w.duckdb", read_only=False, row_cap=100, timeout_s=5)
    engine.run("CREATE SCHEMA main__ops_console")
    engine.run("CREATE TABLE main.ops_console.daily (day BIGINT, n BIGINT)")
    engine.run("INSERT INTO main.ops_console.daily SELECT id, id FROM range(10) AS t(id)")
    yield engine
    engine.close()


def _days(engine: EmbeddedEngine) -> dict[int, int]:
    frame = engine.run("SELECT day, n FROM main.ops_console.daily ORDER BY day").frame
    return dict(zip(frame["day"].tolist(), frame["n"].tolist(), strict=True))


def test_replace_where_replaces_exactly_the_window(writer):
    writer.run(REPLACE_DAYS, {"from_day": 7, "to_day": 11, "n": 100})
    assert _days(writer) == {**{d: d for d in range(7)}, **{d: 100 for d in range(7, 12)}}
    writer.run(REPLACE_DAYS, {"from_day": 7, "to_day": 11, "n": 100})  # rerun: same rows, no duplicates
    assert _days(writer) == {**{d: d for d in range(7)}, **{d: 100 for d in range(7, 12)}}


def test_replace_where_that_fails_midway_leaves_the_old_rows(writer):
    """The SELECT raises after producing rows (a cast fails at day 5): nothing is deleted."""
    failing = """INSERT INTO main.ops_console.daily REPLACE WHERE day BETWEEN :from_day AND :to_day
    SELECT id, CAST(CASE WHEN id < 5 THEN '1' ELSE 'boom' END AS BIGINT) FROM range(:from_day, :to_day + 1) AS t(id)"""
    with pytest.raises(QueryError, match="boom"):
        writer.run(failing, {"from_day": 0, "to_day": 9}, query="rollup")
    assert _days(writer) == {d: d for d in range(10)}
    writer.run(REPLACE_DAYS, {"from_day": 0, "to_day": 1, "n": 5})  # the connection is usable again
    assert _days(writer)[0] == 5


def test_replace_where_stopped_by_the_time_limit_leaves_the_old_rows(writer):
    slow = """INSERT INTO main.ops_console.daily REPLACE WHERE day BETWEEN :from_day AND :to_day
    SELECT :from_day, count(*) FROM range(100000000000)"""
    with pytest.raises(QueryError) as err:
        writer.run(slow, {"from_day": 0, "to_day": 9}, timeout_s=0.3)
    assert err.value.kind == "timeout"
    assert _days(writer) == {d: d for d in range(10)}


def test_a_reader_during_replace_where_sees_the_old_rows_never_an_empty_window(writer):
    """The INSERT's SELECT calls `pause_insert`, which lets the test read (another cursor of the same
    connection) after the DELETE has run and before the COMMIT; then the new rows appear at once."""
    inserting, read_done, seen = threading.Event(), threading.Event(), {}

    def pause_insert(n: int) -> int:
        if not inserting.is_set():
            inserting.set()
            read_done.wait(10)
        return n

    writer._connection().create_function("pause_insert", pause_insert)  # a DuckDB UDF, visible to cursors
    statement = REPLACE_DAYS.replace("SELECT day, n FROM", "SELECT day, pause_insert(n) FROM")
    refresh = threading.Thread(target=writer.run, args=(statement, {"from_day": 0, "to_day": 9, "n": 42}))
    refresh.start()
    try:
        assert inserting.wait(10), "the INSERT never ran"
        seen.update(_days(writer))
    finally:
        read_done.set()
        refresh.join(10)
    assert seen == {d: d for d in range(10)}  # old rows while the new ones were being written
    assert _days(writer) == {d: 42 for d in range(10)}


def test_replace_where_needs_a_writable_database(db):
    with pytest.raises(QueryError, match="read-only"):
        db.run("INSERT INTO system.access.audit REPLACE WHERE n < 10 SELECT * FROM system.access.audit WHERE n < 10")
    assert db.run("SELECT count(*) AS n FROM system.access.audit").frame["n"].tolist() == [10000]


def test_a_second_writer_gets_a_message_not_a_traceback(tmp_path):
    """The embedded file has one writer: a job started while a console (another process) reads the
    file must say so in words (it raised DuckDB's IOException, a raw traceback in the CLI)."""
    import subprocess
    import sys

    import duckdb

    path = tmp_path / "db.duckdb"
    duckdb.connect(str(path)).close()
    reader = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                               f"con = duckdb.connect({str(path)!r}, read_only=True); print('ready', flush=True); "
                               "time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        with pytest.raises(QueryError) as caught:
            EmbeddedEngine(path, read_only=False).run("SELECT 1 AS x")
        assert caught.value.kind == "connection" and "one writer" in caught.value.cause
    finally:
        reader.kill()


def test_merge_star_matches_columns_by_name_as_databricks_does(tmp_path):
    """A table that gained a column later has it last; the source lists it elsewhere. Databricks'
    UPDATE SET * / INSERT * match by name, so must the translation (DuckDB's own * is by position)."""
    engine = EmbeddedEngine(tmp_path / "m.duckdb", read_only=False)
    engine.run("CREATE TABLE t (id STRING, title STRING)")
    engine.run("ALTER TABLE t ADD COLUMN owner STRING")
    engine.run("INSERT INTO t VALUES ('a', 'old', 'ann')")
    engine.run("MERGE INTO t USING (SELECT 'a' AS id, 'bob' AS owner, 'new' AS title UNION ALL "
               "SELECT 'b', 'cy', 'other') AS s ON t.id = s.id "
               "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
    rows = engine.run("SELECT id, title, owner FROM t ORDER BY id").frame.to_dict("records")
    engine.close()
    assert rows == [{"id": "a", "title": "new", "owner": "bob"}, {"id": "b", "title": "other", "owner": "cy"}]
