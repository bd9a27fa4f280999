"""The Databricks SQL sink, driven for real: its statements run on local Spark (which binds `:name`
parameters natively, as a SQL warehouse does) through a stand-in for the connector's `connect`."""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import datetime, timedelta

import pytest

from telemetry.config import ConfigError
from telemetry.tracker import layout as layouts
from telemetry.tracker.client import Tracker
from telemetry.tracker.events import Event
from telemetry.tracker.layout import LayoutError
from telemetry.tracker.warehouse_sink import DatabricksSqlSink, SinkError
from tests.fakes.server import FakeDatabricks
from tests.tracker.spark_dbapi import SparkConnector

CLASSIC_DDL = "`timestamp` TIMESTAMP, app_name STRING, `user` STRING, action STRING"
EXTENDED_DDL = CLASSIC_DDL + ", event_id STRING, session_id STRING, properties STRING, duration_ms DOUBLE"
T0 = datetime(2026, 9, 10, 8, 0, 0, 123456)


@pytest.fixture(scope="module")
def schema(spark):
    spark.sql("CREATE DATABASE IF NOT EXISTS tracker_sink")
    return "tracker_sink"


def _table(spark, schema, ddl: str) -> str:
    name = f"{schema}.t_{uuid.uuid4().hex[:10]}"
    spark.sql(f"CREATE TABLE {name} ({ddl}) USING parquet")
    return name


def _events(n: int, *, start: datetime = T0, app: str = "app") -> list[Event]:
    return [Event(f"action_{i % 3}", app, f"u{i % 4}@corp.com", timestamp=start + timedelta(milliseconds=i),
                  session_id=f"s{i % 2}", properties=json.dumps({"i": i}), duration_ms=i / 2)
            for i in range(n)]


def _names(ddl: str) -> list[str]:
    return ddl.replace("`", "").split(" ")[0::2]


def _sink(connector: SparkConnector, table: str, **options) -> DatabricksSqlSink:
    return DatabricksSqlSink(table, server_hostname="adb-1.example.net", http_path="/sql/1.0/warehouses/x",
                             access_token="dapi0123456789abcdef0123", connect=connector.connect, **options)


def _count(spark, table: str) -> int:
    return spark.sql(f"SELECT count(*) FROM {table}").collect()[0][0]


# --- layout ----------------------------------------------------------------------------------------

def test_layouts_are_told_apart_by_their_columns():
    classic = layouts.detect(["Timestamp", "APP_NAME", "user", "action", "region"])
    assert (classic.kind, classic.columns, classic.dedups) == ("classic", ("timestamp", "app_name", "user", "action"),
                                                               False)
    partial = layouts.detect(["timestamp", "app_name", "user", "action", "properties", "duration_ms"])
    assert (partial.kind, partial.extras, partial.dedups) == ("extended", ("properties", "duration_ms"), False)
    assert "no event_id" in layouts.describe(partial) and "could add event_id, session_id" in layouts.describe(partial)
    full = layouts.detect(_names(EXTENDED_DDL))
    assert full.dedups and "deduplicated by event_id" in layouts.describe(full)
    assert layouts.upgrade_statement("main.s.t", partial) == (
        "ALTER TABLE main.s.t ADD COLUMNS (event_id STRING, session_id STRING)")
    broken = layouts.detect(["ts", "app_name", "action"])
    assert broken.missing == ("timestamp", "user") and not broken.usable
    assert layouts.describe(broken).startswith(
        "not a tracker table: the table is missing the column(s) timestamp, user")


def test_a_bad_table_name_is_refused_before_any_sql_is_built():
    with pytest.raises(ConfigError, match="is not a table name"):
        DatabricksSqlSink("main.s.t; DROP TABLE x", http_path="/sql/1.0/warehouses/x")
    with pytest.raises(ValueError, match="needs http_path"):
        DatabricksSqlSink("main.s.t")


# --- writes --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["json", "values"])
def test_a_classic_table_gets_its_four_columns(spark, schema, form):
    table = _table(spark, schema, CLASSIC_DDL)
    connector = SparkConnector(spark)
    sink = _sink(connector, table, form=form)
    events = _events(10)
    events[3] = Event("question_asked", "app", None, timestamp=T0)  # a NULL user goes in as NULL
    sink.write(events)
    rows = spark.sql(f"SELECT * FROM {table} ORDER BY `user` NULLS FIRST, action").collect()
    assert len(rows) == 10 and rows[0].asDict() == {"timestamp": T0, "app_name": "app", "user": None,
                                                    "action": "question_asked"}
    assert connector.statements[0][0] == f"SELECT * FROM {table} LIMIT 0" and len(connector.inserts()) == 1
    assert "NOT EXISTS" not in connector.inserts()[0]


@pytest.mark.parametrize("form", ["json", "values"])
def test_an_extended_table_gets_every_column_and_a_replayed_batch_adds_nothing(spark, schema, form):
    table = _table(spark, schema, EXTENDED_DDL)
    connector = SparkConnector(spark)
    sink = _sink(connector, table, form=form)
    events = _events(40)
    sink.write(events)
    sink.write(events)  # the replay of a batch whose first write did land
    sink.write(events[:5] + _events(3, start=T0 + timedelta(hours=1)))  # part replayed, part new
    rows = {r.event_id: r for r in spark.sql(f"SELECT * FROM {table}").collect()}
    assert len(rows) == 43
    first = rows[events[7].event_id]
    assert (first.timestamp, first.app_name, first.user, first.action, first.session_id, first.duration_ms) == (
        events[7].timestamp, "app", "u3@corp.com", "action_1", "s1", 3.5)
    assert json.loads(first.properties) == {"i": 7}
    assert all("NOT EXISTS" in sql for sql in connector.inserts())


def test_values_are_bound_never_pasted(spark, schema):
    table = _table(spark, schema, EXTENDED_DDL)
    connector = SparkConnector(spark)
    nasty = "x'); DROP TABLE users; --"
    for form in ("json", "values"):
        _sink(connector, table, form=form).write([Event(nasty, "app", nasty, properties=json.dumps({"q": nasty}))])
    assert [r.action for r in spark.sql(f"SELECT action FROM {table}").collect()] == [nasty, nasty]
    assert all(nasty not in sql for sql in connector.inserts())


def test_chunks_stay_under_the_parameter_limits_and_every_row_arrives(spark, schema):
    table = _table(spark, schema, EXTENDED_DDL)
    connector = SparkConnector(spark)
    events = _events(100)
    _sink(connector, table, form="values").write(events)  # 8 markers a row: 31 rows a statement
    assert len(connector.inserts()) == 4 and all(len(p) <= 255 for sql, p in connector.statements)
    big = [Event("page_view", "app", "u@corp.com", timestamp=T0 + timedelta(minutes=1, milliseconds=i),
                 properties=json.dumps({"pad": "x" * 30_000})) for i in range(12)]
    connector.statements.clear()
    sink = _sink(connector, table, form="json", max_parameter_bytes=100_000)
    sink.write(big)  # ~30 kB an event: three a statement
    assert len(connector.inserts()) == 4
    assert all(len(p["rows"].encode()) <= 100_000 for sql, p in connector.statements if "rows" in p)
    assert _count(spark, table) == 112


def test_an_event_too_big_for_any_statement_keeps_its_row_but_not_its_properties(spark, schema, caplog):
    table = _table(spark, schema, EXTENDED_DDL)
    sink = _sink(SparkConnector(spark), table, max_parameter_bytes=20_000)
    huge = Event("chart_generated", "app", "u@corp.com", properties=json.dumps({"spec": "y" * 50_000}))
    with caplog.at_level(logging.WARNING, logger="telemetry.tracker"):
        sink.write([huge, *_events(3)])
    row = spark.sql(f"SELECT properties FROM {table} WHERE event_id = '{huge.event_id}'").collect()[0]
    assert json.loads(row.properties)["_properties_dropped_bytes"] > 50_000 and sink.truncated_events == 1
    assert _count(spark, table) == 4 and "exceeds the statement limit" in caplog.text


def test_a_table_missing_a_classic_column_gives_a_clear_error(spark, schema):
    table = _table(spark, schema, "`timestamp` TIMESTAMP, app_name STRING, action STRING")
    with pytest.raises(LayoutError, match=r"missing the column\(s\) user: a tracker table needs timestamp, "
                                          r"app_name, user, action \(found: timestamp, app_name, action\)"):
        _sink(SparkConnector(spark), table).write(_events(1))


def test_the_layout_is_read_again_after_a_failure(spark, schema):
    table = _table(spark, schema, EXTENDED_DDL)
    connector = SparkConnector(spark)
    sink = _sink(connector, table)
    sink.write(_events(2))
    spark.sql(f"DROP TABLE {table}")
    spark.sql(f"CREATE TABLE {table} ({CLASSIC_DDL}) USING parquet")  # recreated without the extras
    with pytest.raises(SinkError, match="cannot be resolved|UNRESOLVED_COLUMN"):
        sink.write(_events(2))
    sink.write(_events(3))
    assert _count(spark, table) == 3 and len(connector.connects) == 2  # reconnected after the failure
    assert sink.layout().kind == "classic"


def test_a_partial_write_replayed_adds_only_what_was_missing(spark, schema):
    table = _table(spark, schema, EXTENDED_DDL)
    inserts = []

    def second_insert_fails(sql, params):
        if not sql.startswith("INSERT"):
            return None
        inserts.append(sql)
        return ConnectionError("connection reset by peer") if len(inserts) == 2 else None

    connector = SparkConnector(spark, fail_statement=second_insert_fails)
    sink = _sink(connector, table, form="values")
    events = _events(70)  # three statements: 31 + 31 + 8
    with pytest.raises(SinkError, match="connection"):
        sink.write(events)
    assert _count(spark, table) == 31
    sink.write(events)
    assert _count(spark, table) == 70


def test_a_token_in_an_error_never_leaves_the_sink(spark, schema, caplog):
    token = "dapi0123456789abcdef0123"
    connector = SparkConnector(spark, fail_connects=1, connect_error=lambda kw: ConnectionError(
        f"401 for https://host/sql?access_token={kw['access_token']} Authorization: Bearer {kw['access_token']}"))
    sink = _sink(connector, _table(spark, schema, CLASSIC_DDL))
    with pytest.raises(SinkError) as caught:
        sink.write(_events(1))
    assert token not in str(caught.value) and "***" in str(caught.value)
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert connector.connects[0]["access_token"] == token and "credentials_provider" not in connector.connects[0]


def test_without_a_token_the_sdk_config_supplies_host_and_credentials(spark, schema, monkeypatch):
    connector = SparkConnector(spark)
    with FakeDatabricks() as fake:  # the SDK reads the host's metadata while it resolves credentials
        monkeypatch.setenv("DATABRICKS_HOST", fake.url)
        monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-from-the-environment")
        sink = DatabricksSqlSink(_table(spark, schema, CLASSIC_DDL), http_path="/sql/1.0/warehouses/x",
                                 connect=connector.connect)
        sink.write(_events(1))
    kwargs = connector.connects[0]
    assert kwargs["server_hostname"] == fake.url and "access_token" not in kwargs
    assert kwargs["credentials_provider"]()() == {"Authorization": "Bearer dapi-from-the-environment"}


# --- the tracker over the sink -----------------------------------------------------------------------

def test_the_tracker_spools_while_the_warehouse_is_down_and_replays_without_loss(spark, schema, tmp_path):
    table = _table(spark, schema, EXTENDED_DDL)
    connector = SparkConnector(spark, fail_connects=3)
    tracker = Tracker(_sink(connector, table), "app", spool_dir=tmp_path / "spool", batch_size=250,
                      interval_s=3600, retry_after_s=0.05, write_timeout_s=30, exit_timeout_s=30)
    for i in range(1000):
        tracker.track("question_asked", f"u{i % 9}@corp.com", properties=json.dumps({"i": i}))
    tracker.flush()
    first = tracker.stats()
    assert first.spooled > 0 and first.failures >= 1 and _count(spark, table) < 1000
    deadline = time.monotonic() + 60
    while tracker.stats().spool_waiting and time.monotonic() < deadline:
        time.sleep(0.06)
        tracker.flush()
    tracker.close()
    s = tracker.stats()
    assert (s.spool_waiting, s.dropped, s.written + s.replayed) == (0, 0, 1000)
    row = spark.sql(f"SELECT count(*), count(DISTINCT event_id), count(DISTINCT `user`) FROM {table}").collect()[0]
    assert tuple(row) == (1000, 1000, 9)


def test_statements_per_500_event_batch():
    sink = DatabricksSqlSink("main.s.t", http_path="/p")
    counts = {(form, name): len(list(DatabricksSqlSink("main.s.t", http_path="/p", form=form).statements(
        _events(500), layouts.detect(_names(ddl)))))
        for form in ("json", "values") for name, ddl in (("classic", CLASSIC_DDL), ("extended", EXTENDED_DDL))}
    assert counts == {("json", "classic"): 1, ("json", "extended"): 1, ("values", "classic"): 8,
                      ("values", "extended"): 17}
    assert sink.max_parameters == 255 and sink.max_parameter_bytes == 1_000_000


def test_throughput_into_spark(spark, schema, capsys):
    """Not a warehouse: local Spark writing parquet, one 5,000-event batch. Recorded in the report."""
    connector = SparkConnector(spark)
    table = _table(spark, schema, EXTENDED_DDL)
    sink = _sink(connector, table)
    sink.write(_events(1))  # the layout read, outside the timing
    connector.statements.clear()
    started = time.perf_counter()
    sink.write(_events(5000, start=T0 + timedelta(hours=2)))
    elapsed = time.perf_counter() - started
    assert _count(spark, table) == 5001 and len(connector.inserts()) == 1
    with capsys.disabled():
        print(f"\nwarehouse sink on local Spark: 5000 events in {elapsed:.2f} s = {5000 / elapsed:,.0f} rows/s")
