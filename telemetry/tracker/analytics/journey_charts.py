"""Altair charts of the User journeys page: labelled axes with units, a tooltip on every mark, and None
when there is nothing to draw (the page then says why). Inputs are the shaped frames of the view
modules (funnels.table, sessions.distribution, stickiness.daily, …); nothing is aggregated here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from telemetry import charts
from telemetry.tracker.analytics import stickiness

TOP_APPS = 15
_TEXT = "#1B3139"


def funnel(steps: pd.DataFrame) -> alt.Chart | None:
    """One funnel: a bar per step (journeys that reached it), labelled with the count and the share of
    the first step; the tooltip adds conversion from the previous step, drop-off and median time."""
    if steps.empty or steps["users"].sum() == 0:
        return None
    data = steps.assign(tag=[f"{u:,} · {p:.0f}%" for u, p in zip(steps["users"], steps["from_first"], strict=True)])
    order = list(data.sort_values("step")["label"])
    base = alt.Chart(data).encode(
        x=alt.X("label:N", title="Step", sort=order, axis=alt.Axis(labelAngle=0, labelLimit=200)),
        y=alt.Y("users:Q", title="Journeys (users) reaching the step", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("label:N", title="Step"), alt.Tooltip("users:Q", title="Users", format=",.0f"),
                 alt.Tooltip("from_previous:Q", title="From previous step (%)", format=".1f"),
                 alt.Tooltip("from_first:Q", title="From first step (%)", format=".1f"),
                 alt.Tooltip("dropped:Q", title="Dropped before this step", format=",.0f"),
                 alt.Tooltip("median_time:N", title="Median time from previous")])
    bars = base.mark_bar(color=charts.PALETTE[4], cornerRadiusEnd=3)
    labels = base.mark_text(dy=-8, fontSize=12, color=_TEXT).encode(text="tag:N")
    return charts.style(bars + labels, height=320)


def funnel_by_app(overall: pd.DataFrame) -> alt.Chart | None:
    """Overall conversion (first → last step) of the apps with the most journeys."""
    if overall.empty:
        return None
    top = overall.head(TOP_APPS)
    return charts.ranking(top, "app_name", "conversion", "Conversion, first to last step (%)", fmt=".0f",
                          extra=["entered", "completed"], label_title="App")


def sessions_per_day(daily: pd.DataFrame) -> alt.Chart | None:
    if daily.empty:
        return None
    data = daily.assign(day=pd.to_datetime(daily["day"]))
    return charts.style(alt.Chart(data).mark_bar(color=charts.PALETTE[0], cornerRadiusEnd=2).encode(
        x=alt.X("yearmonthdate(day):T", title="Day (UTC, session start)", axis=alt.Axis(format="%b %d")),
        y=alt.Y("sessions:Q", title="Sessions per day"),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"),
                 alt.Tooltip("sessions:Q", title="Sessions", format=",.0f"),
                 alt.Tooltip("users:Q", title="Users", format=",.0f"),
                 alt.Tooltip("median_minutes:Q", title="Median length (min)", format=".1f")]))


def distribution(rows: pd.DataFrame, x_title: str, y_title: str = "Sessions", value: str = "sessions"
                 ) -> alt.Chart | None:
    """Bars per bucket (in `bucket_order`) labelled with their share of the total (a 0–100 `share`)."""
    if rows.empty or rows[value].sum() == 0:
        return None
    data = rows.assign(tag=[f"{s:.0f}%" for s in rows["share"]])
    order = list(data["bucket"])
    base = alt.Chart(data).encode(
        x=alt.X("bucket:N", title=x_title, sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=y_title),
        tooltip=[alt.Tooltip("bucket:N", title=x_title), alt.Tooltip(f"{value}:Q", title=y_title, format=",.0f"),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1f")])
    return charts.style(base.mark_bar(color=charts.PALETTE[4], cornerRadiusEnd=2)
                        + base.mark_text(dy=-7, fontSize=11, color=_TEXT).encode(text="tag:N"))


def stickiness_ratios(daily: pd.DataFrame) -> alt.Chart | None:
    """DAU/MAU, DAU/WAU and WAU/MAU per day (each day's trailing 7 and 30 days)."""
    if daily.empty:
        return None
    data = daily.assign(day=pd.to_datetime(daily["day"]))
    long = data.melt(id_vars=["day", "dau", "wau", "mau"], value_vars=list(stickiness.RATIOS),
                     var_name="ratio", value_name="value")
    long["ratio"] = long["ratio"].map(stickiness.RATIOS)
    return charts.style(alt.Chart(long).mark_line(point=alt.OverlayMarkDef(size=16)).encode(
        x=alt.X("yearmonthdate(day):T", title="Day (UTC)", axis=alt.Axis(format="%b %d")),
        y=alt.Y("value:Q", title="Ratio", axis=alt.Axis(format="%")),
        color=alt.Color("ratio:N", sort=list(stickiness.RATIOS.values())),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"), alt.Tooltip("ratio:N", title="Ratio"),
                 alt.Tooltip("value:Q", title="Value", format=".1%"), alt.Tooltip("dau:Q", title="DAU"),
                 alt.Tooltip("wau:Q", title="WAU (7 days)"), alt.Tooltip("mau:Q", title="MAU (30 days)")]),
        height=300)


def active_days(rows: pd.DataFrame) -> alt.Chart | None:
    """How many days a week users come back: user-weeks by active days (1–7), share-labelled."""
    if rows.empty or rows["user_weeks"].sum() == 0:
        return None
    return distribution(rows.assign(bucket=rows["label"]), "Active days in the week",
                        "User-weeks (a user in one week)", value="user_weeks")


def adoption_heatmap(weekly: pd.DataFrame, order: list[str]) -> alt.Chart | None:
    """Feature × week, coloured and labelled by the share of that week's active users who used it."""
    if weekly.empty:
        return None
    base = alt.Chart(weekly).encode(
        x=alt.X("yearmonthdate(week):O", title="Week (starting Monday, UTC)", axis=alt.Axis(format="%b %d",
                                                                                           labelAngle=0)),
        y=alt.Y("action:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)))
    rect = base.mark_rect(cornerRadius=2).encode(
        color=alt.Color("share:Q", title="Share of active users", scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        legend=alt.Legend(format=".0%")),
        tooltip=[alt.Tooltip("week:T", title="Week of", format="%b %d, %Y"), alt.Tooltip("action:N", title="Feature"),
                 alt.Tooltip("users:Q", title="Users", format=",.0f"),
                 alt.Tooltip("active_users:Q", title="Active users that week", format=",.0f"),
                 alt.Tooltip("share:Q", title="Share", format=".0%")])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition(alt.datum.share > 0.6, alt.value("white"), alt.value(_TEXT)))
    return charts.style(rect + text, height=alt.Step(26))


def adoption_top(table: pd.DataFrame) -> alt.Chart | None:
    if table.empty:
        return None
    return charts.ranking(table, "action", "share", "Share of active users who used it (%)", fmt=".0f",
                          extra=["users", "events"], label_title="Feature")


def churn_by_app(by_app: pd.DataFrame) -> alt.Chart | None:
    if by_app.empty:
        return None
    return charts.ranking(by_app.head(TOP_APPS), "main_app", "users", "Users at risk (by their main app)",
                          label_title="App")
