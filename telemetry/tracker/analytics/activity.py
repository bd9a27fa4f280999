"""Tracked events page: which queries each view runs, the header's KPIs, the live numbers and the
Activity view's tables (pure functions over the named queries' small frames; no Streamlit).

The live numbers move with the clock, so their requests carry the moving bounds (`:live_since`,
`:trend_since`) floored to the refresh interval: each refresh is a new cache key, and sessions that
refresh within the same interval share one execution.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from telemetry import queries
from telemetry.config import Settings
from telemetry.metrics.kpi import Kpi
from telemetry.tracker.analytics import filters
from telemetry.tracker.analytics.filters import TrackerFilters

VIEWS = ("Activity", "Errors", "Assistant")
HEADER_QUERIES = ("kpis",)
VIEW_QUERIES: dict[str, tuple[str, ...]] = {
    "Activity": ("events_over_time", "popular_actions", "dau_by_app", "top_users"),
    "Errors": ("error_by_kind", "error_rate_daily", "error_top_users"),
    "Assistant": ("assistant_by_app", "assistant_weekly"),
}
SPLITS = {"app": "By app", "action": "By action"}
SPLIT_TITLES = {"app": "App", "action": "Action"}
TOP_SERIES = 8  # series drawn in "events over time" and "daily active users per app"; the rest is (other)
TOP_USERS = 25
HOURLY_MAX_DAYS = 7  # periods up to a week are drawn per hour, longer ones per day
LIVE_MINUTES, TREND_MINUTES = 5, 30
LIVE_REFRESH_SECONDS = 15
LIVE_APPS_SHOWN = 8
QUIET = f"No events in the last {LIVE_MINUTES} minutes."
ACTIONS_HELP = "The Actions filter applies to this view's charts and tables."


def hourly(f: TrackerFilters) -> bool:
    return f.days <= HOURLY_MAX_DAYS


def requests(view: str, f: TrackerFilters, settings: Settings, *, split: str = "app"
             ) -> dict[str, queries.Request]:
    """The header's and `view`'s requests (independent: they start together).

    tracker/kpis reads both periods in one pass: its events start at the previous period's first day
    and `:period_start` says where the current one begins."""
    names = VIEW_QUERIES.get(view, VIEW_QUERIES["Activity"])
    out = filters.requests(names, f, settings, hourly=hourly(f), split=split if split in SPLITS else "app",
                           top_n=TOP_SERIES, limit=TOP_USERS)
    out["kpis"] = filters.request("kpis", f, settings, start_date=f.previous_start, period_start=f.start)
    return out


def now() -> datetime:
    """The live panel's clock (UTC; one reading per refresh, shared by its requests and its caption)."""
    return datetime.now(UTC)


def live_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """(live_since, trend_since) as naive UTC (the sources' clock), floored to the refresh interval."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    floored = now - timedelta(seconds=now.second % LIVE_REFRESH_SECONDS, microseconds=now.microsecond)
    return floored - timedelta(minutes=LIVE_MINUTES), floored - timedelta(minutes=TREND_MINUTES)


def live_requests(f: TrackerFilters, settings: Settings, now: datetime | None = None
                  ) -> dict[str, queries.Request]:
    """The live panel's two requests: the last 5 minutes (all and per app) and the last 30 per minute.

    The period filter does not apply (live is now); apps and excluded users do."""
    live_since, trend_since = live_bounds(now)
    days = {"start_date": trend_since.date(), "end_date": (live_since + timedelta(minutes=LIVE_MINUTES + 1)).date()}
    return {"live": filters.request("live", f, settings, live_since=live_since, **days),
            "live_minutes": filters.request("live_minutes", f, settings, trend_since=trend_since, **days)}


def _row(frame: pd.DataFrame, column: str, value: str) -> dict[str, Any]:
    rows = frame[frame[column] == value] if not frame.empty else frame
    return rows.iloc[0].to_dict() if len(rows) else {}


def _ratio(num: Any, den: Any) -> float | None:
    if num is None or den is None or pd.isna(num) or pd.isna(den) or float(den) == 0:
        return None
    return float(num) / float(den)


def pct_text(value: float | None) -> str | None:
    """A rate with one decimal (2.9%, not 3%): error rates live in the low percents."""
    return None if value is None else f"{value:.1%}"


def kpis(frame: pd.DataFrame, f: TrackerFilters) -> list[Kpi]:
    """The header's KPIs with their change against the previous period of equal length (tracker/kpis)."""
    cur, prev = _row(frame, "period", "current"), _row(frame, "period", "previous")

    def pair(key: str) -> tuple[Any, Any]:
        return cur.get(key, 0), prev.get(key)  # no row for the period: nothing happened in it

    def ratio(num: str, den: str) -> tuple[float | None, float | None]:
        return _ratio(cur.get(num), cur.get(den)), _ratio(prev.get(num), prev.get(den))

    per_day = (_ratio(cur.get("user_days", 0), f.days), _ratio(prev.get("user_days"), f.days))
    error_rate = ratio("errors", "events")
    return [
        Kpi("Events", *pair("events"), "int", "Tracked events in the period"),
        Kpi("Active users", *pair("users"), "int", "People with at least one tracked event"),
        Kpi("Daily users", *per_day, "float", "Average users per day (UTC days of the period)"),
        Kpi("Events per user", *ratio("events", "users"), "float", "Events ÷ active users"),
        Kpi("Error rate", *error_rate, "pct", "Error events (action `error` or `error:<kind>`) ÷ all events",
            display=pct_text(error_rate[0]), higher_is_better=False),
        Kpi("Apps tracked", *pair("apps"), "int", "Apps that sent at least one event"),
    ]


def latest_event(frame: pd.DataFrame):
    """The newest event behind the numbers (the header's "data as of")."""
    if frame.empty or frame["latest_event"].isna().all():
        return None
    return pd.Timestamp(frame["latest_event"].max()).to_pydatetime()


def live_kpis(frame: pd.DataFrame) -> list[Kpi]:
    """Active users, events and apps in use in the last 5 minutes (tracker/live's 'all' row)."""
    row = _row(frame, "scope", "all")
    apps = int((frame["scope"] == "app").sum()) if not frame.empty else 0
    window = f"in the last {LIVE_MINUTES} minutes"
    return [Kpi("Users now", row.get("users", 0), help=f"Users with an event {window}"),
            Kpi(f"Events, last {LIVE_MINUTES} min", row.get("events", 0), help=f"Tracked events {window}"),
            Kpi("Apps in use now", apps, help=f"Apps with an event {window}")]


def live_apps(frame: pd.DataFrame) -> pd.DataFrame:
    """The busiest apps of the last 5 minutes (at most LIVE_APPS_SHOWN rows)."""
    rows = frame[frame["scope"] == "app"] if not frame.empty else frame
    return rows.drop(columns=["scope"], errors="ignore").head(LIVE_APPS_SHOWN).reset_index(drop=True)


def live_trend(frame: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """Events and users per minute over the last 30 minutes, quiet minutes as zeros (so the bars show
    the gaps instead of joining busy minutes across them)."""
    live_since, trend_since = live_bounds(now)
    minutes = pd.date_range(trend_since.replace(second=0), live_since + timedelta(minutes=LIVE_MINUTES),
                            freq="min")
    got = frame.assign(minute=pd.to_datetime(frame["minute"])).set_index("minute") if not frame.empty else None
    out = pd.DataFrame({"minute": minutes})
    for col in ("events", "users"):
        values = got[col].reindex(minutes) if got is not None else pd.Series(0, index=minutes)
        out[col] = values.fillna(0).astype("int64").to_numpy()
    return out


def live_caption(now: datetime | None = None) -> str:
    """When the live numbers were read, how often they refresh, and what applies to them."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return (f"Updated {moment:%H:%M:%S} UTC, refreshes every {LIVE_REFRESH_SECONDS} s. "
            "The Apps filter and the excluded users apply; the period does not.")


def _link(page: str, carry: Mapping[str, str], **params: str) -> str:
    return f"{page}?{urlencode({**params, **carry})}"


def carried(query: Mapping[str, Any]) -> dict[str, str]:
    """The URL parameters a link to the Tracked user page keeps (a preset period, not a custom one)."""
    period = str(query.get("range", ""))
    return {"range": period} if period and period != "Custom" else {}


def user_links(frame: pd.DataFrame, carry: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`frame` with a `details` link per user to the Tracked user page (the e-mail URL-encoded)."""
    if frame.empty:
        return frame
    return frame.assign(details=[_link("tracker-user", carry or {}, user=str(u)) for u in frame["user"]])


def popular_actions(frame: pd.DataFrame) -> pd.DataFrame:
    """tracker/popular_actions with the share of active users as a percentage (0–100)."""
    return frame.assign(user_share=frame["user_share"] * 100.0) if not frame.empty else frame
