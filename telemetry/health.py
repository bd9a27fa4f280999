"""Source health: is each source table there, does it have the columns we read, and how fresh is it.

Shared by the Overview tiles, the Admin data-health page and `python -m telemetry doctor`, so all
three always agree on what "stale" or "missing" means.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pandas as pd

from telemetry.config import TABLE_SPECS, Settings, TableSpec
from telemetry.engine.base import Engine, QueryError, Result

Fetch = Callable[..., Result]


@dataclass(frozen=True)
class SourceHealth:
    spec: TableSpec
    table: str
    status: str  # "ok", "stale", "empty", "missing", "error"
    row_count: int = 0
    rows_last_day: int = 0
    latest_event: datetime | None = None
    message: str = ""

    @property
    def age_hours(self) -> float | None:
        if self.latest_event is None:
            return None
        latest = self.latest_event if self.latest_event.tzinfo else self.latest_event.replace(tzinfo=UTC)
        return max(0.0, (time.time() - latest.timestamp()) / 3600)


def _as_datetime(value) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def source_health(spec: TableSpec, settings: Settings, fetch: Fetch) -> SourceHealth:
    """Run the source's health query through `fetch(name)` and judge the answer."""
    table = settings.table(spec.key)
    try:
        row = fetch(f"health/{spec.key}").frame.iloc[0]
    except QueryError as err:
        status = "missing" if err.kind == "missing_table" else "error"
        return SourceHealth(spec, table, status, message=err.cause)
    count, latest = int(row["row_count"]), _as_datetime(row["latest_event"])
    if count == 0:
        return SourceHealth(spec, table, "empty", message="the table exists but has no rows")
    health = SourceHealth(spec, table, "ok", count, int(row["rows_last_day"] or 0), latest)
    age = health.age_hours
    if spec.stale_after_hours is not None and age is not None and age > spec.stale_after_hours:
        return replace(health, status="stale",
                       message=f"newest row is {age:.0f} h old (expected within {spec.stale_after_hours:g} h)")
    return health


def all_sources(settings: Settings, fetch: Fetch) -> list[SourceHealth]:
    return [source_health(spec, settings, fetch) for spec in TABLE_SPECS]


def missing_columns(engine: Engine, table: str, expected: list[tuple[str, str]]) -> list[str] | None:
    """Expected columns the table lacks (None when the table itself is missing)."""
    actual = engine.table_columns(table)
    if actual is None:
        return None
    present = {name.lower() for name in actual}
    return [name for name, _ in expected if name.lower() not in present]
