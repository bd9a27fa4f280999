"""Tracked user page (`?user=`): one user's KPIs, timeline, apps and actions (no Streamlit).

The user comes from the URL; it reaches SQL only as the bound parameter `:user`. The page names the
user explicitly, so none of the exclusions apply (an excluded or service-principal user still opens).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pandas as pd

from telemetry import queries
from telemetry.config import Settings
from telemetry.metrics.kpi import Kpi
from telemetry.tracker.analytics import filters
from telemetry.tracker.analytics.filters import TrackerFilters

QUERIES = ("user_kpis", "user_timeline", "user_breakdown", "user_daily")
TIMELINE_LIMIT = 200
MAX_USER_CHARS = 320
ASK = "Enter a user (their e-mail, as the apps track it), or open one from Tracked events → Top users."
TOP_APPS_DRAWN = 6


def clean(raw: str | None) -> str:
    """The user as typed or linked: trimmed, at most MAX_USER_CHARS (an e-mail is at most 320)."""
    return (raw or "").strip()[:MAX_USER_CHARS]


def period_filters(start: date, end: date) -> TrackerFilters:
    """The page's filters: only the period (the user is named, so nothing is excluded)."""
    return TrackerFilters(start, end, exclude_service_principals=False, exclude_internal=False)


def requests(user: str, f: TrackerFilters, settings: Settings) -> dict[str, queries.Request]:
    return filters.requests(QUERIES, f, settings, user=user, limit=TIMELINE_LIMIT)


def _first(frame: pd.DataFrame) -> dict:
    return frame.iloc[0].to_dict() if not frame.empty else {}


def found(kpi_frame: pd.DataFrame) -> bool:
    return int(_first(kpi_frame).get("events") or 0) > 0


def not_found(user: str) -> str:
    return (f"No tracked events for {user!r} in this period. Check the spelling (the tracker stores the "
            "e-mail the app saw), or choose a longer period.")


def _when(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def kpis(kpi_frame: pd.DataFrame) -> list[Kpi]:
    row = _first(kpi_frame)
    return [Kpi("Events", row.get("events", 0), help="Tracked events in the period"),
            Kpi("Active days", row.get("active_days", 0), help="UTC days with at least one event"),
            Kpi("Apps", row.get("apps", 0), help="Apps this user sent events from"),
            Kpi("Distinct actions", row.get("actions", 0), help="Different actions this user did"),
            Kpi("Errors", row.get("errors", 0), help="Events `error` or `error:<kind>`", higher_is_better=False)]


def seen(kpi_frame: pd.DataFrame) -> dict[str, str]:
    """First and last event of the period (UTC), for the facts line under the title."""
    row = _first(kpi_frame)
    return {"first_seen": _when(row.get("first_seen")), "last_seen": _when(row.get("last_seen"))}


def timeline_note(kpi_frame: pd.DataFrame, timeline: pd.DataFrame) -> str:
    total = int(_first(kpi_frame).get("events") or 0)
    if total > len(timeline):
        return f"Showing the latest {len(timeline):,} of {total:,} events, newest first."
    return f"All {len(timeline):,} events of the period, newest first."


def apps(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Per app: events, distinct actions, last seen, and a link to its App detail page."""
    if breakdown.empty:
        return breakdown
    out = breakdown.groupby("app_name", as_index=False).agg(
        events=("events", "sum"), actions=("action", "nunique"), last_seen=("last_seen", "max"))
    out = out.sort_values(["events", "app_name"], ascending=[False, True]).reset_index(drop=True)
    return out.assign(details=["app-detail?" + urlencode({"app": str(a)}) for a in out["app_name"]])


def actions(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Per action: events, apps, last seen (most events first)."""
    if breakdown.empty:
        return breakdown
    out = breakdown.groupby("action", as_index=False).agg(
        events=("events", "sum"), apps=("app_name", "nunique"), last_seen=("last_seen", "max"))
    return out.sort_values(["events", "action"], ascending=[False, True]).reset_index(drop=True)


def daily(frame: pd.DataFrame, n: int = TOP_APPS_DRAWN) -> pd.DataFrame:
    """tracker/user_daily with apps beyond the `n` busiest folded into '(other)'."""
    if frame.empty:
        return frame
    totals = frame.groupby("app_name")["events"].sum().reset_index()
    top = set(totals.sort_values(["events", "app_name"], ascending=[False, True]).head(n)["app_name"])
    folded = frame.assign(app_name=frame["app_name"].where(frame["app_name"].isin(top), "(other)"),
                          day=pd.to_datetime(frame["day"]))
    return folded.groupby(["day", "app_name"], as_index=False)["events"].sum()
