"""Altair charts of the Tracked events and Tracked user pages: labelled axes with units, a tooltip on
every mark, and None when there is nothing to draw (the page then says why).

Series beyond the console's seven-colour palette get colours of their own here (eight busiest plus
'(other)' in grey), so two apps never share a colour in one chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from telemetry import charts

OTHER = "(other)"
OTHER_COLOUR = "#B0B7BF"
SERIES_COLOURS = ["#1B3139", "#FF3621", "#00A972", "#FFAB00", "#2272B4", "#98102A", "#8E44AD", "#0E8C8C",
                  "#D35400", "#5D6D7E", "#C71585", "#7CB342"]
SPARK_HEIGHT = 150
LEGEND_RIGHT = {"orient": "right", "labelLimit": 200, "symbolLimit": 0}  # many series: beside, not above


def _series_scale(frame: pd.DataFrame, series: str, value: str) -> tuple[list[str], alt.Scale]:
    """Series ordered by total (largest first, '(other)' last) and a colour scale that gives each its own."""
    totals = frame.groupby(series)[value].sum().reset_index()
    named = totals[totals[series] != OTHER].sort_values([value, series], ascending=[False, True])[series].tolist()
    order = named + ([OTHER] if (totals[series] == OTHER).any() else [])
    colours = [OTHER_COLOUR if s == OTHER else SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, s in enumerate(order)]
    return order, alt.Scale(domain=order, range=colours)


def _day_axis(days: pd.Series) -> alt.Axis:
    """A day axis: one tick per day for up to two weeks (no repeated 'Nov 25' at 12-hour ticks), else Vega's."""
    few = pd.to_datetime(days).dt.normalize().nunique() <= 14
    return alt.Axis(format="%b %d", labelAngle=0, **({"tickCount": {"interval": "day", "step": 1}} if few else {}))


def _time_axis(hourly: bool) -> tuple[str, str, str]:
    """(axis title, axis format, tooltip format) of an hourly or daily time axis."""
    return ("Hour (UTC)", "%b %d %H:%M", "%a %b %d %H:00") if hourly else ("Day (UTC)", "%b %d", "%a %b %d")


def events_over_time(frame: pd.DataFrame, hourly: bool, split_title: str) -> alt.Chart | None:
    """Stacked bars of events per hour or day, one colour per app or action (tracker/events_over_time)."""
    if frame.empty:
        return None
    data = frame.assign(bucket=pd.to_datetime(frame["bucket"]))
    order, scale = _series_scale(data, "series", "events")
    unit = "hour" if hourly else "day"
    # Each bar spans its bucket (x to x2, a little short of the next), so 168 hourly bars stay legible.
    width = pd.Timedelta(hours=0.85) if hourly else pd.Timedelta(days=0.85)
    data = data.assign(series_rank=data["series"].map({s: i for i, s in enumerate(order)}),
                       bucket_end=data["bucket"] + width)
    title, axis_format, tip_format = _time_axis(hourly)
    axis = alt.Axis(format=axis_format, labelAngle=0) if hourly else _day_axis(data["bucket"])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("bucket:T", title=title, axis=axis), x2="bucket_end:T",
        y=alt.Y("sum(events):Q", title=f"Events per {unit}", stack=True, axis=alt.Axis(format="~s")),
        color=alt.Color("series:N", title=split_title, scale=scale, sort=order,
                        legend=alt.Legend(**LEGEND_RIGHT)),
        order=alt.Order("series_rank:Q"),
        tooltip=[alt.Tooltip("bucket:T", title=title, format=tip_format), alt.Tooltip("series:N", title=split_title),
                 alt.Tooltip("events:Q", title="Events", format=",.0f"),
                 alt.Tooltip("users:Q", title="Users", format=",.0f")])
    return charts.style(chart, height=320)


def live_sparkline(trend: pd.DataFrame) -> alt.Chart | None:
    """Events per minute over the last half hour (zeros included), small."""
    if trend.empty:
        return None
    data = trend.assign(minute_end=trend["minute"] + pd.Timedelta(seconds=50))  # a bar spans its minute
    chart = alt.Chart(data).mark_bar(color=charts.PALETTE[4], cornerRadiusEnd=1).encode(
        x=alt.X("minute:T", title="Minute (UTC)", axis=alt.Axis(format="%H:%M", tickCount=6, labelAngle=0)),
        x2="minute_end:T",
        y=alt.Y("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="~s"),
                # A quiet half hour still gets an axis (0 to 1, not NaN); a busy one a rounded top tick.
                scale=alt.Scale(domain=[0, 1]) if trend["events"].max() == 0 else alt.Scale(domainMin=0, nice=True)),
        y2=alt.datum(0),  # with x2 set, a bar spans x..x2 and needs its foot: Vega-Lite draws a sliver otherwise
        tooltip=[alt.Tooltip("minute:T", title="Minute (UTC)", format="%H:%M"),
                 alt.Tooltip("events:Q", title="Events", format=",.0f"),
                 alt.Tooltip("users:Q", title="Users", format=",.0f")])
    return charts.style(chart, height=SPARK_HEIGHT)


def popular_actions(frame: pd.DataFrame, n: int = 15) -> alt.Chart | None:
    """The most frequent actions as horizontal bars (events; users and share in the tooltip)."""
    if frame.empty:
        return None
    return charts.ranking(frame.head(n), "action", "events", "Events in the period", extra=["users"],
                          label_title="Action")


def dau_by_app(frame: pd.DataFrame) -> alt.Chart | None:
    """Daily active users of the busiest apps, one line each (tracker/dau_by_app)."""
    if frame.empty:
        return None
    data = frame.assign(day=pd.to_datetime(frame["day"]))
    order, scale = _series_scale(data, "app_name", "users")
    chart = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=16), strokeWidth=1.8).encode(
        x=alt.X("day:T", title="Day (UTC)", axis=_day_axis(data["day"])),
        y=alt.Y("users:Q", title="Active users per day"),
        color=alt.Color("app_name:N", title="App", scale=scale, sort=order,
                        legend=alt.Legend(**LEGEND_RIGHT)),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"), alt.Tooltip("app_name:N", title="App"),
                 alt.Tooltip("users:Q", title="Active users", format=",.0f"),
                 alt.Tooltip("events:Q", title="Events", format=",.0f")])
    return charts.style(chart, height=320)


def error_kinds(frame: pd.DataFrame) -> alt.Chart | None:
    """Error events per kind over all apps (errors.by_kind)."""
    if frame.empty:
        return None
    return charts.ranking(frame, "kind", "errors", "Error events", extra=["apps"], label_title="Kind")


def errors_by_app(frame: pd.DataFrame) -> alt.Chart | None:
    """Error events of the apps with the most errors, stacked by kind (errors.by_app)."""
    if frame.empty:
        return None
    order, scale = _series_scale(frame, "kind", "errors")
    apps = frame.drop_duplicates("app_name")["app_name"].tolist()
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("app_name:N", title=None, sort=apps, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X("errors:Q", title="Error events", stack=True, axis=alt.Axis(format="~s")),
        color=alt.Color("kind:N", title="Kind", scale=scale, sort=order),
        tooltip=[alt.Tooltip("app_name:N", title="App"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("errors:Q", title="Errors", format=",.0f"),
                 alt.Tooltip("users:Q", title="Users affected", format=",.0f")])
    return charts.style(chart, height=max(charts.HEIGHT, charts.RANK_ROW_PX * len(apps) + 60))


def error_rate(frame: pd.DataFrame) -> alt.Chart | None:
    """Error events per day (bars, left axis) and the day's error rate (line, right axis, %)."""
    if frame.empty or frame["events"].sum() == 0:
        return None
    base = alt.Chart(frame).encode(x=alt.X("yearmonthdate(day):T", title="Day (UTC)", axis=_day_axis(frame["day"])))
    tooltip = [alt.Tooltip("day:T", title="Day", format="%a %b %d"),
               alt.Tooltip("events:Q", title="Events", format=",.0f"),
               alt.Tooltip("errors:Q", title="Error events", format=",.0f"),
               alt.Tooltip("error_rate:Q", title="Error rate", format=".1%"),
               alt.Tooltip("users_with_errors:Q", title="Users with an error", format=",.0f")]
    bars = base.mark_bar(color=charts.PALETTE[0], opacity=0.35).encode(
        y=alt.Y("errors:Q", title="Error events per day"), tooltip=tooltip)
    line = base.mark_line(color=charts.PALETTE[1], point=True).encode(
        x=alt.X("yearmonthdate(day):T", title="Day (UTC)", bandPosition=0.5),  # a point mid-bar, not on its edge
        y=alt.Y("error_rate:Q", title="Error rate (errors ÷ events)", axis=alt.Axis(format=".1%")), tooltip=tooltip)
    return charts.style(alt.layer(bars, line).resolve_scale(y="independent"))


def assistant_weekly(frame: pd.DataFrame) -> alt.Chart | None:
    """Each assistant rate per week, one line per rate (assistant.weekly)."""
    if frame.empty:
        return None
    rates = frame["rate"].drop_duplicates().tolist()  # the definitions' order, so colours match the tiles
    data = frame.sort_values("week", kind="stable")
    data = data.assign(week_label=pd.to_datetime(data["week"]).dt.strftime("%b %d"))
    chart = alt.Chart(data).mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("week_label:O", title="Week (starting Monday, UTC)", sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title="Rate", axis=alt.Axis(format="%")),
        color=alt.Color("rate:N", title="Rate", sort=None,
                        scale=alt.Scale(domain=rates, range=SERIES_COLOURS)),
        tooltip=[alt.Tooltip("week:T", title="Week of", format="%b %d, %Y"), alt.Tooltip("rate:N", title="Rate"),
                 alt.Tooltip("value:Q", title="Value", format=".1%"),
                 alt.Tooltip("numerator:Q", title="Numerator", format=",.0f"),
                 alt.Tooltip("denominator:Q", title="Denominator", format=",.0f")])
    return charts.style(chart, height=340)


def user_daily(frame: pd.DataFrame) -> alt.Chart | None:
    """One user's events per day, stacked by app (user.daily)."""
    if frame.empty:
        return None
    order, scale = _series_scale(frame, "app_name", "events")
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("yearmonthdate(day):T", title="Day (UTC)", axis=_day_axis(frame["day"])),
        y=alt.Y("sum(events):Q", title="Events per day", stack=True),
        color=alt.Color("app_name:N", title="App", scale=scale, sort=order,
                        legend=alt.Legend(**LEGEND_RIGHT)),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %b %d"), alt.Tooltip("app_name:N", title="App"),
                 alt.Tooltip("events:Q", title="Events", format=",.0f")])
    return charts.style(chart)
