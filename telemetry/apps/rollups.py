"""Rollups the console keeps fresh so pages never scan the raw audit log.

`system.access.audit` holds every workspace action for a year; reading app sign-ins from it means
extracting `request_params['client_id']` from millions of rows, once per chart. The rollup job does
that once per day window and writes `main.ops_console.app_logins_hourly` (one row per hour, app,
user and status); the App usage queries read the rollup. The same code refreshes the rollup on a
warehouse (the bundle's job runs `jobs run app-logins-rollup` after apps-inventory) and on the
embedded demo.

Sign-ins resolve to apps through the apps inventory; a client the inventory does not list yet (a
first deploy, before apps-inventory ran; an app created since) is kept as an "unknown app" with its
client id, so a missing inventory shows as such, never as nobody signing in.

A refresh replaces its window atomically (`INSERT INTO … REPLACE WHERE`, see
rollups/replace_app_logins_hourly.sql): pages reading the rollup during a refresh see the old rows
until the new ones are committed, and a failed refresh leaves the old rows in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from telemetry import queries
from telemetry.config import Settings
from telemetry.engine.base import Engine
from telemetry.jobs.registry import Job, JobContext, JobReport, Param

ROLLUP_KEY = "app_logins_rollup"
QUERY = "rollups/app_logins_hourly"  # the rows, a named query like any other (compared on Spark)
CREATE = "rollups/create_app_logins_hourly"
REPLACE = "rollups/replace_app_logins_hourly"
ROWS = "rollups/app_logins_hourly_rows"


MAX_DAYS = 365  # the audit log's retention: one run can backfill all of it


@dataclass(frozen=True)
class RefreshReport:
    table: str
    from_date: date
    end_date: date
    rows: int
    logins: int = 0
    unknown_logins: int = 0  # sign-ins by OAuth clients the apps inventory does not list


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
    counted = queries.run(ROWS, engine=engine, settings=settings, **dates).frame.iloc[0]
    return RefreshReport(settings.table(ROLLUP_KEY), from_date, end_date, int(counted["row_count"]),
                         int(counted["logins"]), int(counted["unknown_logins"]))


def run(context: JobContext, params: dict[str, Any]) -> JobReport:
    """The job: refresh the last `days` days; say how many sign-ins no inventory app explains."""
    report = refresh(context.engine, context.settings, days=params["days"])
    notes = [f"{report.table} {report.from_date} – {report.end_date}"]
    if report.unknown_logins:
        notes.append(f"{report.unknown_logins:,} sign-ins by OAuth clients not in the apps inventory "
                     "(run apps-inventory; exclude non-app clients with TELEMETRY_APP_EXCLUDED_CLIENT_IDS)")
    return JobReport(read=report.logins, written=report.rows, notes=notes)


JOB = Job(
    name="app-logins-rollup",
    description="Recompute the hourly app sign-ins rollup from the audit log's OAuth events over the last `days` "
                "days (audit rows arrive late, so recent days are rewritten until they settle).",
    run=run,
    params=(Param("days", int, 3, "days to recompute, ending today (UTC); 365 backfills the audit log's "
                  "retention", 1, MAX_DAYS),),
    reads=("audit", "apps_inventory"),
    writes=(ROLLUP_KEY,),
)
