"""Databricks SQL → DuckDB translation: every construct in `dialect_cases.CASES` gives Spark's answer
on DuckDB (the expectations themselves are checked on Spark in test_dialect_spark.py), plus the
translation's own contract: table mapping, parameters, IDENTIFIER, caching, exact DECIMAL products on
the mirror's tables, and failures that are loud (a broken fix or type inference raises).

The DuckDB session runs in a non-UTC time zone on purpose: translated SQL must not depend on it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import duckdb
import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError

from telemetry.engine import dialect_fixes, fixes_types
from telemetry.engine.dialect import DatabricksSource, TranslationError, resolve_identifiers, translate
from telemetry.mirror.schema import create_table_sql
from tests.engine.dialect_cases import CASES, DECIMAL_USAGE, DECIMAL_USAGE_COST, Case, run_case_on_duckdb
from tests.spark_oracle import same_rows


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
    if case.error:
        with pytest.raises(duckdb.Error, match=re.escape(case.error)):
            run_case_on_duckdb(duck, case)
        return
    rows = run_case_on_duckdb(duck, case)
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


# --- DECIMAL products -------------------------------------------------------------------------------

def test_sum_of_decimal_products_is_exact_and_typed_like_spark(duck):
    """The cost values match Spark digit for digit (a DOUBLE product would be off from the 5th
    decimal of 1524157875323.828796), as DECIMAL(38,6)."""
    case = next(case for case in CASES if case.id == "sum_of_decimal_products")
    result = duck.execute(translate(case.sql))
    assert result.fetchall() == [DECIMAL_USAGE_COST]
    assert [str(column[1]) for column in result.description] == ["DECIMAL(38,6)"] * 3


@pytest.fixture(scope="module")
def billing(duck):
    """system.billing.usage and list_prices as the mirror creates them (DECIMAL(38,18) quantities,
    DECIMAL(30,18) prices inside a struct)."""
    duck.execute("CREATE SCHEMA system__billing")
    for key, name in (("billing_usage", "system.billing.usage"), ("list_prices", "system.billing.list_prices")):
        duck.execute(create_table_sql(key, name))
    duck.execute("INSERT INTO system__billing.usage (usage_quantity, sku_name) VALUES "
                 + DECIMAL_USAGE.replace("'a'", "'SKU'"))
    duck.execute("INSERT INTO system__billing.list_prices (sku_name, pricing) VALUES ('SKU', "
                 "{'default': 0.123456789012345678, 'promotional': NULL, 'effective_list': NULL})")
    return duck


def test_decimal_products_of_mirror_columns_use_the_tables_types(billing):
    """Column types of the mirror's tables are known to the translation (telemetry.mirror.schema),
    so the Genie usage dashboard's list-price cost runs, with Spark's value."""
    sql = ("SELECT sum(u.usage_quantity * p.pricing.default) AS list_cost FROM system.billing.usage u "
           "JOIN system.billing.list_prices p ON u.sku_name = p.sku_name")
    assert billing.execute(translate(sql)).fetchall() == [(DECIMAL_USAGE_COST[0],)]


# --- IDENTIFIER --------------------------------------------------------------------------------------

def test_identifier_names_a_system_table(duck):
    sql = "SELECT count(*) FROM IDENTIFIER('system.access.audit') WHERE service_name = 'apps'"
    assert "system__access.audit" in translate(sql)
    assert duck.execute(translate(sql)).fetchall() == [(2,)]


def test_identifier_parameters_are_bound_before_translation(duck):
    sql = "SELECT count(*) FROM IDENTIFIER(:catalog || '.access.audit') WHERE service_name = :svc"
    resolved, params = resolve_identifiers(sql, {"catalog": "system", "svc": "apps", "unused": 1})
    assert ":catalog" not in resolved and ":svc" in resolved
    assert params == {"svc": "apps", "unused": 1}  # only the values consumed by IDENTIFIER are dropped
    assert duck.execute(translate(resolved), {"svc": "apps"}).fetchall() == [(2,)]


@pytest.mark.parametrize("value", ["system.access.audit; DROP TABLE x --", "a b", "x'y", 5, None])
def test_identifier_parameter_values_must_be_plain_names(value):
    with pytest.raises(TranslationError, match="not a name"):
        resolve_identifiers("SELECT * FROM IDENTIFIER(:catalog || '.access.audit')", {"catalog": value})


def test_identifier_parameter_without_a_value_is_an_error():
    with pytest.raises(TranslationError, match=":catalog"):
        resolve_identifiers("SELECT * FROM IDENTIFIER(:catalog || '.access.audit')", {})


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT * FROM IDENTIFIER(:c || '.access.audit')", "resolve_identifiers"),
    ("SELECT IDENTIFIER(name) FROM t", "constant string"),
    ("SELECT * FROM IDENTIFIER('a.b c')", "not a table name"),
    ("SELECT * FROM IDENTIFIER('a.b.c.d')", "not a table name"),
])
def test_identifier_that_cannot_be_resolved_is_a_translation_error(sql, message):
    with pytest.raises(TranslationError, match=message):
        translate(sql)


def test_sql_without_identifier_parameters_is_left_as_written():
    sql = "SELECT :a AS a, IDENTIFIER('x') FROM t"
    assert resolve_identifiers(sql, {"a": 1}) == (sql, {"a": 1})


# --- failures are loud --------------------------------------------------------------------------------

def test_a_fix_that_raises_fails_the_translation(monkeypatch):
    def broken(node):
        raise RuntimeError("broken fix")

    monkeypatch.setitem(dialect_fixes._FIXERS, exp.DayOfWeek, broken)
    with pytest.raises(RuntimeError, match="broken fix"):
        translate("SELECT dayofweek(DATE'2026-11-22') AS broken_fix_probe")


def test_type_inference_failure_is_a_translation_error(monkeypatch):
    def failing(*args, **kwargs):
        raise OptimizeError("cannot type this")

    monkeypatch.setattr(fixes_types, "annotate_types", failing)
    with pytest.raises(TranslationError, match="cannot type this"):
        translate("SELECT round(CAST(1 AS DOUBLE), 2) AS inference_probe")


def test_fixes_apply_when_columns_cannot_be_resolved():
    """sqlglot cannot qualify a correlated subquery over tables of unknown schema (OptimizeError):
    types then come from the tree as written and type-dependent fixes use their run-time forms."""
    sql = ("SELECT x FROM t WHERE x IN (SELECT CAST(y AS INT) + round(CAST(y AS DOUBLE), 2) FROM u "
           "WHERE u.z = t.z)")
    tree = sqlglot.parse_one(sql, read=DatabricksSource)
    assert fixes_types._qualified_copy(tree, fixes_types.source_schema()) is None
    out = translate(sql)
    assert "TYPEOF(y)" in out and "TRUNC(" in out  # CAST(y AS INT) of unknown type
    assert "ROUND(TRY_CAST(CAST(CAST(y AS DOUBLE) AS TEXT)" in out  # round of a DOUBLE


def test_two_themes_cannot_claim_the_same_node():
    first, second = SimpleNamespace(__name__="a", FIXERS={exp.Div: id}), SimpleNamespace(__name__="b",
                                                                                         FIXERS={exp.Div: id})
    with pytest.raises(RuntimeError, match="Div"):
        dialect_fixes._merged("FIXERS", (first, second))


# --- casts of values whose type is known only at run time ---------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [(2.75, 2), (-2.75, -2), (" 7 ", 7), (None, None), (9, 9)])
def test_cast_of_a_parameter_to_int_truncates(duck, value, expected):
    assert duck.execute(translate("SELECT CAST(:v AS INT)"), {"v": value}).fetchall() == [(expected,)]


@pytest.mark.parametrize("value", ["abc", "3.7"])
def test_cast_of_a_text_parameter_to_int_raises_like_spark(duck, value):
    with pytest.raises(duckdb.Error, match="CAST_INVALID_INPUT"):
        duck.execute(translate("SELECT CAST(:v AS INT)"), {"v": value})
    assert duck.execute(translate("SELECT try_cast(:v AS INT)"), {"v": value}).fetchall() == [(None,)]


def test_type_inference_leaves_the_sql_as_written():
    """Types are inferred on a qualified copy: the translation keeps the user's column references
    and output names (no `t.x`, no `_col_0`)."""
    out = translate("SELECT x + 1, round(x, 2) FROM VALUES (CAST(1.5 AS DOUBLE)) AS t(x)")
    assert "t.x" not in out and "_col_" not in out


def test_json_tuple_with_too_few_names_is_a_translation_error():
    with pytest.raises(TranslationError, match="gives 2 columns, named 1"):
        translate("SELECT json_tuple(j, 'a', 'b') AS (a) FROM t")
