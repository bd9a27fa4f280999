"""Charts of the Genie pages (pure functions over the named queries' frames, no Streamlit).

Builders return None when there is nothing to draw, so the page shows the empty state the panel
names; every chart has labelled axes (with units) and tooltips. Table shaping: genie/tables.py.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from telemetry import charts
from telemetry.genie.tables import space_labels

TOP_CHART_ROWS = 15
STATUS_LABELS = {"COMPLETED": "Completed", "QUERY_RESULT_EXPIRED": "Completed, result expired",
                 "FAILED": "Failed", "CANCELLED": "Cancelled"}
RANK_MEASURES = {"messages": "Messages", "users": "Users", "cost_usd": "Cost (USD, list price)",
                 "failure_rate": "Failure rate (%)"}
RANK_FORMATS = {"messages": ",d", "users": ",d", "cost_usd": "$,.0f", "failure_rate": ".0f"}


# --- charts ------------------------------------------------------------------------------------------


STATUS_COLOURS = {"COMPLETED": charts.PALETTE[0], "QUERY_RESULT_EXPIRED": charts.PALETTE[4],
                  "FAILED": charts.PALETTE[1], "CANCELLED": charts.PALETTE[3]}


def _day_axis(title: str = "Day (UTC)") -> alt.X:
    """Whole days as bands (bars as wide as a day, not a hairline at midnight), labelled 'Nov 03'."""
    return alt.X("yearmonthdate(day):T", title=title, axis=alt.Axis(format="%b %d", labelAngle=0))


def _stacked_days(long: pd.DataFrame, series: str, value: str, labels: dict[str, str], colours: list[str],
                  y_title: str, series_title: str) -> alt.Chart:
    """Bars per day stacked by `series` (long data), in the order and colours given."""
    data = long.assign(label=long[series].map(labels), order=long[series].map(list(labels).index))
    return charts.style(alt.Chart(data).mark_bar(width=alt.RelativeBandSize(0.85)).encode(
        x=_day_axis(),
        y=alt.Y(f"{value}:Q", title=y_title, stack=True),
        color=alt.Color("label:N", sort=list(labels.values()),
                        scale=alt.Scale(domain=list(labels.values()), range=colours)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"), alt.Tooltip("label:N", title=series_title),
                 alt.Tooltip(f"{value}:Q", title=y_title, format=",.0f")]))


def status_chart(daily: pd.DataFrame) -> alt.Chart | None:
    """Fetched messages per day, stacked by status (unknown statuses keep their API name, in grey)."""
    if daily.empty or daily["messages"].sum() == 0:
        return None
    known = [s for s in STATUS_LABELS if s in set(daily["status"])]
    other = sorted(set(daily["status"]) - set(STATUS_LABELS))
    labels = {**{s: STATUS_LABELS[s] for s in known}, **{s: s.replace("_", " ").capitalize() for s in other}}
    colours = [STATUS_COLOURS[s] for s in known] + [charts.PALETTE[6]] * len(other)
    return _stacked_days(daily, "status", "messages", labels, colours, "Messages per day", "Status")


def _lines(long: pd.DataFrame, x_title: str, y_title: str, fmt: str, scale: alt.Scale | None = None,
           series_title: str = "Series", colours: list[str] | None = None) -> alt.Chart:
    """One line per `series` over `day` (long data: day, series, value), points and tooltips."""
    names = list(dict.fromkeys(long["series"]))
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format="~g" if scale else fmt), scale=scale or alt.Undefined)
    chart = alt.Chart(long).mark_line(point=alt.OverlayMarkDef(size=22)).encode(
        x=alt.X("day:T", title=x_title, axis=alt.Axis(format="%b %d")),
        y=y,
        color=alt.Color("series:N", sort=names,
                        scale=alt.Scale(domain=names, range=colours) if colours else alt.Undefined),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"), alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("value:Q", title=y_title, format=fmt)])
    return charts.style(chart)


def activity_chart(daily: pd.DataFrame) -> alt.Chart | None:
    """Messages, conversations and users per day (audit log)."""
    if daily.empty or daily["messages"].sum() == 0:
        return None
    names = {"messages": "Messages", "conversations": "Conversations", "users": "Users"}
    long = daily.melt(id_vars=["day"], value_vars=list(names), var_name="series", value_name="value")
    return _lines(long.assign(series=long["series"].map(names)), "Day (UTC)", "Per day", ",.0f",
                  colours=[charts.PALETTE[0], charts.PALETTE[4], charts.PALETTE[2]])


def latency_chart(daily: pd.DataFrame) -> alt.Chart | None:
    """p50 / p95 / p99 of Genie's statement durations per day, in seconds on a log scale."""
    if daily.empty:
        return None
    names = {"p50_ms": "p50", "p95_ms": "p95", "p99_ms": "p99"}
    long = daily.melt(id_vars=["day"], value_vars=list(names), var_name="series", value_name="value")
    long = long.assign(series=long["series"].map(names), value=long["value"].astype("float64") / 1000.0)
    return _lines(long.dropna(subset=["value"]), "Day (UTC)", "Statement duration (s, log scale)", ",.1f",
                  alt.Scale(type="log"), series_title="Percentile",
                  colours=[charts.PALETTE[0], charts.PALETTE[3], charts.PALETTE[1]])


def failure_chart(days: pd.DataFrame, threshold: float) -> alt.Chart | None:
    """Space × day heatmap of the flagged spaces' daily failure rates (colour capped at 4× the
    threshold), flagged days marked with a red dot; the 7-day baseline and counts in the tooltip."""
    if days.empty:
        return None
    spaces = days.drop_duplicates("space_id")
    label = dict(zip(spaces["space_id"], space_labels(spaces), strict=True))
    latest = days[days["flagged"].astype(bool)].groupby("space_id")["day"].max().sort_values(ascending=False)
    order = [label[s] for s in latest.index] + [label[s] for s in spaces["space_id"] if s not in latest.index]
    data = days.assign(space=days["space_id"].map(label), rate=days["failure_rate"].astype("float64"),
                       baseline=days["baseline_rate"].astype("float64"))
    tooltip = [alt.Tooltip("space:N", title="Space"), alt.Tooltip("day:T", title="Day", format="%a %b %d"),
               alt.Tooltip("rate:Q", title="Failure rate", format=".0%"),
               alt.Tooltip("baseline:Q", title="7-day baseline", format=".0%"),
               alt.Tooltip("failed:Q", title="Failed", format=",.0f"),
               alt.Tooltip("finished:Q", title="Finished", format=",.0f"), alt.Tooltip("flagged:N", title="Flagged")]
    base = alt.Chart(data).encode(
        x=alt.X("yearmonthdate(day):T", title="Day (UTC)", axis=alt.Axis(format="%b %d", labelAngle=0)),
        y=alt.Y("space:N", title=None, sort=order, axis=alt.Axis(labelLimit=240, labelOverlap=False)),
        tooltip=tooltip)
    cells = base.mark_rect(cornerRadius=2).encode(color=alt.Color(
        "rate:Q", title="Failure rate", legend=alt.Legend(format=".0%"),
        scale=alt.Scale(domain=[0, max(4 * threshold, 0.05)], clamp=True, scheme="orangered")))
    flags = base.transform_filter(alt.datum.flagged).mark_point(
        filled=True, size=70, color=charts.PALETTE[1], stroke="white", strokeWidth=1.5, opacity=1).encode(
        x=alt.X("yearmonthdate(day):T", bandPosition=0.5))  # in the middle of the day's cell
    return charts.style(cells + flags, height=alt.Step(30))


def top_spaces_chart(ranked: pd.DataFrame, measure: str) -> alt.Chart | None:
    if ranked.empty or ranked[measure].fillna(0).sum() == 0:
        return None
    top = ranked.head(TOP_CHART_ROWS).assign(label=lambda f: space_labels(f))
    return charts.ranking(top, "label", measure, RANK_MEASURES[measure], RANK_FORMATS[measure], label_title="Space")


def error_types_chart(errors: pd.DataFrame) -> alt.Chart | None:
    if errors.empty:
        return None
    return charts.ranking(errors, "error_type", "messages", "Failed messages", label_title="Error type")


def new_vs_returning_chart(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty:
        return None
    return charts.stacked_bars(frame, "week", "Week (Monday)", {"returning_users": "Returning", "new_users": "New"},
                               "Users per week", time_unit="week")


FEEDBACK_LABELS = {"positive": "Thumbs up", "negative": "Thumbs down", "review_requests": "Review requests"}


def feedback_chart(daily: pd.DataFrame) -> alt.Chart | None:
    """Thumbs up, thumbs down and review requests per day."""
    if daily.empty or daily[list(FEEDBACK_LABELS)].to_numpy().sum() == 0:
        return None
    long = daily.melt(id_vars=["day"], value_vars=list(FEEDBACK_LABELS), var_name="kind", value_name="events")
    colours = [charts.PALETTE[2], charts.PALETTE[1], charts.PALETTE[3]]
    return _stacked_days(long, "kind", "events", FEEDBACK_LABELS, colours, "Feedback events per day", "Kind")


def retention_chart(cohorts: pd.DataFrame) -> alt.Chart | None:
    """Cohort week × weeks since the first Genie message, coloured by the share still asking."""
    return None if cohorts.empty else charts.retention_heatmap(cohorts, first="message")
