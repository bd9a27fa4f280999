"""The dialect cases on real Apache Spark SQL: each expected value in `dialect_cases.CASES` is what
Spark answers, and DuckDB (after `translate`) answers the same. A failure on the Spark side means an
expectation is wrong; on the DuckDB side, a translation is wrong. A case with `error` must make both
raise (Spark in ANSI mode, as Databricks SQL runs).
"""

from __future__ import annotations

import re

import duckdb
import pytest

from telemetry.engine.dialect import translate
from tests.engine.dialect_cases import CASES, Case, run_case_on_duckdb
from tests.spark_oracle import run_spark, same_rows

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # as the embedded engine runs
    yield con
    con.close()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_spark_and_duckdb_both_give_the_expected_answer(spark, duck, case: Case):
    if case.error:
        with pytest.raises(Exception, match=re.escape(case.error)):
            run_spark(spark, case.sql, case.params)
        with pytest.raises(duckdb.Error, match=re.escape(case.error)):
            run_case_on_duckdb(duck, case)
        return
    spark_rows = run_spark(spark, case.sql, case.params)
    assert same_rows(spark_rows, case.rows, ordered=case.ordered), (
        f"{case.id}: the expectation is wrong; Spark answers {spark_rows}, the case says {case.rows}")
    duck_rows = run_case_on_duckdb(duck, case)
    assert same_rows(duck_rows, spark_rows, ordered=case.ordered), (
        f"{case.id}: DuckDB gave {duck_rows}, Spark {spark_rows}\n  translated: {translate(case.sql)}")
