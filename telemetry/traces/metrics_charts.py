"""Charts of the trace metrics view: requests, error rate and latency percentiles over time."""

from __future__ import annotations

import altair as alt
import pandas as pd

from telemetry import charts

PERCENTILES = {"p50_ms": "p50", "p95_ms": "p95", "p99_ms": "p99"}


def _x(bucket: str) -> alt.X:
    """A time axis with one band per hour or day (bars fill their bucket; labels do not repeat)."""
    if bucket == "hour":
        return alt.X("yearmonthdatehours(bucket_start):T", title="Hour (UTC)", axis=alt.Axis(format="%b %d %H:%M"))
    return alt.X("yearmonthdate(bucket_start):T", title="Day (UTC)",
                 axis=alt.Axis(format="%b %d", tickCount="day"))


def _tooltip(group_title: str) -> list[alt.Tooltip]:
    return [alt.Tooltip("bucket_start:T", title="From", format="%a %b %d %H:%M"),
            alt.Tooltip("grp:N", title=group_title), alt.Tooltip("requests:Q", title="Traces", format=",.0f"),
            alt.Tooltip("errors:Q", title="With errors", format=",.0f"),
            alt.Tooltip("error_rate:Q", title="Error rate", format=".1%"),
            alt.Tooltip("p50_ms:Q", title="p50 (ms)", format=",.0f"),
            alt.Tooltip("p95_ms:Q", title="p95 (ms)", format=",.0f"),
            alt.Tooltip("p99_ms:Q", title="p99 (ms)", format=",.0f")]


def requests(frame: pd.DataFrame, bucket: str, group_title: str) -> alt.Chart | None:
    if frame.empty:
        return None
    per = "hour" if bucket == "hour" else "day"
    return charts.style(alt.Chart(frame).mark_bar().encode(
        x=_x(bucket), y=alt.Y("sum(requests):Q", title=f"Traces per {per}"),
        color=alt.Color("grp:N", title=group_title), tooltip=_tooltip(group_title)))


def error_rate(frame: pd.DataFrame, bucket: str, group_title: str) -> alt.Chart | None:
    if frame.empty:
        return None
    return charts.style(alt.Chart(frame).mark_line(point=True).encode(
        x=_x(bucket), y=alt.Y("error_rate:Q", title="Traces with an error", axis=alt.Axis(format="%")),
        color=alt.Color("grp:N", title=group_title), tooltip=_tooltip(group_title)))


def latency(frame: pd.DataFrame, bucket: str, group_title: str, percentile: str = "p95_ms") -> alt.Chart | None:
    """One percentile's line per group (log scale: agent traces take seconds, health checks ms)."""
    if frame.empty:
        return None
    label = PERCENTILES.get(percentile, "p95")
    return charts.style(alt.Chart(frame).mark_line(point=True).encode(
        x=_x(bucket), y=alt.Y(f"{percentile}:Q", title=f"{label} trace duration (ms, log scale)",
                              scale=alt.Scale(type="log")),
        color=alt.Color("grp:N", title=group_title), tooltip=_tooltip(group_title)))
