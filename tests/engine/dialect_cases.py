r"""Databricks SQL constructs with Apache Spark's answer as the expected value.

One entry per construct. `test_dialect.py` runs each through `translate` on DuckDB;
`test_dialect_spark.py` runs each on Spark SQL too, so every literal expectation here is itself
checked against Spark. Queries use literals and inline VALUES, so no tables are needed.

Expected rows are compared with `tests.spark_oracle.same_rows`: Spark Rows and DuckDB structs are
dicts, numbers compare by value (DECIMAL 1.5 == DOUBLE 1.5), but a DATE is not a TIMESTAMP and a
zoned timestamp is not a naive one. Where a SQL literal needs a backslash, the source is a raw string.

Spark runs in ANSI mode, as Databricks SQL does: a case with `error` expects both engines to raise an
error whose message contains that text (Spark's error class, which the translation raises too).
Parameters used inside IDENTIFIER(...) are bound by `dialect.resolve_identifiers` before DuckDB runs,
as the embedded engine does; Spark binds them natively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from telemetry.engine.dialect import resolve_identifiers
from tests.spark_oracle import run_duckdb


@dataclass(frozen=True)
class Case:
    """One construct: Databricks SQL, Spark's rows, optional named parameters."""

    id: str
    sql: str
    rows: list[tuple]
    params: dict[str, Any] = field(default_factory=dict)
    ordered: bool = True  # False: compare as sorted rows
    error: str | None = None  # both engines raise, with this text (Spark's error class) in the message


def run_case_on_duckdb(con: Any, case: Case) -> list[tuple]:
    """The case as the embedded engine runs it: IDENTIFIER parameters bound, then translated."""
    sql, params = resolve_identifiers(case.sql, case.params)
    return run_duckdb(con, sql, params)


def fails(case_id: str, sql: str, error: str) -> Case:
    """A construct Spark (ANSI) rejects at run time: both engines must raise `error`."""
    return Case(case_id, sql, [], error=error)


def one(*values: Any) -> list[tuple]:
    """A single-row result."""
    return [tuple(values)]


D = date
TS = datetime
NOV22 = "DATE'2026-11-22'"  # a Sunday
AT = "TIMESTAMP'2026-11-22 13:04:05'"
ACL_JSON = ('[{"user_name":"ann@example.com","permission_level":"CAN_USE"},'
            '{"group_name":"admins","permission_level":"CAN_MANAGE"}]')
ACL_SCHEMA = "array<struct<user_name:string,permission_level:string,group_name:string>>"
# DECIMAL(38,18) usage quantities priced at DECIMAL(30,18): the exact products need 36 decimals, more
# digits than DuckDB's DECIMAL(38) holds (and than a DOUBLE keeps); Spark rounds each to 6 decimals.
DECIMAL_USAGE = ("(12345678901234.123456789012345678, 'a'), (1234.5, 'a'), (0.000004, 'a'), "
                 "(-98765.432109876543210, 'a')")
DECIMAL_USAGE_COST = (Decimal("1524157863282.973088"), Decimal("1524157875323.828796"),
                      Decimal("-12193.263114"))

LITERALS_AND_OPERATORS = [
    Case("double_quoted_string_literal", """SELECT "changeAppsAcl", "it's" """, one("changeAppsAcl", "it's")),
    Case("string_concat_operator", "SELECT 'a' || 'b' || 1, 'a' || NULL", one("ab1", None)),
    Case("cast_as_string",
         f"SELECT CAST(1 AS STRING), CAST({NOV22} AS STRING), CAST({AT} AS STRING), CAST(true AS STRING)",
         one("1", "2026-11-22", "2026-11-22 13:04:05", "true")),
    Case("cast_to_int_truncates",
         "SELECT CAST(3.7 AS INT), CAST(-3.7 AS INT), CAST(7 / 2 AS INT), "
         "CAST(CAST(2.5 AS DOUBLE) AS BIGINT), CAST('12' AS INT), 3.9::int, bigint(3.9)",
         one(3, -3, 3, 2, 12, 3, 3)),
    Case("date_and_timestamp_literals",
         f"SELECT {NOV22}, {AT}, CAST('2026-11-22 13:04:05' AS TIMESTAMP), timestamp('2026-11-22 13:04:05')",
         one(D(2026, 11, 22), *[TS(2026, 11, 22, 13, 4, 5)] * 3)),
    Case("between", f"SELECT {NOV22} BETWEEN DATE'2026-11-01' AND {NOV22}, 5 BETWEEN 1 AND 4",
         one(True, False)),
    Case("integer_div_and_modulo", "SELECT 7 div 2, -7 div 2, 7 % 3, -7 % 3, mod(-7, 3)",
         one(3, -3, 1, -1, -1)),
    Case("pmod", "SELECT pmod(-7, 3), pmod(7, -3), pmod(7, 3)", one(2, 1, 1)),
    Case("division_is_fractional", "SELECT 3 / 2, 1 / 4", one(1.5, 0.25)),
    Case("try_arithmetic", "SELECT try_divide(1, 0), try_divide(3, 2), try_add(1, 2), try_subtract(5, 2), "
         "try_multiply(2, 3)", one(None, 1.5, 3, 3, 6)),
    Case("round_half_up", "SELECT round(2.5), round(-2.5), round(CAST(0.125 AS DOUBLE), 2), round(1250, -2)",
         one(Decimal("3"), Decimal("-3"), 0.13, 1300)),
    Case("round_double_like_its_decimal_text",
         "SELECT round(CAST(1.005 AS DOUBLE), 2), round(CAST(0.285 AS DOUBLE), 2), round(1 / 3, 3), "
         "round(avg(x), 2) FROM VALUES (1), (2), (2.015) AS t(x)", one(1.01, 0.29, 0.333, 1.67)),
    Case("bround_half_even", "SELECT bround(2.5), bround(3.5), bround(0.125, 2), bround(CAST(2.5 AS DOUBLE))",
         one(Decimal("2"), Decimal("4"), Decimal("0.12"), 2.0)),
    Case("null_functions", "SELECT nvl2(NULL, 1, 2), nvl2(3, 1, 2), ifnull(NULL, 5), nvl(NULL, 6), "
         "coalesce(NULL, 7), nullif(1, 1)", one(2, 1, 5, 6, 7, None)),
    Case("if_and_case", "SELECT if(1 > 0, 'y', 'n'), CASE WHEN 1 = NULL THEN 1 ELSE 2 END, "
         "decode(2, 1, 'one', 2, 'two', 'other')", one("y", 2, "two")),
    Case("greatest_least_skip_nulls", "SELECT greatest(1, NULL, 3), least(1, NULL, 3)", one(3, 1)),
    Case("logarithms", "SELECT log(10, 100), log10(1000), log2(8), round(ln(100), 6)",
         one(2.0, 3.0, 3.0, 4.60517)),
]

NUMBERS = [
    Case("cast_column_to_int_truncates", "SELECT CAST(x AS INT), CAST(-x AS BIGINT), CAST(x * 2 AS INT), "
         "CAST(d / 3 AS INT), CAST(d AS SMALLINT), try_cast(d AS INT) "
         "FROM VALUES (3.7, CAST(3.7 AS DOUBLE)), (-2.5, CAST(-2.5 AS DOUBLE)) AS t(x, d)",
         [(3, -3, 7, 1, 3, 3), (-2, 2, -5, 0, -2, -2)]),
    Case("round_double_column_half_up", "SELECT round(x, 2), round(x), round(x, 1), bround(x, 2), "
         "round(CAST(x AS FLOAT), 2) FROM VALUES (2.675D), (-2.675D), (0.285D), (1.005D), (1.0E30D) AS t(x)",
         [(2.68, 3.0, 2.7, 2.68, 2.6700000762939453), (-2.68, -3.0, -2.7, -2.68, -2.6700000762939453),
          (0.29, 0.0, 0.3, 0.28, 0.2800000011920929), (1.01, 1.0, 1.0, 1.0, 1.0),
          (1e30, 1e30, 1e30, 1e30, 1.0000000150474662e30)]),
    Case("sum_of_decimal_products", "SELECT sum(u.usage_quantity * p.pricing.default), "
         "max(u.usage_quantity * p.pricing.default), min(u.usage_quantity * p.pricing.default) "
         "FROM (SELECT CAST(q AS DECIMAL(38,18)) AS usage_quantity, sku FROM VALUES "
         f"{DECIMAL_USAGE} AS t(q, sku)) AS u "
         "JOIN (SELECT named_struct('default', CAST(0.123456789012345678 AS DECIMAL(30,18))) AS pricing, "
         "'a' AS sku) AS p ON u.sku = p.sku", one(*DECIMAL_USAGE_COST)),
    Case("decimal_products_take_sparks_type", "SELECT CAST(99999999.99 AS DECIMAL(10,2)) * "
         "CAST(9999999.999 AS DECIMAL(10,3)), CAST(1.5 AS DECIMAL(20,10)) * CAST(0.07 AS DECIMAL(19,10)), "
         "CAST(-1.25 AS DECIMAL(38,18)) * CAST(2.5 AS DECIMAL(38,18))",
         one(Decimal("999999999800000.00001"), Decimal("0.105000000000000000"), Decimal("-3.125000"))),
]

ANSI_ERRORS = [
    fails("divide_by_zero_raises", "SELECT x / y FROM VALUES (1, 1), (1, 0) AS t(x, y)", "DIVIDE_BY_ZERO"),
    fails("divide_literal_by_zero_raises", "SELECT 1 / 0", "DIVIDE_BY_ZERO"),
    fails("integer_div_by_zero_raises", "SELECT x div y FROM VALUES (1, 0) AS t(x, y)", "DIVIDE_BY_ZERO"),
    fails("remainder_by_zero_raises", "SELECT x % y FROM VALUES (1, 0) AS t(x, y)", "REMAINDER_BY_ZERO"),
    fails("pmod_by_zero_raises", "SELECT pmod(x, y) FROM VALUES (1, 0) AS t(x, y)", "REMAINDER_BY_ZERO"),
    fails("cast_invalid_text_raises", "SELECT CAST(s AS INT) FROM VALUES ('12'), ('abc') AS t(s)",
          "CAST_INVALID_INPUT"),
    fails("cast_invalid_literal_raises", "SELECT CAST('abc' AS INT)", "CAST_INVALID_INPUT"),
    fails("cast_fraction_text_to_int_raises", "SELECT CAST(s AS BIGINT) FROM VALUES ('3.7') AS t(s)",
          "CAST_INVALID_INPUT"),
    Case("try_functions_return_null", "SELECT try_divide(x, y), try_cast(s AS INT), try_cast('3.7' AS INT), "
         "try_mod(x, y), x / nullif(y, 0), NULL / 0, CAST(NULL AS INT) / y, try_cast(s2 AS INT), "
         "CAST(s2 AS INT), x / 2 FROM VALUES (1, 0, 'abc', ' 12 ') AS t(x, y, s, s2)",
         one(None, None, None, None, None, None, None, 12, 12, 0.5)),
]

DATE_PARTS = [
    Case("dayofweek_sunday_is_1", f"SELECT dayofweek({NOV22}), dayofweek(DATE'2026-11-23'), "
         "dayofweek(TIMESTAMP'2026-11-28 23:00:00')", one(1, 2, 7)),
    Case("weekday_monday_is_0", f"SELECT weekday({NOV22}), weekday(DATE'2026-11-23'), "
         "weekday(TIMESTAMP'2026-11-28 23:00:00')", one(6, 0, 5)),
    Case("extract_day_of_week", f"SELECT extract(DOW FROM {NOV22}), extract(DAYOFWEEK FROM {NOV22}), "
         f"date_part('dow', {NOV22}), extract(DOW_ISO FROM {NOV22})", one(1, 1, 1, 7)),
    Case("extract_second_has_fraction", "SELECT extract(SECOND FROM TIMESTAMP'2026-11-22 13:04:05.5'), "
         "second(TIMESTAMP'2026-11-22 13:04:05.5')", one(Decimal("5.500000"), 5)),
    Case("date_parts", f"SELECT hour({AT}), minute({AT}), dayofmonth({NOV22}), month({NOV22}), "
         f"year({NOV22}), weekofyear({NOV22}), quarter({NOV22}), dayofyear({NOV22}), "
         "weekofyear(DATE'2027-01-01')",
         one(13, 4, 22, 11, 2026, 47, 4, 326, 53)),
]

DATE_ARITHMETIC = [
    Case("date_add_returns_date", f"SELECT date_add({NOV22}, 3), dateadd({NOV22}, 3), "
         "date_add(TIMESTAMP'2026-11-22 10:00:00', 1), date_add('2026-11-22', -1)",
         one(D(2026, 11, 25), D(2026, 11, 25), D(2026, 11, 23), D(2026, 11, 21))),
    Case("date_sub_returns_date", f"SELECT date_sub({NOV22}, 3), date_sub(DATE'2026-03-01', 1)",
         one(D(2026, 11, 19), D(2026, 2, 28))),
    Case("dateadd_with_unit", "SELECT dateadd(HOUR, 3, TIMESTAMP'2026-11-22 01:00:00'), "
         f"dateadd(DAY, 1, {NOV22}), timestampadd(MINUTE, 90, TIMESTAMP'2026-11-22 00:00:00')",
         one(TS(2026, 11, 22, 4), TS(2026, 11, 23), TS(2026, 11, 22, 1, 30))),
    Case("interval_arithmetic", f"SELECT TIMESTAMP'2026-11-22 00:00:00' - INTERVAL 30 DAYS, "
         f"{NOV22} - INTERVAL 30 DAYS, {NOV22} + INTERVAL 1 MONTH, "
         f"TIMESTAMP'2026-11-22 00:00:00' + INTERVAL 2 HOURS, {NOV22} + 1",
         one(TS(2026, 10, 23), D(2026, 10, 23), D(2026, 12, 22), TS(2026, 11, 22, 2), D(2026, 11, 23))),
    Case("date_minus_date_is_interval", f"SELECT {NOV22} - DATE'2026-11-01'", one(timedelta(days=21))),
    Case("datediff_days", f"SELECT datediff({NOV22}, DATE'2026-11-01'), "
         "datediff(TIMESTAMP'2026-11-22 01:00:00', TIMESTAMP'2026-11-21 23:00:00'), "
         f"date_diff(DATE'2026-11-01', {NOV22})", one(21, 1, -21)),
    Case("timestampdiff_counts_whole_units", "SELECT "
         "timestampdiff(HOUR, TIMESTAMP'2026-11-22 00:00:00', TIMESTAMP'2026-11-22 05:30:00'), "
         "timestampdiff(HOUR, TIMESTAMP'2026-11-22 05:30:00', TIMESTAMP'2026-11-22 00:00:00'), "
         "timestampdiff(DAY, TIMESTAMP'2026-11-22 12:00:00', TIMESTAMP'2026-11-24 11:00:00'), "
         "timestampdiff(MINUTE, TIMESTAMP'2026-11-22 00:00:59', TIMESTAMP'2026-11-22 00:01:00'), "
         "timestampdiff(SECOND, TIMESTAMP'2026-11-22 00:00:00', TIMESTAMP'2026-11-22 00:01:00'), "
         f"timestampdiff(WEEK, DATE'2026-11-01', {NOV22}), "
         "datediff(HOUR, TIMESTAMP'2026-11-22 00:00:00', TIMESTAMP'2026-11-22 05:30:00')",
         one(5, -5, 1, 0, 60, 3, 5)),
    Case("timestampdiff_months", "SELECT "
         "timestampdiff(MONTH, TIMESTAMP'2026-01-31 00:00:00', TIMESTAMP'2026-02-28 00:00:00'), "
         "timestampdiff(MONTH, DATE'2026-01-15', DATE'2026-03-14'), "
         "timestampdiff(MONTH, TIMESTAMP'2026-01-31 12:00:00', TIMESTAMP'2026-03-01 00:00:00'), "
         "timestampdiff(MONTH, TIMESTAMP'2026-03-15 00:00:00', TIMESTAMP'2026-01-15 01:00:00'), "
         "timestampdiff(QUARTER, DATE'2026-01-15', DATE'2026-07-15'), "
         "timestampdiff(YEAR, DATE'2024-02-29', DATE'2025-02-28')", one(0, 1, 0, -1, 2, 0)),
    Case("datediff_with_unit_counts_whole_units", "SELECT "
         "datediff(DAY, TIMESTAMP'2026-11-22 12:00:00', TIMESTAMP'2026-11-24 11:00:00'), "
         "datediff(DAY, DATE'2026-11-22', DATE'2026-11-24'), "
         "date_diff(DAY, TIMESTAMP'2026-11-24 11:00:00', TIMESTAMP'2026-11-22 12:00:00'), "
         "datediff(HOUR, TIMESTAMP'2026-11-22 00:30:00', TIMESTAMP'2026-11-22 02:00:00'), "
         "datediff(MONTH, DATE'2026-01-31', DATE'2026-02-28'), datediff(YEAR, DATE'2024-02-29', DATE'2025-02-28'), "
         "datediff(TIMESTAMP'2026-11-24 11:00:00', TIMESTAMP'2026-11-22 12:00:00')", one(1, 2, -1, 1, 0, 0, 2)),
    Case("months_between", f"SELECT months_between({NOV22}, DATE'2026-09-22'), "
         "months_between(TIMESTAMP'2026-11-22 00:00:00', TIMESTAMP'2026-10-07 00:00:00'), "
         "months_between(DATE'2026-03-31', DATE'2026-02-28'), "
         "months_between(TIMESTAMP'2026-11-22 12:00:00', TIMESTAMP'2026-10-21 00:00:00')",
         one(2.0, 1.48387097, 1.0, 1.0483871)),
    Case("add_months_last_day_make_date", "SELECT add_months(DATE'2026-01-31', 1), "
         "last_day(DATE'2028-02-03'), make_date(2026, 11, 22)",
         one(D(2026, 2, 28), D(2028, 2, 29), D(2026, 11, 22))),
]

TRUNCATION_AND_FORMATS = [
    Case("date_trunc_is_plain_timestamp", f"SELECT date_trunc('WEEK', {AT}), date_trunc('MONTH', {AT}), "
         f"date_trunc('DAY', {AT}), date_trunc('HOUR', {AT}), date_trunc('WEEK', {NOV22}), "
         f"date_trunc('MM', {AT})",
         one(TS(2026, 11, 16), TS(2026, 11, 1), TS(2026, 11, 22), TS(2026, 11, 22, 13), TS(2026, 11, 16),
             TS(2026, 11, 1))),
    Case("trunc_returns_date", f"SELECT trunc({NOV22}, 'MM'), trunc({NOV22}, 'YEAR'), trunc({NOV22}, 'WEEK')",
         one(D(2026, 11, 1), D(2026, 1, 1), D(2026, 11, 16))),
    Case("date_format_patterns",
         "SELECT date_format(TIMESTAMP'2026-11-22 13:04:05.123', 'yyyy-MM-dd HH:mm:ss.SSS'), "
         f"date_format(DATE'2026-11-02', 'yyyy-MM'), date_format({AT}, 'EEE'), "
         f"date_format({AT}, 'MMM d, yyyy'), "
         f"date_format(TIMESTAMP'2026-11-22 03:04:05', 'h:mm a'), date_format({AT}, 'HH:00'), "
         rf"date_format({AT}, 'yyyy-MM-dd\'T\'HH')",
         one("2026-11-22 13:04:05.123", "2026-11", "Sun", "Nov 22, 2026", "3:04 AM", "13:00",
             "2026-11-22T13")),
    Case("to_date_and_to_timestamp", "SELECT to_date('2026-11-22'), to_date('22/11/2026', 'dd/MM/yyyy'), "
         f"to_date({AT}), to_timestamp('2026-11-22 13:04:05.123', 'yyyy-MM-dd HH:mm:ss.SSS')",
         one(D(2026, 11, 22), D(2026, 11, 22), D(2026, 11, 22), TS(2026, 11, 22, 13, 4, 5, 123000))),
    Case("unix_timestamp", "SELECT unix_timestamp(TIMESTAMP'1970-01-02 00:00:00'), "
         "unix_timestamp(TIMESTAMP'1970-01-02 00:00:00.9'), unix_timestamp('1970-01-02 00:00:00'), "
         "unix_timestamp('1970-01-02', 'yyyy-MM-dd'), unix_timestamp(DATE'1970-01-02'), "
         "to_unix_timestamp(TIMESTAMP'1970-01-02 00:00:00'), unix_timestamp() > 1700000000",
         one(86400, 86400, 86400, 86400, 86400, 86400, True)),
    Case("unix_seconds_and_millis", "SELECT unix_seconds(TIMESTAMP'1970-01-02 00:00:00.9'), "
         "unix_millis(TIMESTAMP'1970-01-02 00:00:00.9')", one(86400, 86400900)),
    Case("from_unixtime", "SELECT from_unixtime(86400), from_unixtime(86400, 'yyyy-MM-dd')",
         one("1970-01-02 00:00:00", "1970-01-02")),
    Case("timestamp_from_epoch",
         "SELECT timestamp_seconds(86400), timestamp_millis(86400500), timestamp_micros(86400000001)",
         one(TS(1970, 1, 2), TS(1970, 1, 2, 0, 0, 0, 500000), TS(1970, 1, 2, 0, 0, 0, 1))),
    Case("utc_conversions", "SELECT from_utc_timestamp(TIMESTAMP'2026-11-22 12:00:00', 'America/New_York'), "
         "to_utc_timestamp(TIMESTAMP'2026-11-22 12:00:00', 'America/New_York')",
         one(TS(2026, 11, 22, 7), TS(2026, 11, 22, 17))),
    Case("current_date_is_utc_today", "SELECT date_trunc('DAY', current_timestamp()) = "
         "CAST(current_date() AS TIMESTAMP), current_timestamp() > TIMESTAMP'2020-01-01 00:00:00'",
         one(True, True)),
    Case("sequence", "SELECT sequence(1, 4), sequence(4, 1), sequence(1, 7, 3), "
         "sequence(DATE'2026-11-20', DATE'2026-11-22'), sequence(DATE'2026-11-22', DATE'2026-11-21'), "
         "sequence(DATE'2026-11-20', DATE'2026-11-24', INTERVAL 2 DAYS)",
         one([1, 2, 3, 4], [4, 3, 2, 1], [1, 4, 7], [D(2026, 11, 20), D(2026, 11, 21), D(2026, 11, 22)],
             [D(2026, 11, 22), D(2026, 11, 21)], [D(2026, 11, 20), D(2026, 11, 22), D(2026, 11, 24)])),
    Case("explode_sequence_of_dates", "SELECT d FROM (SELECT explode(sequence(DATE'2026-11-20', "
         "DATE'2026-11-21')) AS d) ORDER BY d", [(D(2026, 11, 20),), (D(2026, 11, 21),)]),
]

AGGREGATES_AND_WINDOWS = [
    Case("percentile_interpolates", "SELECT percentile(x, 0.5), percentile(x, 0.9), median(x), "
         "percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM VALUES (1), (2), (3), (4) AS t(x)",
         one(2.5, 3.7, 2.5, 2.5)),
    Case("percentile_approx_returns_a_value", "SELECT percentile_approx(x, 0.5), "
         "percentile_approx(x, array(0.1, 0.9)), approx_percentile(x, 0.5, 100) "
         "FROM VALUES (1), (10) AS t(x)",
         one(1, [1, 10], 1)),
    Case("collect_set_and_list", "SELECT sort_array(collect_set(x)), sort_array(collect_list(x)), "
         "array_join(sort_array(collect_list(CAST(x AS STRING))), ',') "
         "FROM VALUES (1), (2), (2), (NULL) AS t(x)", one([1, 2], [1, 2, 2], "1,2,2")),
    Case("distinct_counts", "SELECT approx_count_distinct(x), count(DISTINCT x), count(*), count(x) "
         "FROM VALUES (1), (2), (2), (NULL) AS t(x)", one(2, 2, 4, 3)),
    Case("max_by_min_by_any_value", "SELECT max_by(x, y), min_by(x, y), any_value(z) "
         "FROM VALUES ('a', 1, 7), ('b', 3, 7), ('c', 2, 7) AS t(x, y, z)", one("b", "a", 7)),
    Case("first_last_ignore_nulls", "SELECT first(y), last(y, true), first(z, true), last(z) "
         "FROM (SELECT * FROM VALUES (1, 5, NULL), (2, NULL, 8) AS t(x, y, z) ORDER BY x)",
         one(5, 5, 8, 8)),
    Case("boolean_aggregates", "SELECT count_if(x > 1), bool_or(x > 2), bool_and(x > 0), every(x > 0), "
         "some(x > 5), sum(x) FILTER (WHERE x > 1) FROM VALUES (1), (2), (3) AS t(x)",
         one(2, True, True, True, False, 5)),
    Case("group_by_all", "SELECT g, count(*) AS n, sum(x) "
         "FROM VALUES (1, 'a'), (2, 'a'), (3, 'b') AS t(x, g) GROUP BY ALL ORDER BY g",
         [("a", 2, 3), ("b", 1, 3)]),
    Case("qualify", "SELECT x FROM VALUES (1, 'a'), (2, 'a'), (3, 'b') AS t(x, g) "
         "QUALIFY row_number() OVER (PARTITION BY g ORDER BY x DESC) = 1 ORDER BY x", [(2,), (3,)]),
    Case("window_functions", "SELECT x, lag(x) OVER (ORDER BY x), lead(x, 1, 0) OVER (ORDER BY x), "
         "sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), rank() OVER (ORDER BY g), "
         "dense_rank() OVER (ORDER BY g), first_value(x) OVER (PARTITION BY g ORDER BY x) "
         "FROM VALUES (1, 'a'), (2, 'a'), (3, 'b') AS t(x, g) ORDER BY x",
         [(1, None, 2, 1, 1, 1, 1), (2, 1, 3, 3, 1, 1, 1), (3, 2, 0, 5, 3, 2, 3)]),
    Case("order_by_nulls_first_ascending", "SELECT x FROM VALUES (2), (NULL), (1) AS t(x) ORDER BY x",
         [(None,), (1,), (2,)]),
]

STRINGS = [
    Case("regexp_functions", r"SELECT regexp_extract('app-123-x', 'app-(\\d+)', 1), "
         r"regexp_extract('abc', 'z(.)', 1), regexp_replace('a1b22', '\\d+', '#'), 'abc' rlike '^a', "
         r"regexp_substr('abc123', '[0-9]+'), regexp_substr('abc', '[0-9]+')",
         one("123", "", "a#b#", True, "123", None)),
    Case("concat_ws_and_split", "SELECT concat_ws(',', 'a', NULL, 'b'), concat_ws('-', array('x', 'y')), "
         "split('a,b,c', ','), split('a,b,c', ',')[0], element_at(split('a,b,c', ','), -1)",
         one("a,b", "x-y", ["a", "b", "c"], "a", "c")),
    Case("substr_position_zero", "SELECT substr('abcdef', 2, 3), substring('abcdef', -2), "
         "substr('abcdef', 0, 2)", one("bcd", "ef", "ab")),
    Case("substring_index", "SELECT substring_index('ann@example.com', '@', 1), "
         "substring_index('a.b.c', '.', 2), substring_index('a.b.c', '.', -1), "
         "substring_index('abc', '.', 1)", one("ann", "a.b", "c", "abc")),
    Case("like_backslash_escape", r"SELECT 'a_b' LIKE 'a\\_b', 'axb' LIKE 'a\\_b', 'a%b' LIKE 'a\\%%', "
         "'ABC' ILIKE 'a%', 'abc' NOT LIKE 'a%'", one(True, False, True, True, False)),
    Case("string_functions", "SELECT lpad('7', 3, '0'), initcap('hello world'), left('abcdef', 2), "
         "right('abcdef', 2), instr('abcabc', 'c'), length('héllo'), upper('a'), trim('  a ')",
         one("007", "Hello World", "ab", "ef", 3, 5, "A", "a")),
    Case("uuid_is_a_string", "SELECT length(uuid()), uuid() LIKE '%-%'", one(36, True)),
]

JSON = [
    Case("get_json_object", """SELECT get_json_object('{"a":{"b":[1,2]}}', '$.a.b[1]'), """
         """get_json_object('{"a":"x"}', '$.a'), get_json_object('{"a":{"c":1}}', '$.a'), """
         """get_json_object('{"a":null}', '$.a'), get_json_object('not json', '$.a')""",
         one("2", "x", '{"c":1}', None, None)),
    Case("variant_path_on_parse_json", """SELECT CAST(parse_json(j):b.c AS STRING), parse_json(j):a::int """
         """FROM (SELECT '{"a":1,"b":{"c":"x"}}' AS j)""", one("x", 1)),
    Case("from_json_array_of_structs", f"SELECT from_json('{ACL_JSON}', '{ACL_SCHEMA}')",
         one([{"user_name": "ann@example.com", "permission_level": "CAN_USE", "group_name": None},
              {"user_name": None, "permission_level": "CAN_MANAGE", "group_name": "admins"}])),
    Case("from_json_struct_map_array", """SELECT from_json('{"a":1,"b":"x"}', 'struct<a:int,b:string>'), """
         """from_json('{"a":"1","b":"x"}', 'map<string,string>'), from_json('["a","b"]', 'array<string>'), """
         """from_json('{"a":1,"b":"x"}', 'a INT, b STRING')""",
         one({"a": 1, "b": "x"}, {"a": "1", "b": "x"}, ["a", "b"], {"a": 1, "b": "x"})),
    Case("from_json_lenient", """SELECT from_json('not json', 'array<struct<a:int>>'), """
         """from_json('[{"a":"x"}]', 'array<struct<a:int>>'), """
         """from_json('[{"a":1,"c":2}]', 'array<struct<a:int>>'), """
         """from_json('{"ts":"2026-11-22T01:02:03.000Z"}', 'struct<ts:timestamp>')""",
         one(None, [{"a": None}], [{"a": 1}], {"ts": TS(2026, 11, 22, 1, 2, 3)})),
    Case("lateral_view_explode_from_json", "SELECT acl.user_name, acl.group_name, acl.permission_level "
         f"FROM (SELECT '{ACL_JSON}' AS j) LATERAL VIEW explode(from_json(j, '{ACL_SCHEMA}')) t AS acl",
         [("ann@example.com", None, "CAN_USE"), (None, "admins", "CAN_MANAGE")], ordered=False),
    Case("inline_rows_from_a_json_array", "SELECT * FROM (SELECT inline(from_json("
         "'[{\"a\":\"x\",\"n\":1,\"t\":\"2026-11-22T13:04:05\",\"l\":[\"p\",\"q\"]},{\"a\":\"y\"}]', "
         "'ARRAY<STRUCT<a: STRING, n: BIGINT, t: TIMESTAMP, l: ARRAY<STRING>>>'))) ORDER BY a",
         [("x", 1, TS(2026, 11, 22, 13, 4, 5), ["p", "q"]), ("y", None, None, None)]),
    Case("inline_rows_from_a_parameter", "SELECT a, n FROM (SELECT inline(from_json(:rows, "
         "'ARRAY<STRUCT<a: STRING, n: BIGINT>>'))) ORDER BY a",
         [("u", 2), ("v", None)], params={"rows": '[{"a": "v", "extra": 1}, {"a": "u", "n": 2}]'}),
    Case("json_tuple_in_select", "SELECT json_tuple(j, 'a', 'b', 'c') FROM VALUES "
         """('{"a":1,"b":{"c" : [1, 2]},"c":null}'), (NULL), ('not json'), ('{"a":"x y","b":true}'), """
         "('[1, 2]') AS t(j)",
         [("1", '{"c":[1,2]}', None), (None, None, None), (None, None, None), ("x y", "true", None),
          (None, None, None)]),
    Case("json_tuple_named_columns", r"""SELECT json_tuple(j, 'a', 'b') AS (a, b), json_tuple(j, 'x y') """
         r"""FROM VALUES ('{"a":1.50,"b":"\u00e9","x y":2}') AS t(j)""", one("1.5", "é", "2")),
    Case("lateral_view_json_tuple", """SELECT t.id, jt.a, jt.b FROM VALUES (1, NULL), (2, '{"a":1}'), """
         """(3, '{"b":"x","a.b":2}') AS t(id, j) LATERAL VIEW json_tuple(t.j, 'a', 'b') jt AS a, b""",
         [(1, None, None), (2, "1", None), (3, None, "x")], ordered=False),
]

NESTED = [
    Case("map_access_forms", """SELECT m['k'], m.k, m["k"], m['missing'], element_at(m, 'k') """
         "FROM (SELECT map('k', 'v') AS m)", one("v", "v", "v", None, "v")),
    Case("struct_access_forms", "SELECT s.b, s['a'], named_struct('x', 1).x "
         "FROM (SELECT named_struct('a', 1, 'b', 'x') AS s)", one("x", 1, 1)),
    Case("map_functions", "SELECT map_keys(map('a', 1, 'b', 2)), map_values(map('a', 1, 'b', 2)), "
         "size(map('a', 1)), size(array(1, 2, 3)), cardinality(array(1)), "
         "array_contains(array('a', 'b'), 'b')",
         one(["a", "b"], [1, 2], 1, 3, 1, True)),
    Case("explode_map_in_select", "SELECT explode(map('a', 1, 'b', 2))", [("a", 1), ("b", 2)], ordered=False),
    Case("explode_map_with_names", "SELECT explode(map('a', 1)) AS (k, v)", [("a", 1)]),
    Case("lateral_view_explode_array",
         "SELECT id, x FROM (SELECT 1 AS id) LATERAL VIEW explode(array(3, 4)) t AS x",
         [(1, 3), (1, 4)], ordered=False),
    Case("lateral_view_explode_map", "SELECT id, k, v FROM (SELECT 1 AS id, map('a', 1, 'b', 2) AS m) "
         "LATERAL VIEW explode(m) t AS k, v", [(1, "a", 1), (1, "b", 2)], ordered=False),
    Case("lateral_view_outer", "SELECT id, x FROM (SELECT 1 AS id, CAST(array() AS ARRAY<INT>) AS a) "
         "LATERAL VIEW OUTER explode(a) t AS x", [(1, None)]),
    Case("explode_outer_in_select", "SELECT explode_outer(CAST(array() AS ARRAY<INT>))", [(None,)]),
    Case("posexplode", "SELECT pos, col FROM (SELECT posexplode(array('a', 'b')))", [(0, "a"), (1, "b")],
         ordered=False),
    Case("lambdas", "SELECT filter(array(1, 2, 3), x -> x > 1), transform(array(1, 2), x -> x * 10), "
         "exists(array(1, 2), x -> x = 2), exists(array(1, 2), x -> x = 5), forall(array(1, 2), x -> x > 0), "
         "aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)", one([2, 3], [10, 20], True, False, True, 6)),
    Case("array_functions", "SELECT array_distinct(array(3, 1, 3, NULL, 2, NULL)), "
         "array_max(array(1, 3, 2)), slice(array(1, 2, 3, 4), 2, 2), "
         "arrays_overlap(array(1, 2), array(2, 3)), "
         "array_position(array(5, 6, 7), 6), array_sort(array(3, 1, 2))",
         one([3, 1, None, 2], 3, [2, 3], True, 2, [1, 2, 3])),
    Case("array_set_operations_keep_order", "SELECT array_union(array(2, 1), array(1, 3)), "
         "array_except(array(3, 1, 2, 1), array(2)), array_intersect(array(3, 1, 2), array(2, 3))",
         one([2, 1, 3], [3, 1], [3, 2])),
    Case("str_to_map", "SELECT str_to_map('a:1,b:2'), str_to_map('a=1;b=2', ';', '='), str_to_map('a:1:2,b'), "
         "str_to_map(''), str_to_map(NULL), str_to_map('a:1,b:2')['b'], str_to_map('k1=v1&k2=', '&', '=')",
         one({"a": "1", "b": "2"}, {"a": "1", "b": "2"}, {"a": "1:2", "b": None}, {"": None}, None, "2",
             {"k1": "v1", "k2": ""})),
    Case("array_get_is_zero_based", "SELECT get(array(1, 2, 3), 0), get(array(1, 2, 3), 5), "
         "get(array(1, 2, 3), -1), try_element_at(array(1, 2), 5)", one(1, None, None, None)),
]

PARAMETERS = [
    Case("named_parameters", f"SELECT :app_name AS app, :n + 1, {NOV22} >= :start_date",
         one("sales-app", 42, True), params={"app_name": "sales-app", "n": 41, "start_date": D(2026, 11, 1)}),
    Case("cast_parameter_to_int_truncates", "SELECT CAST(:ratio AS INT), CAST(:n AS BIGINT), CAST(:text AS INT)",
         one(2, 7, 12), params={"ratio": 2.75, "n": 7, "text": " 12 "}),
]

IDENTIFIERS = [
    Case("identifier_names_a_column", "SELECT IDENTIFIER('x'), IDENTIFIER('t.x') + 1 FROM VALUES (1) AS t(x)",
         one(1, 2)),
    Case("identifier_of_concatenated_literals", "WITH jobs AS (SELECT 1 AS job_id) "
         "SELECT j.job_id FROM IDENTIFIER('jo' || 'bs') AS j", one(1)),
    Case("identifier_from_a_parameter", "WITH lakeflow_jobs AS (SELECT 7 AS job_id) "
         "SELECT job_id, :n FROM IDENTIFIER(:prefix || '_jobs')", one(7, 3), params={"prefix": "lakeflow", "n": 3}),
]

CASES: list[Case] = (LITERALS_AND_OPERATORS + NUMBERS + ANSI_ERRORS + DATE_PARTS + DATE_ARITHMETIC
                     + TRUNCATION_AND_FORMATS + AGGREGATES_AND_WINDOWS + STRINGS + JSON + NESTED + PARAMETERS
                     + IDENTIFIERS)
