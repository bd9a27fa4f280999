"""Rollups the console keeps fresh so pages never scan the raw audit log.

`system.access.audit` holds every workspace action for a year; reading app sign-ins from it means
extracting `request_params['client_id']` from millions of rows, once per chart. The rollup job does
that once per day window and writes `main.ops_console.app_logins_hourly` (one row per hour, app,
user and status); the App usage queries read the rollup. The same code refreshes the rollup on a
warehouse (a scheduled Databricks job runs `python -m telemetry rollup`) and on the embedded demo.

A refresh replaces its window atomically (`INSERT INTO … REPLACE WHERE`, see
rollups/replace_app_logins_hourly.sql): pages reading the rollup during a refresh see the old rows
until the new ones are committed, and a failed refresh leaves the old rows in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from telemetry import queries
from telemetry.config import Settings
from telemetry.engine.base import Engine

ROLLUP_KEY = "app_logins_rollup"
QUERY = "rollups/app_logins_hourly"  # the rows, a named query like any other (compared on Spark)
CREATE = "rollups/create_app_logins_hourly"
REPLACE = "rollups/replace_app_logins_hourly"
ROWS = "rollups/app_logins_hourly_rows"


@dataclass(frozen=True)
class RefreshReport:
    table: str
    from_date: date
    end_date: date
    rows: int


def utc_today() -> date:
    """Today in UTC: audit `event_date`s are UTC dates, so a job on a machine west of Greenwich
    running in the evening must still include the UTC day that has already begun."""
    return datetime.now(UTC).date()


def window(days: int, end_date: date | None = None) -> tuple[date, date]:
    """The `days` days ending on `end_date` (today in UTC by default), both ends included."""
    if days < 1:
        raise ValueError(f"a rollup refresh covers at least one day, not {days}")
    end_date = end_date or utc_today()
    return end_date - timedelta(days=days - 1), end_date


def refresh(engine: Engine, settings: Settings, *, days: int = 3, end_date: date | None = None) -> RefreshReport:
    """Recompute the last `days` days of the rollup (idempotent: the window is replaced as a whole).

    A few days, not one: audit rows arrive late ("updated throughout the day"), so yesterday's
    numbers are rewritten until they settle.
    """
    from_date, end_date = window(days, end_date)
    dates = {"from_date": from_date, "end_date": end_date}
    queries.run(CREATE, engine=engine, settings=settings)
    queries.run(REPLACE, engine=engine, settings=settings, **dates,
                login_actions=",".join(settings.apps.login_actions),
                excluded_client_ids=",".join(settings.apps.excluded_client_ids))
    counted = queries.run(ROWS, engine=engine, settings=settings, **dates)
    return RefreshReport(settings.table(ROLLUP_KEY), from_date, end_date, int(counted.frame["row_count"].iloc[0]))
