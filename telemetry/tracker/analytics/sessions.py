"""Sessions: the inactivity gap chosen on the page, and the numbers and shapes of the Sessions view.

A session is a user's run of events in one app with no gap longer than the inactivity gap (the
tracker/_sessions fragment); the queries return totals, a daily series, two distributions and a
per-app table, which this module turns into KPI tiles and chart-ready frames.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from telemetry.metrics.kpi import Kpi
from telemetry.tracker.analytics.filters import TrackerFilters

MIN_GAP, MAX_GAP = 1, 24 * 60  # minutes; PostHog uses 30, Datadog RUM 15


def with_gap(f: TrackerFilters, gap_minutes: float | int | None) -> TrackerFilters:
    """The filters with the page's gap (bounded; the configured default when missing)."""
    gap = int(gap_minutes) if gap_minutes else f.gap_minutes
    return replace(f, gap_minutes=min(MAX_GAP, max(MIN_GAP, gap)))


def kpis(summary: pd.DataFrame) -> list[Kpi]:
    """Sessions, sessions per user, median length and median actions per session."""
    s = summary.iloc[0] if not summary.empty else pd.Series(dtype=object)
    return [
        Kpi("Sessions", s.get("sessions"), help="Runs of a user's events in one app without a longer gap"),
        Kpi("Sessions per user", s.get("sessions_per_user"), fmt="float"),
        Kpi("Median session", s.get("median_minutes"), fmt="minutes",
            help=f"First to last event; 90% of sessions are shorter than {s.get('p90_minutes', 0) or 0:.0f} min"),
        Kpi("Median actions per session", s.get("median_actions"), fmt="float",
            help="Tracked events in a session"),
    ]


def latest(summary: pd.DataFrame):
    """The newest event behind the numbers (for the freshness line)."""
    return None if summary.empty else summary["latest_event"].iloc[0]


# The buckets of tracker/session_lengths, so an empty one still shows (as 0) and the axis never jumps.
BUCKETS = {"minutes": ("< 1 min", "1–5 min", "5–15 min", "15–30 min", "30–60 min", "≥ 60 min"),
           "actions": ("1", "2", "3–5", "6–10", "11–20", "> 20")}


def distribution(lengths: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One of the two distributions ('minutes' or 'actions'): every bucket in order, with its share (0–100)."""
    rows = lengths[lengths["kind"] == kind] if not lengths.empty else lengths
    if rows.empty:
        return rows
    full = pd.DataFrame({"bucket_order": range(len(BUCKETS[kind])), "bucket": BUCKETS[kind]})
    full = full.merge(rows[["bucket_order", "sessions"]], on="bucket_order", how="left")
    full["sessions"] = full["sessions"].fillna(0).astype("int64")
    return full.assign(kind=kind, share=100.0 * full["sessions"] / full["sessions"].sum())
