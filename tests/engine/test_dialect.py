"""Databricks SQL → DuckDB translation: every construct in `dialect_cases.CASES` gives Spark's answer
on DuckDB (the expectations themselves are checked on Spark in test_dialect_spark.py), plus the
translation's own contract: table mapping, parameters, caching.

The DuckDB session runs in a non-UTC time zone on purpose: translated SQL must not depend on it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from telemetry.engine.dialect import translate
from tests.engine.dialect_cases import CASES, Case
from tests.spark_oracle import run_duckdb, same_rows


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'America/New_York'")
    con.execute("CREATE SCHEMA system__access")
    con.execute("""CREATE TABLE system__access.audit AS SELECT * FROM (VALUES
        ('apps', 'changeAppsAcl', DATE '2026-11-22', MAP {'app': 'sales'}),
        ('apps', 'startApp', DATE '2026-11-23', MAP {'app': 'hr'}),
        ('aibiGenie', 'genieStartConversationMessage', DATE '2026-11-23', MAP {'space_id': 's1'})
        ) AS t(service_name, action_name, event_date, request_params)""")
    yield con
    con.close()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_construct_gives_sparks_answer_on_duckdb(duck, case: Case):
    rows = run_duckdb(duck, case.sql, case.params)
    assert same_rows(rows, case.rows, ordered=case.ordered), (
        f"{case.id}: DuckDB gave {rows}, Spark gives {case.rows}\n  translated: {translate(case.sql)}")


def test_system_tables_map_to_the_mirror_schema(duck):
    sql = 'SELECT count(*) FROM system.access.audit WHERE service_name = "apps"'
    assert "system__access.audit" in translate(sql)
    assert duck.execute(translate(sql)).fetchall() == [(2,)]


def test_ctes_and_short_names_are_not_remapped():
    sql = ("WITH audit AS (SELECT 1 AS x) SELECT a.x FROM audit a "
           "JOIN access.audit b ON a.x = b.x JOIN main.ops_console.app_events c ON a.x = c.x")
    out = translate(sql)
    assert "FROM audit AS a" in out and "JOIN access.audit AS b" in out
    assert "main__ops_console.app_events" in out


def test_named_params_become_duckdb_params(duck):
    sql = "SELECT count(*) FROM system.access.audit WHERE event_date >= :start_date AND service_name = :svc"
    out = translate(sql)
    assert "$start_date" in out and "$svc" in out and ":start_date" not in out
    assert duck.execute(out, {"start_date": date(2026, 11, 23), "svc": "apps"}).fetchall() == [(1,)]


def test_map_access_by_key_and_by_dot_on_a_table(duck):
    sql = """SELECT request_params['app'], request_params.app, request_params["app"] FROM system.access.audit
             WHERE action_name = 'startApp'"""
    assert duck.execute(translate(sql)).fetchall() == [("hr", "hr", "hr")]


def test_group_by_all_on_a_table(duck):
    sql = "SELECT service_name, count(*) AS n FROM system.access.audit GROUP BY ALL ORDER BY service_name"
    assert duck.execute(translate(sql)).fetchall() == [("aibiGenie", 1), ("apps", 2)]


def test_timestamps_are_never_zoned():
    sql = ("SELECT TIMESTAMP'2026-11-22 00:00:00', CAST(x AS TIMESTAMP), current_timestamp(), "
           "date_trunc('WEEK', ts), from_json(j, 'struct<t:timestamp>') FROM t")
    assert "TIMESTAMPTZ" not in translate(sql).upper()


def test_current_timestamp_is_the_naive_utc_clock(duck):
    (now,) = duck.execute(translate("SELECT current_timestamp()")).fetchone()
    assert now.tzinfo is None
    assert abs((datetime.now(UTC).replace(tzinfo=None) - now).total_seconds()) < 60


def test_translation_happens_once_per_text():
    sql = "SELECT dayofweek(DATE'2026-11-22') AS translated_once"
    first = translate(sql)
    hits = translate.cache_info().hits
    assert translate(sql) is first
    assert translate.cache_info().hits == hits + 1


def test_several_statements_translate_each():
    out = translate("SELECT weekday(DATE'2026-11-22'); SELECT 1")
    assert out.count("SELECT") == 2 and "ISODOW" in out
