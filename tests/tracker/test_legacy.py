"""The drop-in legacy helpers: the calls existing apps make, now through the tracker. Rows are checked
in real engines — Spark playing the warehouse (through the connector stand-in) and the embedded DuckDB."""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from telemetry import tracker
from telemetry.tracker import legacy
from telemetry.tracker.legacy import Actions, get_usage_stats, track_error, track_user_action_simple
from tests.tracker.spark_dbapi import SparkConnector

DDL = ("`timestamp` TIMESTAMP, app_name STRING, `user` STRING, action STRING, event_id STRING, "
       "session_id STRING, properties STRING, duration_ms DOUBLE")
TOKEN = "dapi00112233445566778899"


@pytest.fixture(autouse=True)
def fresh_legacy():
    legacy.reset_legacy()
    yield
    legacy.reset_legacy()


@pytest.fixture
def warehouse(spark, monkeypatch, tmp_path):
    """The environment an existing app has, pointed at a fresh Spark table."""
    spark.sql("CREATE DATABASE IF NOT EXISTS tracker_legacy")
    table = f"tracker_legacy.events_{uuid.uuid4().hex[:8]}"
    spark.sql(f"CREATE TABLE {table} ({DDL}) USING parquet")
    for name, value in {"DATABRICKS_SERVER_HOSTNAME": "adb-1.example.net", "DATABRICKS_HTTP_PATH": "/sql/1.0/w/x",
                        "DATABRICKS_ACCESS_TOKEN": TOKEN, "TELEMETRY_TRACKER_TABLE": table,
                        "DATABRICKS_APP_NAME": "vanna", "TELEMETRY_TRACKER_SPOOL": str(tmp_path / "spool")}.items():
        monkeypatch.setenv(name, value)
    return table


def _configure(connector: SparkConnector, **options) -> tracker.Tracker:
    defaults = {"interval_s": 3600, "retry_after_s": 0.05, "write_timeout_s": 30, "exit_timeout_s": 30}
    return legacy.configure_legacy(connect=connector.connect, **{**defaults, **options})


def test_the_three_helpers_write_and_read_the_warehouse_table(spark, warehouse):
    connector = SparkConnector(spark)
    t = _configure(connector)
    for _ in range(3):
        track_user_action_simple("ann@corp.com", Actions.GENERATE_QUESTION)
    track_user_action_simple("ann@corp.com", Actions.EDIT_SQL)
    track_user_action_simple("bob@corp.com", "custom_action")
    track_user_action_simple(None, None)
    track_error("ann@corp.com", Actions.SQL_ERROR, "Test SQL error message")
    old = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=40)  # outside 30 days
    spark.sql(f"INSERT INTO {warehouse} (`timestamp`, app_name, `user`, action) VALUES "
              f"(TIMESTAMP'{old:%Y-%m-%d %H:%M:%S}', 'vanna', 'ann@corp.com', 'question_asked'), "
              "(current_timestamp(), 'other-app', 'ann@corp.com', 'question_asked')")
    t.flush()
    rows = spark.sql(f"SELECT * FROM {warehouse} WHERE app_name = 'vanna' AND `timestamp` > "
                     f"TIMESTAMP'{old:%Y-%m-%d %H:%M:%S}'").collect()
    assert sorted((r.user or "", r.action) for r in rows) == [
        ("", "unknown_action"), ("ann@corp.com", "error:sql_error"), ("ann@corp.com", "question_asked"),
        ("ann@corp.com", "question_asked"), ("ann@corp.com", "question_asked"), ("ann@corp.com", "sql_edited"),
        ("bob@corp.com", "custom_action")]
    error = next(r for r in rows if r.action == "error:sql_error")
    assert json.loads(error.properties) == {"message": "Test SQL error message"}
    today = datetime.now(UTC).date()
    assert get_usage_stats("ann@corp.com", days=30) == [
        {"action": "question_asked", "count": 3, "date": today},
        {"action": "error:sql_error", "count": 1, "date": today},
        {"action": "sql_edited", "count": 1, "date": today}]
    assert len(get_usage_stats(days=30)) == 5 and len(get_usage_stats("ann@corp.com", days=45)) == 4
    read = connector.connects[-1]
    assert read["access_token"] == TOKEN and read["server_hostname"] == "adb-1.example.net"


def test_calls_do_not_wait_for_a_hanging_warehouse_and_nothing_is_lost(spark, warehouse):
    connector = SparkConnector(spark, fail_statement=lambda sql, p: time.sleep(0.5) or None)  # a slow warehouse
    t = _configure(connector, interval_s=0.05)
    started = time.perf_counter()
    for i in range(2000):
        track_user_action_simple(f"u{i % 10}@corp.com", Actions.EXECUTE_SQL)
    per_call_us = (time.perf_counter() - started) / 2000 * 1e6
    assert per_call_us < 200, per_call_us  # microseconds, not a round trip per call
    legacy.reset_legacy()  # the app exits: the tracker flushes what is left
    assert t.stats().dropped == 0
    assert spark.sql(f"SELECT count(*) FROM {warehouse}").collect()[0][0] == 2000


def test_an_unreachable_warehouse_gives_empty_stats_and_spools_the_events(spark, warehouse, caplog):
    connector = SparkConnector(spark, fail_connects=10**6, connect_error=lambda kw: ConnectionError(
        f"Max retries exceeded; token={kw['access_token']}"))
    t = _configure(connector)
    track_user_action_simple("ann@corp.com", Actions.APP_START)
    with caplog.at_level(logging.WARNING, logger="telemetry.tracker"):
        assert get_usage_stats("ann@corp.com", 7) == []
        t.flush()
    assert t.stats().spool_waiting == 1 and t.stats().written == 0
    assert "returning no stats" in caplog.text and TOKEN not in caplog.text
    connector.fail_connects = 0
    time.sleep(0.1)
    t.flush()
    assert t.stats().spool_waiting == 0 and spark.sql(f"SELECT count(*) FROM {warehouse}").collect()[0][0] == 1


def test_bad_input_never_raises(spark, warehouse, caplog):
    _configure(SparkConnector(spark))
    with caplog.at_level(logging.WARNING, logger="telemetry.tracker"):
        assert get_usage_stats("ann@corp.com", days="a week") == []
    assert "not a whole number of days" in caplog.text
    track_error(object(), None, object())  # nonsense in: an event out, no exception


def test_a_bad_table_setting_keeps_events_in_the_spool_instead_of_dropping_them(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("TELEMETRY_TRACKER_TABLE", "main.x.events; DROP TABLE y")
    monkeypatch.setenv("TELEMETRY_TRACKER_SPOOL", str(tmp_path / "spool"))
    with caplog.at_level(logging.ERROR, logger="telemetry.tracker"):
        track_user_action_simple("ann@corp.com", "app_start")  # configures from the environment
    assert "TELEMETRY_TRACKER_TABLE" in caplog.text and "is not a table name" in caplog.text
    current = tracker._current
    current.flush()
    assert current.stats().spool_waiting == 1 and current.stats().dropped == 0


def test_without_warehouse_settings_the_first_call_tracks_into_the_embedded_database(monkeypatch, tmp_path):
    db = tmp_path / "t.duckdb"
    with duckdb.connect(str(db)) as con:  # the classic four-column table existing apps have
        con.execute("CREATE SCHEMA main__ops_console")
        con.execute('CREATE TABLE main__ops_console.app_events ("timestamp" TIMESTAMP, app_name VARCHAR, '
                    '"user" VARCHAR, action VARCHAR)')
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(db))
    monkeypatch.setenv("TELEMETRY_TRACKER_SPOOL", str(tmp_path / "spool"))
    monkeypatch.setenv("TELEMETRY_APP_NAME", "local-app")
    track_user_action_simple("ann@corp.com", Actions.DOWNLOAD_RESULTS)
    track_user_action_simple("ann@corp.com", Actions.DOWNLOAD_RESULTS)
    track_error("ann@corp.com", "llm_error", "429")
    tracker._current.flush()
    today = datetime.now(UTC).date()
    assert get_usage_stats("ann@corp.com", 1) == [{"action": "results_downloaded", "count": 2, "date": today},
                                                  {"action": "error:llm_error", "count": 1, "date": today}]
    assert isinstance(get_usage_stats(days=0)[0]["date"], date)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT app_name FROM main__ops_console.app_events").fetchall() == [("local-app",)]


def test_an_app_that_configured_the_tracker_itself_shares_it(tmp_path):
    class Memory:
        def __init__(self):
            self.events = []

        def write(self, events):
            self.events += events

    sink = Memory()
    t = tracker.configure("my-app", sink, spool_dir=tmp_path / "spool", interval_s=3600)
    track_user_action_simple("ann@corp.com", Actions.SELECT_COLUMNS)
    tracker.track(Actions.PAGE_VIEW, user="ann@corp.com")
    t.flush()
    assert [(e.app_name, e.action) for e in sink.events] == [("my-app", "columns_selected"), ("my-app", "page_view")]
    assert get_usage_stats("ann@corp.com") == []  # this sink cannot be read back: no stats, no exception
