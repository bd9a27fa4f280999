"""Source health on a real DuckDB: the health SQL files, run through the production path, judged.

A tiny embedded database holds a few source tables (the mirror's DDL, a handful of rows whose ages
are chosen per test); the others are absent, so they must read "missing" without disturbing the rest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from telemetry import health, queries
from telemetry.config import TABLE_SPECS, Settings, load_settings
from telemetry.engine.base import QueryError, Result
from telemetry.engine.dialect import mirror_table_name
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.schema import create_table_sql

SPEC = {spec.key: spec for spec in TABLE_SPECS}


def now() -> datetime:
    """Naive UTC, as the mirror stores timestamps."""
    return datetime.now(UTC).replace(tzinfo=None)


def ago(hours: float) -> datetime:
    return now() - timedelta(hours=hours)


class Db:
    """A DuckDB file with the given source tables (empty) and helpers to add rows to them."""

    def __init__(self, path: Path, keys: tuple[str, ...]) -> None:
        self.path = path
        self.settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
        self.con = duckdb.connect(str(path))
        for key in keys:
            name = self.settings.table(key)
            self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {mirror_table_name(name).rsplit('.', 1)[0]}")
            self.con.execute(create_table_sql(key, name))

    def table(self, key: str) -> str:
        return mirror_table_name(self.settings.table(key))

    def audit(self, *times: datetime) -> None:
        for at in times:
            self.con.execute(f"INSERT INTO {self.table('audit')} (event_time, event_date) VALUES (?, ?)",
                             [at, at.date()])

    def usage(self, *ends: datetime) -> None:
        for end in ends:
            start = end - timedelta(hours=1)
            self.con.execute(f"INSERT INTO {self.table('billing_usage')} (usage_start_time, usage_end_time, "
                             "usage_date) VALUES (?, ?, ?)", [start, end, start.date()])

    def rows(self, key: str, column: str, *values: object) -> None:
        for value in values:
            self.con.execute(f'INSERT INTO {self.table(key)} ("{column}") VALUES (?)', [value])

    def engine(self) -> EmbeddedEngine:
        self.con.close()
        return EmbeddedEngine(self.path, timeout_s=30)


def real_fetch(engine: EmbeddedEngine, settings: Settings):
    """The production fetch: the named health query on the engine (what the UI and doctor pass)."""
    return lambda name: queries.run(name, engine=engine, settings=settings)


@pytest.fixture()
def db(tmp_path: Path) -> Db:
    return Db(tmp_path / "health.duckdb",
              ("audit", "billing_usage", "query_history", "tracker", "spans", "workspaces"))


@pytest.fixture()
def engine(db: Db) -> Iterator[EmbeddedEngine]:
    engine = db.engine()
    yield engine
    engine.close()


def by_key(sources: list[health.SourceHealth]) -> dict[str, health.SourceHealth]:
    return {s.spec.key: s for s in sources}


# --- the SQL files, judged ---------------------------------------------------------------------------

def test_fresh_source_is_ok_and_row_count_covers_rows_older_than_the_window(db: Db):
    newest = ago(1)
    db.audit(newest, ago(5), ago(30), ago(24 * 40), ago(24 * 200))
    engine = db.engine()
    src = health.source_health(SPEC["audit"], db.settings, real_fetch(engine, db.settings))
    engine.close()
    assert src.status == "ok", src.message
    assert src.row_count == 5  # the whole table, not just the window
    assert src.rows_last_day == 2
    assert abs((src.latest_event - newest).total_seconds()) < 1


def test_newest_row_older_than_stale_after_hours_is_stale_with_its_age(db: Db):
    db.rows("query_history", "start_time", ago(12), ago(30))  # query history: expected within 6 h
    engine = db.engine()
    src = health.source_health(SPEC["query_history"], db.settings, real_fetch(engine, db.settings))
    engine.close()
    assert src.status == "stale"
    assert src.latest_event is not None and 11.5 < src.age_hours < 12.5
    assert "12 h old" in src.message and src.rows_last_day == 1


def test_rows_only_older_than_the_lookback_are_stale_not_empty(db: Db):
    db.usage(ago(24 * 20), ago(24 * 30))  # billing usage partitions 20 and 30 days back
    engine = db.engine()
    src = health.source_health(SPEC["billing_usage"], db.settings, real_fetch(engine, db.settings))
    engine.close()
    assert src.status == "stale"
    assert src.row_count == 2 and src.latest_event is None and src.rows_last_day == 0
    assert f"no rows in the last {health.LOOKBACK_DAYS} days" in src.message


def test_spans_window_compares_nanoseconds_with_the_real_query(db: Db):
    newest = ago(2)
    nanos = [int(t.replace(tzinfo=UTC).timestamp() * 1e6) * 1000 for t in (newest, ago(30), ago(24 * 9))]
    db.rows("spans", "start_time_unix_nano", *nanos)
    engine = db.engine()
    src = health.source_health(SPEC["spans"], db.settings, real_fetch(engine, db.settings))
    engine.close()
    assert (src.status, src.row_count, src.rows_last_day) == ("ok", 3, 1)
    assert abs((src.latest_event - newest).total_seconds()) < 1


def test_every_status_across_all_sources_in_spec_order(db: Db):
    db.audit(ago(1))
    db.usage(ago(24 * 10))
    db.rows("query_history", "start_time", ago(8))
    db.rows("workspaces", "create_time", ago(24 * 900))  # a dimension: its age says nothing
    engine = db.engine()
    sources = health.all_sources(db.settings, real_fetch(engine, db.settings))
    engine.close()
    assert [s.spec.key for s in sources] == [spec.key for spec in TABLE_SPECS]
    status = {key: s.status for key, s in by_key(sources).items()}
    present = {"audit": "ok", "billing_usage": "stale", "query_history": "stale", "tracker": "empty",
               "spans": "empty", "workspaces": "ok"}
    assert {k: status[k] for k in present} == present
    assert {v for k, v in status.items() if k not in present} == {"missing"}
    assert by_key(sources)["workspaces"].row_count == 1


# --- concurrency and per-source errors ---------------------------------------------------------------

def one_row() -> Result:
    return Result(pd.DataFrame({"row_count": [3], "rows_last_day": [1], "latest_event": [pd.Timestamp(ago(0.1))]}))


def test_all_checks_run_concurrently_within_the_configured_bound():
    settings = replace(load_settings({}), max_concurrent_queries=8)
    lock, running, peak = threading.Lock(), [0], [0]

    def slow_fetch(name: str) -> Result:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return one_row()

    started = time.perf_counter()
    sources = health.all_sources(settings, slow_fetch)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.5, f"15 checks of 0.3 s took {elapsed:.2f} s: they did not run concurrently"
    assert 1 < peak[0] <= 8
    assert [s.status for s in sources] == ["ok"] * len(TABLE_SPECS)


def test_a_failing_source_does_not_affect_the_others(db: Db):
    db.audit(ago(1))
    engine = db.engine()
    fetch = real_fetch(engine, db.settings)

    def flaky(name: str) -> Result:
        if name == "health/query_history":
            raise QueryError(name, "the warehouse said no")
        return fetch(name)

    sources = by_key(health.all_sources(db.settings, flaky))
    engine.close()
    assert (sources["query_history"].status, sources["query_history"].message) == ("error", "the warehouse said no")
    assert sources["audit"].status == "ok" and sources["tracker"].status == "empty"
    assert sources["genie_fetch_errors"].status == "missing"


def test_an_unexpected_exception_is_a_bug_and_is_raised():
    def broken(name: str) -> Result:
        raise ZeroDivisionError(name)

    with pytest.raises(ZeroDivisionError):
        health.all_sources(load_settings({}), broken)


# --- the window is the one the judge assumes ---------------------------------------------------------

def test_windowed_queries_read_lookback_days_and_dimensions_are_read_whole():
    bound = f"INTERVAL {health.LOOKBACK_DAYS} DAYS"
    for spec in TABLE_SPECS:
        text = queries.sql_text(f"health/{spec.key}")
        assert (bound in text and "WHERE" in text) == health.is_windowed(spec), spec.key
        assert not queries.params_of(f"health/{spec.key}"), "the UI's fetch(name) passes no parameters"


def test_lookback_is_longer_than_every_freshness_expectation():
    longest = max(spec.stale_after_hours for spec in TABLE_SPECS if spec.stale_after_hours)
    assert 2 * longest <= health.LOOKBACK_DAYS * 24  # a stale table still shows its age first
