"""Row and chart shaping for each panel of the app-usage pages (pure functions, no Streamlit).

Each chart builder returns None when there is nothing to draw, so the page shows the empty state
the panel names instead of an empty frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlencode

import altair as alt
import pandas as pd

from telemetry import charts
from telemetry.apps import usage
from telemetry.apps.usage import Filters
from telemetry.columns import Col, count, day, pct
from telemetry.metrics.anomalies import RULE, band
from telemetry.metrics.kpi import Kpi

RANK_MEASURES = {"users": "Users", "logins": "Logins", "cost_usd": "Cost (USD, list price)"}
RANK_LABELS = {"users": "Users", "logins": "Logins", "cost_usd": "Cost"}
TOP_CHART_ROWS = 15


def dau_chart(daily: pd.DataFrame, f: Filters, title: str = "Active users per day") -> alt.Chart | None:
    """Daily active users in the period, with the expected band computed over the history before it."""
    if daily.empty or daily["dau"].sum() == 0:
        return None
    series = band(daily, "dau", partial_day=f.end)
    return charts.daily_with_band(series[series["day"] >= pd.Timestamp(f.start)], "dau", title, RULE)


def new_vs_returning_chart(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty:
        return None
    return charts.stacked_bars(frame, "week", "Week (Monday)", {"returning_users": "Returning", "new_users": "New"},
                               "Users per week", time_unit="week")


def segments_chart(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty:
        return None
    ordered = frame.assign(order=frame["segment"].map(usage.SEGMENT_ORDER.index))
    return charts.bars(ordered, "segment", "users", "Segment", "Users", order="order")


def ranked_apps(top: pd.DataFrame, cost: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Every app ranked by `measure`, with a URL-encoded link to its detail page."""
    ranked = usage.top_apps(top, cost, measure, n=len(top) + len(cost))
    return ranked.assign(details="app-detail?app=" + ranked["app_name"].map(lambda n: quote(str(n), safe="")))


def owned_apps(owned: pd.DataFrame) -> pd.DataFrame:
    """app_usage/owned_apps with a link to each app's detail page (the "Your apps" table)."""
    return owned.assign(details="app-detail?app=" + owned["app_name"].map(lambda n: quote(str(n), safe="")))


def top_apps_chart(ranked: pd.DataFrame, measure: str) -> alt.Chart | None:
    if ranked.empty:
        return None
    fmt = "$,.0f" if measure == "cost_usd" else ",.0f"
    return charts.ranking(ranked.head(TOP_CHART_ROWS), "app_name", measure, RANK_MEASURES[measure], fmt,
                          label_title="App")


def heatmap(frame: pd.DataFrame, tz_label: str) -> alt.Chart | None:
    return None if frame.empty else charts.weekday_hour_heatmap(frame, tz_label)


def retention_chart(frame: pd.DataFrame) -> alt.Chart | None:
    return None if frame.empty else charts.retention_heatmap(frame)


def retention_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Col]]:
    """The cohort × week matrix (percent retained) and its column preset (one column per week)."""
    matrix = usage.retention_matrix(frame)
    preset: dict[str, Col] = {"cohort_week": day("Cohort (week of)"), "users": count("Users in cohort")}
    preset |= {c: pct(c.capitalize()) for c in matrix.columns if str(c).startswith("week")}
    return matrix, preset


def session_kpis(frame: pd.DataFrame) -> list[Kpi]:
    """The four session tiles (sessions, per user, median length, single-session users)."""
    s = frame.iloc[0] if not frame.empty else pd.Series(dtype=object)
    return [
        Kpi("Sessions", s.get("total_sessions")),
        Kpi("Sessions per user", s.get("sessions_per_user"), fmt="float"),
        Kpi("Median session", s.get("median_minutes"), fmt="minutes",
            help="Sessions with more than one event (a lone sign-in has no length)"),
        Kpi("Users with one session", s.get("single_session_share"), fmt="pct"),
    ]


def session_length_chart(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty or frame["sessions"].sum() == 0:
        return None
    return charts.bars(frame, "bucket", "sessions", "Session length", "Sessions", order="bucket_order")


def errors_chart(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty:
        return None
    return charts.stacked_bars_long(frame, "day", "Day (UTC)", "kind", "errors", {
        "login": "Failed sign-ins", "deployment": "Failed deployments / lifecycle"}, "Errors per day")


def requests_chart(frame: pd.DataFrame) -> alt.Chart | None:
    return None if frame.empty else charts.requests_and_errors(frame)


def actions_chart(frame: pd.DataFrame) -> alt.Chart | None:
    return None if frame.empty else charts.ranking(frame, "action", "events", "Events", label_title="Action")


@dataclass(frozen=True)
class AppSummary:
    """An app's inventory fields as plain text (never Markdown: a description is user-written)."""

    description: str
    workspace: str
    state: str
    running: bool
    owners: str
    creator: str
    created: str


def _text(value, fallback: str = "–") -> str:
    return fallback if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _day(value) -> str:
    if value is None or pd.isna(value):
        return "an unknown date"
    moment = value if isinstance(value, date | datetime) else pd.Timestamp(value)
    return f"{moment:%Y-%m-%d}"


def app_summary(info: pd.DataFrame) -> AppSummary | None:
    """The detail page's one-line summary of an app (None when the inventory has no row for it)."""
    if info.empty:
        return None
    row = info.iloc[0]
    state = _text(row.get("app_state"), "UNKNOWN")
    return AppSummary(_text(row.get("description"), "No description"), _text(row.get("workspace")), state,
                      state == "RUNNING", _text(row.get("owners")), _text(row.get("creator"), "unknown"),
                      _day(row.get("create_time")))


def tracker_links(app_name: str) -> dict[str, str]:
    """Links to the tracker pages narrowed to one app (its events carry the app's name)."""
    query = urlencode({"apps": app_name})
    return {"Tracked events": f"tracker?{query}", "Funnels and paths": f"journeys?{query}",
            "Churn risk": f"journeys?{query}&view=Churn+risk"}


def trace_links(app_name: str) -> dict[str, str]:
    """Links to the trace search views about one app (its spans' service.name is the app's name)."""
    def url(**params: str) -> str:
        return "traces?" + urlencode({"service": app_name, **params})

    return {"Slowest traces": url(sort="duration"), "Failed traces": url(status="error"),
            "Latency and tokens": url(view="Metrics")}
