"""Altair chart builders: one look, labelled axes with units, tooltips on every mark.

Builders take the small frames the named queries return and never aggregate rows themselves
(altair transforms only reshape or label). Pages pass the chart to `st.altair_chart`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

PALETTE = ["#1B3139", "#FF3621", "#00A972", "#FFAB00", "#2272B4", "#98102A", "#6B7280"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
HEIGHT = 280
RANK_ROW_PX = 26  # one bar and its label per row, at the axis font size


def style(chart: alt.Chart, height: int | alt.Step = HEIGHT) -> alt.Chart:
    return (chart.properties(height=height)
            .configure_axis(labelFontSize=11, titleFontSize=12, titleFontWeight="normal", grid=True,
                            gridColor="#EEEEEE")
            .configure_legend(orient="top", title=None, labelFontSize=11)
            .configure_view(strokeWidth=0)
            .configure_range(category=PALETTE))


def daily_with_band(frame: pd.DataFrame, value: str, title: str, rule: str) -> alt.Chart:
    """A daily line with its expected band and anomalies as red points (the rule in the tooltip)."""
    base = alt.Chart(frame.assign(rule=rule)).encode(x=alt.X("day:T", title="Day (UTC)", axis=alt.Axis(format="%b %d")))
    tooltip = [alt.Tooltip("day:T", title="Day", format="%a %b %d"),
               alt.Tooltip(f"{value}:Q", title=title, format=",.0f"),
               alt.Tooltip("lower:Q", title="Expected from", format=",.0f"),
               alt.Tooltip("upper:Q", title="Expected to", format=",.0f"), alt.Tooltip("rule:N", title="Rule")]
    area = base.mark_area(opacity=0.15, color=PALETTE[4]).encode(y="lower:Q", y2="upper:Q", tooltip=tooltip)
    line = base.mark_line(color=PALETTE[0], point=alt.OverlayMarkDef(size=18, color=PALETTE[0])).encode(
        y=alt.Y(f"{value}:Q", title=title), tooltip=tooltip)
    flagged = base.transform_filter(alt.datum.anomaly).mark_point(
        color=PALETTE[1], size=110, filled=True).encode(y=f"{value}:Q", tooltip=tooltip)
    return style(area + line + flagged)


def ranking(frame: pd.DataFrame, label: str, measure: str, title: str, fmt: str = ",.0f",
            extra: list[str] | None = None, label_title: str | None = None) -> alt.Chart:
    """Horizontal bars, largest first, with the value in the tooltip. One row per bar, each labelled:
    the height grows with the rows and label overlap is never resolved by dropping labels."""
    label_title = label_title or label.replace("_", " ").capitalize()
    tooltip = [alt.Tooltip(f"{label}:N", title=label_title),
               alt.Tooltip(f"{measure}:Q", title=title, format=fmt)]
    tooltip += [alt.Tooltip(f"{c}:Q", format=",.0f") for c in extra or []]
    chart = alt.Chart(frame).mark_bar(color=PALETTE[0], cornerRadiusEnd=2).encode(
        x=alt.X(f"{measure}:Q", title=title, axis=alt.Axis(format=fmt.replace(",.0f", "~s"))),
        y=alt.Y(f"{label}:N", sort="-x", title=None,
                axis=alt.Axis(labelLimit=240, labelOverlap=False, labelFontSize=11)),
        tooltip=tooltip)
    return style(chart, height=max(HEIGHT, RANK_ROW_PX * len(frame) + 40))


def stacked_bars(frame: pd.DataFrame, x: str, x_title: str, series: dict[str, str], y_title: str,
                 time_unit: str = "T") -> alt.Chart:
    """Bars per x with one stacked colour per column in `series` ({column: legend label})."""
    long = frame.melt(id_vars=[x], value_vars=list(series), var_name="series", value_name="value")
    return stacked_bars_long(long, x, x_title, "series", "value", series, y_title, time_unit)


def stacked_bars_long(frame: pd.DataFrame, x: str, x_title: str, series_col: str, value_col: str,
                      labels: dict[str, str], y_title: str, time_unit: str = "T") -> alt.Chart:
    """Stacked bars from long data: one row per x and series value ({series value: legend label})."""
    long = frame.assign(series=frame[series_col].map(labels), value=frame[value_col])
    series = labels
    if time_unit == "week":  # one bar per week, labelled by its Monday, in date order
        long = long.sort_values(x).assign(**{x: pd.to_datetime(long[x]).dt.strftime("%b %d")})
        x_enc = alt.X(f"{x}:O", title=x_title, sort=None, axis=alt.Axis(labelAngle=0))
        time_unit = "O"
    else:
        x_enc = alt.X(f"{x}:{time_unit}", title=x_title)
    return style(alt.Chart(long).mark_bar().encode(
        x=x_enc,
        y=alt.Y("value:Q", title=y_title, stack=True),
        color=alt.Color("series:N", sort=list(series.values())),
        tooltip=[alt.Tooltip(f"{x}:{time_unit}", title=x_title), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("value:Q", title=y_title, format=",.0f")]))


def weekday_hour_heatmap(frame: pd.DataFrame, tz_label: str) -> alt.Chart:
    """Weekday × hour. The colour scale stops at the 95th percentile so one outlier cell cannot wash
    out the rest; cells above it show the darkest colour and their exact count on hover."""
    cap = float(frame["logins"].quantile(0.95)) if len(frame) else 1.0
    data = frame.assign(day=frame["weekday"].map(lambda d: WEEKDAYS[int(d) - 1]))
    return style(alt.Chart(data).mark_rect(cornerRadius=2).encode(
        x=alt.X("hour:O", title=f"Hour of day ({tz_label})", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("day:N", sort=WEEKDAYS, title=None),
        color=alt.Color("logins:Q", title="Logins", scale=alt.Scale(domain=[0, max(cap, 1.0)], clamp=True,
                                                                     scheme="blues")),
        tooltip=[alt.Tooltip("day:N", title="Weekday"), alt.Tooltip("hour:O", title="Hour"),
                 alt.Tooltip("logins:Q", title="Logins", format=",.0f"),
                 alt.Tooltip("users:Q", title="Users", format=",.0f")]), height=alt.Step(32))


def retention_heatmap(cohorts: pd.DataFrame, first: str = "sign-in") -> alt.Chart:
    """Cohort week × weeks since the first `first` (sign-in, message), coloured by the share still active."""
    data = cohorts.assign(share=cohorts["users"] / cohorts["cohort_size"])
    base = alt.Chart(data).encode(
        x=alt.X("week_offset:O", title=f"Weeks since first {first}", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort_week:O", title=f"Cohort (week of first {first})", timeUnit="yearmonthdate",
                axis=alt.Axis(format="%b %d")))
    rect = base.mark_rect().encode(
        color=alt.Color("share:Q", title="Retained", scale=alt.Scale(domain=[0, 1], scheme="greens"),
                        legend=alt.Legend(format=".0%")),
        tooltip=[alt.Tooltip("cohort_week:T", title="Cohort", format="%b %d, %Y"),
                 alt.Tooltip("week_offset:O", title="Week"), alt.Tooltip("users:Q", title="Active users"),
                 alt.Tooltip("cohort_size:Q", title="Cohort size"), alt.Tooltip("share:Q", format=".0%")])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition(alt.datum.share > 0.6, alt.value("white"), alt.value("#1B3139")))
    return style(rect + text, height=alt.Step(28))


def bars(frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, order: str | None = None,
         color: str = PALETTE[0]) -> alt.Chart:
    """Vertical bars for a categorical x (kept in the order of `order` when given)."""
    sort = alt.EncodingSortField(field=order, order="ascending") if order else None
    return style(alt.Chart(frame).mark_bar(color=color, cornerRadiusEnd=2).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=sort, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title),
        tooltip=[alt.Tooltip(f"{x}:N", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f")]))


def requests_and_errors(frame: pd.DataFrame) -> alt.Chart:
    """Daily requests (bars) and error rate (line, right axis) from an app's spans."""
    data = frame.assign(error_rate=frame["errors"] / frame["requests"].where(frame["requests"] > 0))
    base = alt.Chart(data).encode(x=alt.X("day:T", title="Day (UTC)", axis=alt.Axis(format="%b %d")))
    tooltip = [alt.Tooltip("day:T", format="%a %b %d"), alt.Tooltip("requests:Q", format=",.0f"),
               alt.Tooltip("errors:Q", format=",.0f"), alt.Tooltip("error_rate:Q", title="Error rate", format=".1%"),
               alt.Tooltip("p95_ms:Q", title="p95 latency (ms)", format=",.0f")]
    reqs = base.mark_bar(color=PALETTE[0], opacity=0.8).encode(
        y=alt.Y("requests:Q", title="Requests per day"), tooltip=tooltip)
    rate = base.mark_line(color=PALETTE[1], point=True).encode(
        y=alt.Y("error_rate:Q", title="Error rate", axis=alt.Axis(format="%")), tooltip=tooltip)
    return style(alt.layer(reqs, rate).resolve_scale(y="independent"))
