"""Executive summary: one period turned into the App usage, Genie and tracker requests, and the KPIs.

The page reads the same named queries, with the same default filters, as App usage, Genie summary
and Tracked events, so every number here equals the one on the page it links to (and shares its
cache entry). Only the period is chosen here; exclusions are each area's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

import pandas as pd

from telemetry import queries
from telemetry.apps import usage as app_usage
from telemetry.config import Settings
from telemetry.genie import usage as genie_usage
from telemetry.genie.filters import GenieFilters
from telemetry.metrics.kpi import Kpi
from telemetry.tracker.analytics import filters as tracker_filters
from telemetry.tracker.analytics.filters import TrackerFilters

APP_QUERIES = ("kpis", "cost_totals", "top_apps", "cost_by_app")
GENIE_QUERIES = ("kpis", "cost_totals", "daily_activity", "spaces_activity")
# The KPI row's sources, for the freshness line ("queried … ago").
HEADER_RESULTS = ("apps_kpis", "apps_cost_totals", "genie_kpis", "genie_cost_totals", "tracker_kpis")
SOURCES = ("app sign-in", "Genie message", "tracked event")


@dataclass(frozen=True)
class Period:
    """The inclusive days of the summary; the previous period is as long and ends the day before."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return f"{self.start:%b %d} – {self.end:%b %d, %Y} ({self.days} days)"

    @property
    def short_label(self) -> str:
        return f"{self.start:%b %d} – {self.end:%b %d}"

    @property
    def query(self) -> str:
        """The period as the other pages' URL parameter ('range=7+days'), or '' for a custom range."""
        preset = next((name for name, days in app_usage.PRESETS.items() if days == self.days), None)
        return f"range={quote_plus(preset)}" if preset and self.end == today() else ""

    @property
    def previous_label(self) -> str:
        prev_start, prev_end = self.start - timedelta(days=self.days), self.start - timedelta(days=1)
        return f"{prev_start:%b %d} – {prev_end:%b %d}"


def today() -> date:
    """The UTC day the periods end on (the sources' clock)."""
    return datetime.now(UTC).date()


def app_filters(p: Period) -> app_usage.Filters:
    return app_usage.Filters(p.start, p.end)  # App usage's defaults: no service principals, no internal accounts


def genie_filters(p: Period) -> GenieFilters:
    return GenieFilters(p.start, p.end)  # Genie's default: API traffic counts


def tracker_period(p: Period) -> TrackerFilters:
    return TrackerFilters(p.start, p.end)  # Tracked events' defaults


def requests(p: Period, settings: Settings) -> dict[str, queries.Request]:
    """Every request of the page, by name (apps_…, genie_…, tracker_kpis); all independent."""
    apps_f, genie_f, tracker_f = app_filters(p), genie_filters(p), tracker_period(p)
    out = {f"apps_{k}": r for k, r in app_usage.requests(APP_QUERIES, apps_f, settings).items()}
    # The trend shows the period only (App usage draws 90 more days for its expected band).
    out["apps_daily_active"] = app_usage.request("daily_active", apps_f, settings, from_date=p.start)
    out |= {f"genie_{k}": r for k, r in genie_usage.requests(GENIE_QUERIES, genie_f, settings).items()}
    # As Tracked events asks it: both periods in one pass, from the previous period's first day.
    out["tracker_kpis"] = tracker_filters.request("kpis", tracker_f, settings, start_date=tracker_f.previous_start,
                                                  period_start=tracker_f.start)
    return out


def _row(frame: pd.DataFrame, period: str) -> dict[str, Any]:
    rows = frame[frame["period"] == period] if not frame.empty else frame
    return rows.iloc[0].to_dict() if len(rows) else {}


def _num(row: dict[str, Any], key: str, missing: float | None = 0) -> float | None:
    """A count from a period's row; a period without a row had none (0), a null stays unknown."""
    value = row.get(key, missing)
    return None if value is None or pd.isna(value) else float(value)


def _rate(row: dict[str, Any], num: str, den: str) -> float | None:
    bottom = _num(row, den)
    return _num(row, num) / bottom if bottom else None


def total_cost(apps_cost: pd.DataFrame, genie_cost: pd.DataFrame, period: str) -> float:
    """Apps compute plus Genie (own billing and warehouse share) at list price, in USD."""
    return (_num(_row(apps_cost, period), "cost_usd") or 0.0) + (_num(_row(genie_cost, period), "cost_usd") or 0.0)


def kpis(apps: pd.DataFrame, genie: pd.DataFrame, tracker: pd.DataFrame, apps_cost: pd.DataFrame,
         genie_cost: pd.DataFrame) -> list[Kpi]:
    """The KPI row, each against the previous period of equal length (app_usage/kpis, genie/kpis,
    tracker/kpis, and both cost_totals)."""
    rows = {name: (_row(frame, "current"), _row(frame, "previous"))
            for name, frame in (("apps", apps), ("genie", genie), ("tracker", tracker))}

    def count(label: str, source: str, key: str, help: str) -> Kpi:
        cur, prev = rows[source]
        return Kpi(label, _num(cur, key), _num(prev, key, None), "int", help)

    genie_cur, genie_prev = rows["genie"]
    return [
        count("App users", "apps", "users", "People who signed in to any Databricks App (App usage: Unique users)"),
        count("App sign-ins", "apps", "logins", "Sign-ins to the apps (OAuth events of one sign-in count once)"),
        count("Genie users", "genie", "users", "People (and service principals) who asked Genie something"),
        count("Genie messages", "genie", "messages", "Questions asked in any Genie space (audit log)"),
        count("Active apps", "apps", "active_apps", "Apps with at least one sign-in in the period"),
        Kpi("Genie success rate", _rate(genie_cur, "succeeded", "finished"), _rate(genie_prev, "succeeded", "finished"),
            "pct", genie_usage.SUCCESS_RULE),
        Kpi("Cost (USD)", total_cost(apps_cost, genie_cost, "current"), total_cost(apps_cost, genie_cost, "previous"),
            "usd", "Apps compute plus Genie (its own billing and its share of SQL warehouses), at list price",
            higher_is_better=False),
        count("Tracked events", "tracker", "events", "Events the apps recorded with telemetry.tracker"),
    ]


def latest_events(apps: pd.DataFrame, genie: pd.DataFrame, tracker: pd.DataFrame) -> dict[str, datetime | None]:
    """The newest event of each source in the period ({source: time or None}), for the freshness line
    (app_usage/kpis, genie/kpis, tracker/kpis)."""
    out: dict[str, datetime | None] = {}
    for label, frame in zip(SOURCES, (apps, genie, tracker), strict=True):
        times = frame["latest_event"].dropna() if not frame.empty else pd.Series(dtype=object)
        out[label] = pd.Timestamp(times.max()).to_pydatetime() if len(times) else None
    return out


def data_as_of(latest: dict[str, datetime | None]) -> datetime | None:
    """The oldest of the sources' newest events: every number is complete at least up to then."""
    known = [t for t in latest.values() if t is not None]
    return min(known) if known else None


def freshness_note(latest: dict[str, datetime | None]) -> str:
    """'Newest app sign-in 2025-06-01 10:02 UTC · …' (a source with no event in the period says so)."""
    return " · ".join(f"Newest {label}: {t:%Y-%m-%d %H:%M} UTC" if t else f"No {label} in the period"
                      for label, t in latest.items())
