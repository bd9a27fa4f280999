"""Source health: is each source table there, does it have the columns we read, and how fresh is it.

Shared by the Overview tiles, the Admin data-health page and `python -m telemetry doctor`, so all
three always agree on what "stale" or "missing" means.

Cost on a warehouse: each source's query (telemetry/sql/health/<key>.sql) counts the whole table with
a bare `count(*)` (answered from Delta metadata) and reads only the last LOOKBACK_DAYS days of the
table's date partitions (or timestamp column) for `rows_last_day` and `latest_event`. A table whose
newest row is older than that window reports a NULL `latest_event`; it is then "stale", not "empty".
The fifteen checks run concurrently in the shared bounded pool, so a refresh costs one round trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import pandas as pd

from telemetry import concurrency
from telemetry.config import TABLE_SPECS, Settings, TableSpec
from telemetry.engine.base import Engine, QueryError, Result

Fetch = Callable[[str], Result]
T = TypeVar("T")

# Days of partitions the time-series health queries read. Longer than every stale_after_hours (so
# a healthy table's newest row is always inside the window, and its age is shown exactly), short
# enough that the audit log and billing usage are read in seconds. The .sql files say it literally
# (`INTERVAL 7 DAYS`, no parameter, so the UI's fetch(name) needs none); a test keeps them in step.
LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class SourceHealth:
    spec: TableSpec
    table: str
    status: str  # "ok", "stale", "empty", "missing", "error"
    row_count: int = 0
    rows_last_day: int = 0
    latest_event: datetime | None = None
    message: str = ""
    error_kind: str = ""  # the QueryError kind when the check failed ("connection": the engine, not the table)

    @property
    def age_hours(self) -> float | None:
        if self.latest_event is None:
            return None
        latest = self.latest_event if self.latest_event.tzinfo else self.latest_event.replace(tzinfo=UTC)
        return max(0.0, (time.time() - latest.timestamp()) / 3600)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _as_int(value: Any) -> int:
    """A count from either engine (NULL/NaN, e.g. DuckDB's count_if over no rows, counts as 0)."""
    return 0 if value is None or pd.isna(value) else int(value)


def is_windowed(spec: TableSpec) -> bool:
    """Whether the source's health query reads only the last LOOKBACK_DAYS days.

    Exactly the sources with a freshness expectation: their age matters and they are the large,
    growing tables. Dimension tables (no stale_after_hours) are small and read whole.
    """
    return spec.stale_after_hours is not None


def judge(spec: TableSpec, table: str, row: Mapping[str, Any]) -> SourceHealth:
    """The health of one source from its health row (row_count, rows_last_day, latest_event)."""
    count, latest = _as_int(row["row_count"]), _as_datetime(row["latest_event"])
    if count == 0:
        return SourceHealth(spec, table, "empty", message="the table exists but has no rows")
    health = SourceHealth(spec, table, "ok", count, _as_int(row["rows_last_day"]), latest)
    threshold = spec.stale_after_hours
    if threshold is None:  # a dimension table (read whole): its age says nothing
        return health
    if latest is None:  # rows exist, none in the window the query reads
        return replace(health, status="stale",
                       message=f"no rows in the last {LOOKBACK_DAYS} days (expected within {threshold:g} h); "
                               f"all {count:,} rows are older")
    age = health.age_hours
    if age is not None and age > threshold:
        return replace(health, status="stale",
                       message=f"newest row is {age:.0f} h old (expected within {threshold:g} h)")
    return health


def source_health(spec: TableSpec, settings: Settings, fetch: Fetch) -> SourceHealth:
    """Run the source's health query through `fetch(name)` and judge the answer.

    A QueryError is this source's status ("missing" for a missing table), never the caller's
    exception, so one broken source cannot hide the others.
    """
    table = settings.table(spec.key)
    try:
        row = fetch(f"health/{spec.key}").frame.iloc[0]
    except QueryError as err:
        status = "missing" if err.kind == "missing_table" else "error"
        return SourceHealth(spec, table, status, message=err.cause, error_kind=err.kind)
    return judge(spec, table, row)


def _value(outcome: T | BaseException) -> T:
    """A pooled task's value; an unexpected exception (a bug, not a query problem) is re-raised."""
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def all_sources(settings: Settings, fetch: Fetch) -> list[SourceHealth]:
    """Every source's health in TABLE_SPECS order, the checks running concurrently.

    One round trip instead of fifteen: the checks share the process-wide pool bounded by
    settings.max_concurrent_queries. `fetch(name)` must be thread-safe (the engines are; the UI's
    cached fetch is). Must not be called from a task already running in that pool (it would wait
    on the pool it occupies).
    """
    tasks = {spec.key: partial(source_health, spec, settings, fetch) for spec in TABLE_SPECS}
    outcomes = concurrency.run_all(tasks, settings.max_concurrent_queries)
    return [_value(outcomes[spec.key]) for spec in TABLE_SPECS]


def missing_columns(engine: Engine, table: str, expected: Sequence[tuple[str, str]]) -> list[str] | None:
    """Expected columns the table lacks (None when the table itself is missing)."""
    actual = engine.table_columns(table)
    if actual is None:
        return None
    present = {name.lower() for name in actual}
    return [name for name, _ in expected if name.lower() not in present]


def start_missing_columns(engine: Engine, settings: Settings,
                          schemas: Mapping[str, Sequence[tuple[str, str]]]) -> dict[str, Future[list[str] | None]]:
    """Start `missing_columns` for every source at once (one information_schema query each).

    Returns futures by source key, in TABLE_SPECS order, so a caller can run the health checks
    meanwhile and pay one round trip for both.
    """
    tasks = {spec.key: partial(missing_columns, engine, settings.table(spec.key), schemas.get(spec.key, []))
             for spec in TABLE_SPECS}
    return concurrency.start_all(tasks, settings.max_concurrent_queries)
