"""Rollups the console keeps fresh so pages never scan the raw audit log.

`system.access.audit` holds every workspace action for a year; reading app sign-ins from it means
extracting `request_params['client_id']` from millions of rows, once per chart. The rollup job does
that once per day window and writes `main.ops_console.app_logins_hourly` (one row per hour, app,
user and status); the App usage queries read the rollup. The same code refreshes the rollup on a
warehouse (a scheduled Databricks job runs `python -m telemetry rollup`) and on the embedded demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from telemetry import queries
from telemetry.config import Settings
from telemetry.engine.base import Engine

ROLLUP_KEY = "app_logins_rollup"
QUERY = "rollups/app_logins_hourly"
COLUMNS: list[tuple[str, str]] = [
    ("event_date", "DATE"), ("login_hour", "TIMESTAMP"), ("workspace_id", "STRING"), ("app_name", "STRING"),
    ("user_email", "STRING"), ("status_code", "INT"), ("logins", "BIGINT"), ("first_login", "TIMESTAMP"),
    ("last_login", "TIMESTAMP"), ("error_message", "STRING"),
]


@dataclass(frozen=True)
class RefreshReport:
    table: str
    from_date: date
    end_date: date
    rows: int


def create_sql(settings: Settings) -> str:
    """Databricks DDL for the rollup table (translated for DuckDB like any other statement)."""
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS {settings.table(ROLLUP_KEY)} ({columns})"


def _params(settings: Settings, from_date: date, end_date: date) -> dict:
    return {"from_date": from_date, "end_date": end_date,
            "login_actions": ",".join(settings.apps.login_actions),
            "excluded_client_ids": ",".join(settings.apps.excluded_client_ids)}


def refresh(engine: Engine, settings: Settings, *, days: int = 3, end_date: date | None = None) -> RefreshReport:
    """Recompute the last `days` days of the rollup (idempotent: delete the window, insert it again).

    A few days, not one: audit rows arrive late ("updated throughout the day"), so yesterday's
    numbers are rewritten until they settle.
    """
    end_date = end_date or date.today()
    from_date = end_date - timedelta(days=days - 1)
    table = settings.table(ROLLUP_KEY)
    select = queries.bound_sql(QUERY, settings)
    engine.run(create_sql(settings), query="rollup/create")
    engine.run(f"DELETE FROM {table} WHERE event_date BETWEEN :from_date AND :end_date",
               {"from_date": from_date, "end_date": end_date}, query="rollup/delete")
    engine.run(f"INSERT INTO {table} {select}", _params(settings, from_date, end_date), query=QUERY)
    counted = engine.run(f"SELECT count(*) AS n FROM {table} WHERE event_date BETWEEN :from_date AND :end_date",
                         {"from_date": from_date, "end_date": end_date}, query="rollup/count")
    return RefreshReport(table, from_date, end_date, int(counted.frame["n"].iloc[0]))
