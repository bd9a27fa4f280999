"""Every named query (telemetry/sql/**/*.sql) gives the same rows on Apache Spark SQL, which runs
it as written, and on the embedded DuckDB engine, which runs its translation, over the same demo data.

New .sql files are covered automatically. Parameter values come from telemetry/sample_params.py
(a name without an example fails with instructions). A query must return rows on the demo data:
two empty results prove nothing. Spark's approximate aggregates (percentile_approx,
approx_count_distinct) are made exact on the Spark side: DuckDB computes the value Spark estimates.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from telemetry import queries, sample_params
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.build import META_TABLE
from tests.spark_oracle import normalise_rows, placeholders, run_spark, same_rows, sort_key

pytestmark = pytest.mark.spark

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
def app(engine) -> str:
    """A real demo app for the per-app queries (the all-apps default '' would match no app_name)."""
    return sample_params.busiest_app(engine)


def _params(name: str, window: tuple[datetime, datetime], app: str) -> dict:
    expected = set(queries.params_of(name))
    found = set(placeholders(queries.sql_text(name)))
    assert expected == found, (
        f"{name}: queries.params_of sees {sorted(expected)}, the SQL parser {sorted(found)}")
    try:
        return sample_params.examples_for(frozenset(expected), window, app_name=app, query=name)
    except sample_params.UnknownParameter as err:
        pytest.fail(f"{name}: {err.args[0]}")


def _difference(spark_rows: list[tuple], duck_rows: list[tuple]) -> str:
    spark_rows, duck_rows = sorted(spark_rows, key=sort_key), sorted(duck_rows, key=sort_key)
    lines = [f"Spark {len(spark_rows)} rows, DuckDB {len(duck_rows)} rows; first differences:"]
    pairs = [(a, b) for a, b in zip(spark_rows, duck_rows, strict=False)
             if not same_rows([a], [b], rel_tol=FLOAT_TOLERANCE)]
    for spark_row, duck_row in pairs[:5]:
        lines += [f"  spark : {spark_row}", f"  duckdb: {duck_row}"]
    return "\n".join(lines)


@pytest.mark.parametrize("name", queries.all_names())
def test_query_gives_the_same_rows_on_spark_and_duckdb(name: str, spark_demo, engine, window, app):
    sql = queries.sql_text(name)
    params = _params(name, window, app)
    spark_rows = run_spark(spark_demo, sql, params, exact=True)
    result = engine.run(sql, params, query=name)
    assert not result.truncated, f"{name} returned more than {ROW_CAP} rows on the demo data"
    duck_rows = normalise_rows(result.frame.itertuples(index=False, name=None))
    assert spark_rows or duck_rows, (
        f"{name} returns no rows on the demo data on either engine, so this comparison proves nothing: "
        "make the demo data (telemetry/mirror) cover it or widen the example parameters")
    hint = ("\n(collect_set/collect_list have no element order: wrap them in sort_array)"
            if "collect_" in sql.lower() else "")
    assert same_rows(spark_rows, duck_rows, ordered=False, rel_tol=FLOAT_TOLERANCE), (
        f"{name}: the engines disagree.\n{_difference(spark_rows, duck_rows)}{hint}")
