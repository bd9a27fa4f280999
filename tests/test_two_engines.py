"""Every named query (telemetry/sql/**/*.sql) gives the same result on Apache Spark SQL, which runs
it as written, and on the embedded DuckDB engine, which runs its translation, over the same demo data.

"The same" is what a page gets: both results go through `telemetry.engine.arrow.to_frame` (the
warehouse's DECIMALs and DuckDB's HUGEINTs become int64 or float64), then the column names, the kind of
each column (int, float, str, date, datetime, bool, …: an int on one engine and a float on the other
is a difference, as is a DATE against a TIMESTAMP) and the values (floats within a tolerance) must
agree, in order when the outermost statement has an ORDER BY (rows tied on its keys in any order).

New .sql files are covered automatically. Parameter values come from telemetry/bench/sample_params.py
(a name without an example fails with instructions). A query must return rows on the demo data:
two empty results prove nothing. Spark's approximate aggregates (percentile_approx,
approx_count_distinct) are made exact on the Spark side: DuckDB computes the value Spark estimates.
The rollup's writes (`_`-named, so not in `queries.all_names()`) are checked on Spark separately.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from telemetry import queries
from telemetry.apps import rollups
from telemetry.bench import sample_params
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.build import META_TABLE
from tests.spark_oracle import (
    column_kinds,
    decimal_tolerances,
    frame_rows,
    kind_differences,
    order_positions,
    placeholders,
    same_order,
    same_rows,
    sort_key,
    spark_frame,
    spark_sql_text,
)

pytestmark = pytest.mark.spark

# Reads of a job's working state that are legitimately empty on a small demo whose jobs have caught
# up (the fetch backlog): both engines must still run them and agree on the columns. The job tests
# (tests/genie/test_messages_job.py) exercise them with rows on DuckDB.
MAY_BE_EMPTY = {"genie_jobs/pending_messages": "the demo's genie-messages job has fetched every queued message"}
FLOAT_TOLERANCE = 1e-6  # sums in a different order differ in the last digits
ROW_CAP = 100_000


@pytest.fixture(scope="module")
def engine(demo_db: Path):
    engine = EmbeddedEngine(demo_db, row_cap=ROW_CAP, timeout_s=120)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def window(demo_db: Path) -> tuple[datetime, datetime]:
    """The demo data's time window, which the example parameter values are relative to."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return con.execute(f"SELECT window_start, window_end FROM {META_TABLE}").fetchone()


@pytest.fixture(scope="module")
def samples(engine) -> dict[str, str]:
    """A real demo app, space and message for the per-entity queries (the all-of-them default ''
    would match no app_name, space or message)."""
    return sample_params.page_samples(engine)


def _params(name: str, window: tuple[datetime, datetime], samples: dict[str, str]) -> dict:
    expected = set(queries.params_of(name))
    found = set(placeholders(queries.sql_text(name)))
    assert expected == found, (
        f"{name}: queries.params_of sees {sorted(expected)}, the SQL parser {sorted(found)}")
    try:
        return sample_params.examples_for(frozenset(expected), window, samples=samples, query=name)
    except sample_params.UnknownParameter as err:
        pytest.fail(f"{name}: {err.args[0]}")


def _difference(spark_rows: list[tuple], duck_rows: list[tuple], tols: list[float], *,
                ordered: bool = False) -> str:
    if not ordered:
        spark_rows, duck_rows = sorted(spark_rows, key=sort_key), sorted(duck_rows, key=sort_key)
    lines = [f"Spark {len(spark_rows)} rows, DuckDB {len(duck_rows)} rows; first differences"
             f"{' (in ORDER BY order)' if ordered else ''}:"]
    pairs = [(i, a, b) for i, (a, b) in enumerate(zip(spark_rows, duck_rows, strict=False))
             if not same_rows([a], [b], rel_tol=FLOAT_TOLERANCE, abs_tols=tols)]
    for i, spark_row, duck_row in pairs[:5]:
        lines += [f"  row {i} spark : {spark_row}", f"  row {i} duckdb: {duck_row}"]
    return "\n".join(lines)


def _assert_same_columns(name: str, spark: pd.DataFrame, duck: pd.DataFrame) -> None:
    assert list(spark.columns) == list(duck.columns), (
        f"{name}: the engines name the columns differently (alias every expression):\n"
        f"  spark : {list(spark.columns)}\n  duckdb: {list(duck.columns)}")
    differences = kind_differences(column_kinds(spark), column_kinds(duck))
    assert not differences, (
        f"{name}: the engines give columns of different types (spark vs duckdb): "
        + "; ".join(f"{column}: {a} vs {b}" for column, (a, b) in differences.items())
        + "\n(an explicit CAST in the .sql file makes both engines give the type Databricks gives)")


@pytest.mark.parametrize("name", queries.all_names())
def test_query_gives_the_same_result_on_spark_and_duckdb(name: str, spark_demo, engine, window, samples):
    sql = queries.sql_text(name)
    params = _params(name, window, samples)
    spark = spark_frame(spark_demo, sql, params, exact=True)
    result = engine.run(sql, params, query=name)
    assert not result.truncated, f"{name} returned more than {ROW_CAP} rows on the demo data"
    spark_rows, duck_rows = frame_rows(spark), frame_rows(result.frame)
    if not spark_rows and not duck_rows and name in MAY_BE_EMPTY:
        assert list(spark.columns) == list(result.frame.columns), (list(spark.columns), list(result.frame.columns))
        return
    assert spark_rows or duck_rows, (
        f"{name} returns no rows on the demo data on either engine, so this comparison proves nothing: "
        "make the demo data (telemetry/mirror) cover it or widen the example parameters")
    _assert_same_columns(name, spark, result.frame)
    hint = ("\n(collect_set/collect_list have no element order: wrap them in sort_array)"
            if "collect_" in sql.lower() else "")
    tols = decimal_tolerances(spark)
    assert same_rows(spark_rows, duck_rows, ordered=False, rel_tol=FLOAT_TOLERANCE, abs_tols=tols), (
        f"{name}: the engines disagree.\n{_difference(spark_rows, duck_rows, tols)}{hint}")
    positions = order_positions(sql, list(result.frame.columns))
    if positions != ():
        assert same_order(spark_rows, duck_rows, positions, rel_tol=FLOAT_TOLERANCE, abs_tols=tols), (
            f"{name}: same rows, but the engines order them differently (NULLS FIRST/LAST?).\n"
            f"{_difference(spark_rows, duck_rows, tols, ordered=True)}")


def test_rollup_writes_run_on_spark(spark_demo, window):
    """The rollup's DDL and REPLACE WHERE are Databricks SQL: Spark's parser reads the REPLACE WHERE
    as a selective overwrite, and the DDL plus the plain INSERT of the same rows run on Spark (its
    local tables are not Delta, so REPLACE WHERE itself cannot run here) into a scratch table."""
    settings = load_settings({"TELEMETRY_APP_LOGINS_ROLLUP_TABLE": "main.rollup_check.app_logins_hourly"})
    replace = queries.bound_sql(rollups.REPLACE, settings)
    plan = spark_demo._jsparkSession.sessionState().sqlParser().parsePlan(spark_sql_text(replace)).toString()
    assert "InsertIntoStatement" in plan and "insertreplacewhere" in plan.lower(), plan[:500]

    spark_demo.sql("CREATE DATABASE IF NOT EXISTS main__rollup_check")
    spark_demo.sql(spark_sql_text(queries.bound_sql(rollups.CREATE, settings)))
    insert = sqlglot.parse_one(replace, read="databricks")
    assert isinstance(insert, exp.Insert) and insert.args.get("where") is not None
    insert.set("where", None)
    params = sample_params.examples_for(queries.params_of(rollups.REPLACE), window)
    spark_frame(spark_demo, insert.sql(dialect="databricks"), params)
    stored = spark_frame(spark_demo, queries.bound_sql(rollups.ROWS, settings), params)
    expected = spark_frame(spark_demo, queries.sql_text(rollups.QUERY), params)
    assert stored["row_count"].tolist() == [len(expected)] and len(expected) > 0


# --- the comparison itself: what it must tell apart --------------------------------------------------------

def test_the_comparison_tells_a_date_from_a_timestamp_and_an_int_from_a_float(spark, tmp_path):
    """Spark DECIMALs arrive as int or float like DuckDB's; a DATE is not a TIMESTAMP, an int not a float."""
    spark_side = spark_frame(spark, "SELECT DATE'2026-11-22' AS d, 1 AS n, CAST(2.5 AS DECIMAL(3, 1)) AS x, "
                                    "CAST(7 AS DECIMAL(10, 0)) AS k, TIMESTAMP'2026-11-22 10:00:00' AS t")
    engine = EmbeddedEngine(tmp_path / "kinds.duckdb", read_only=False)
    try:
        duck_side = engine.run("SELECT TIMESTAMP'2026-11-22' AS d, CAST(1 AS DOUBLE) AS n, 2.5 AS x, "
                               "sum(7) AS k, TIMESTAMP'2026-11-22 10:00:00' AS t").frame
    finally:
        engine.close()
    assert kind_differences(column_kinds(spark_side), column_kinds(duck_side)) == {
        "d": ("date", "datetime"), "n": ("int", "float")}
    assert frame_rows(spark_side)[0][2:] == (2.5, 7, datetime(2026, 11, 22, 10))  # naive UTC wall clock


@pytest.mark.parametrize(("sql", "columns", "expected"), [
    ("SELECT a, b FROM t", ["a", "b"], ()),
    ("WITH x AS (SELECT a FROM t ORDER BY a) SELECT a FROM x", ["a"], ()),  # only the outermost counts
    ("SELECT a, count(*) AS n FROM t GROUP BY a ORDER BY n DESC, 1", ["a", "n"], (1, 0)),
    ("SELECT t.a, t.b FROM t ORDER BY t.b", ["a", "b"], (1,)),
    ("WITH x AS (SELECT 1 AS a, 2 AS b) SELECT * FROM x ORDER BY b", ["a", "b"], (1,)),
    ("SELECT a FROM t ORDER BY b", ["a"], None),  # a key that is not shown: whole rows in order
    ("SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY a", ["a"], (0,)),
])
def test_order_positions_finds_the_outermost_order_by_keys(sql, columns, expected):
    assert order_positions(sql, columns) == expected


def test_rows_tied_on_the_order_by_keys_may_come_in_any_order():
    spark_rows, duck_rows = [(2, "b"), (1, "a"), (1, "c")], [(2, "b"), (1, "c"), (1, "a")]
    assert same_order(spark_rows, duck_rows, (0,))
    assert not same_order(spark_rows, duck_rows, (0, 1))
    assert not same_order(spark_rows, list(reversed(duck_rows)), (0,))
