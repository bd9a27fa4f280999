"""TELEMETRY_INTERNAL_ACCOUNTS_REGEX runs as RE2 on DuckDB and as a Java regex on Databricks (RLIKE).

Regression: it was validated with Python's `re`, so a lookahead passed start-up and then failed every
app-usage query on DuckDB, and `(?P<name>…)` passed and failed on Databricks. A pattern the setting
accepts must compile on both engines and match the same accounts; one it rejects must fail on one.
"""

import duckdb
import pytest

from telemetry.config import ConfigError, load_settings

ACCOUNTS = ["qa-bot-7@corp.com", "test.user@corp.com", "ann@corp.com", "Synthetic-9", "svc_1234", "testing@x"]
ACCEPTED = [r"^(qa-bot|test[._-]|synthetic)", r"(?i)^synthetic", r"^svc_\d{3,}$", r"@corp\.com$", r"^[a-c]+@"]
REJECTED = [r"^(?!ann)", r"(a)\1", r"(?P<x>qa)", r"[unclosed", r"(?<=t)est"]


def _setting(pattern: str) -> str:
    return load_settings({"TELEMETRY_INTERNAL_ACCOUNTS_REGEX": pattern}).internal_accounts_regex


@pytest.mark.parametrize("pattern", REJECTED)
def test_patterns_one_engine_cannot_run_are_refused_at_start(pattern):
    with pytest.raises(ConfigError, match="TELEMETRY_INTERNAL_ACCOUNTS_REGEX"):
        _setting(pattern)


@pytest.mark.spark
@pytest.mark.parametrize("pattern", ACCEPTED)
def test_accepted_patterns_match_the_same_accounts_on_both_engines(spark, pattern):
    pattern = _setting(pattern)
    duck = duckdb.connect()
    duck_hits = [a for a in ACCOUNTS if duck.execute("SELECT regexp_matches(?, ?)", [a, pattern]).fetchone()[0]]
    spark_hits = [a for a in ACCOUNTS
                  if spark.sql("SELECT :a RLIKE :p AS m", args={"a": a, "p": pattern}).collect()[0]["m"]]
    assert duck_hits == spark_hits
