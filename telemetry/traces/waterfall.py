"""The waterfall: one bar per span on a shared time axis (ms since the trace's start), one row per span
in tree order labelled with its indented name, coloured by service; errors outlined in red with an
✕ after the bar; the critical path emphasised on request (the other bars fade), search matches
emphasised the same way; the selected span boxed. Clicking a bar selects it (the `span` selection).

The x axis sits on top so it stays in view while a tall chart scrolls in its container. Bars are at
least MIN_BAR_SHARE of the trace wide, so a 0.1 ms span next to a 5 s one can still be seen and hovered.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from telemetry import charts
from telemetry.traces import span_view
from telemetry.traces.tree import INDENT

ROW_PX = 20
LABEL_PX = 340  # the span names' column, left-aligned so the indentation shows the depth
# Service colours without red: red means an error here.
SERVICE_COLOURS = ["#2272B4", "#00A972", "#FFAB00", "#1B3139", "#8E6CC4", "#16A5A5", "#F28E2B", "#6B7280",
                   "#B07AA1", "#9C755F", "#4E79A7", "#59A14F"]
MIN_BAR_SHARE = 0.003
SELECTION = "span"  # the chart's click selection (fields: span_id)
ERROR_RED = "#D93025"
FADED = 0.22
_KEY_DIGITS = 6
INDENT_PER_LEVEL = "\u00b7\u2002\u2002"  # a dot per level: the chart trims leading blanks of a label


def _indent(depth: int) -> str:
    return INDENT_PER_LEVEL * int(depth)


def chart_data(spans: pd.DataFrame, duration_ms: float, *, critical_only: bool = False,
               matched: pd.Series | None = None, selected: str = "") -> pd.DataFrame:
    """The rows the chart draws: position-keyed labels, bar ends, emphasis and tooltip text."""
    minimum = max(duration_ms, 1e-3) * MIN_BAR_SHARE
    emphasis = pd.Series(1.0, index=spans.index)
    if critical_only:
        emphasis = emphasis.where(spans["critical"], FADED)
    if matched is not None:
        emphasis = emphasis.where(matched.reindex(spans.index, fill_value=False), FADED)
    return pd.DataFrame({
        "key": [f"{p:0{_KEY_DIGITS}d}|{_indent(d)}{label.lstrip(INDENT[0])}"
                for p, d, label in zip(spans["position"], spans["depth"], spans["label"], strict=True)],
        "span_id": spans["span_id"].astype(str),
        "name": spans["name"].astype(str),
        "service": spans["service_name"].astype(str),
        "start_ms": spans["offset_ms"].astype(float),
        "bar_end_ms": [max(e, s + minimum) for s, e in zip(spans["offset_ms"], spans["end_offset_ms"], strict=True)],
        "duration": [span_view.duration_text(v) for v in spans["duration_ms"]],
        "self": [span_view.duration_text(v) for v in spans["self_ms"]],
        "status": spans["status_code"].astype(str),
        "error": spans["status_code"].eq("ERROR").to_numpy(),
        "tokens": span_view.tokens_texts(spans),
        "critical": ["yes" if c else "" for c in spans["critical"]],
        "emphasis": emphasis.to_numpy(),
        "selected": spans["span_id"].astype(str).eq(selected).to_numpy(),
    })


def chart(spans: pd.DataFrame, duration_ms: float, *, critical_only: bool = False,
          matched: pd.Series | None = None, selected: str = "",
          window_ms: tuple[float, float] | None = None) -> alt.Chart | None:
    """The waterfall of `spans` (tree order; tree.visible(...).spans), or None when there are none.
    `window_ms` zooms the time axis to that part of the trace (bars outside it are clipped)."""
    if spans.empty:
        return None
    domain = list(window_ms) if window_ms and window_ms[1] > window_ms[0] else [0, max(duration_ms, 1e-3)]
    data = chart_data(spans, duration_ms, critical_only=critical_only, matched=matched, selected=selected)
    pick = alt.selection_point(name=SELECTION, fields=["span_id"], on="click", clear=False)
    tooltip = [alt.Tooltip("name:N", title="Span"), alt.Tooltip("service:N", title="Service"),
               alt.Tooltip("start_ms:Q", title="Starts at (ms)", format=",.2f"),
               alt.Tooltip("duration:N", title="Duration"), alt.Tooltip("self:N", title="Self time"),
               alt.Tooltip("status:N", title="Status"), alt.Tooltip("tokens:N", title="LLM tokens"),
               alt.Tooltip("critical:N", title="On the critical path"), alt.Tooltip("span_id:N", title="Span id")]
    y = alt.Y("key:N", sort="ascending", title=None,
              axis=alt.Axis(labelExpr=f"substring(datum.label, {_KEY_DIGITS + 1})", labelLimit=LABEL_PX - 12,
                            labelAlign="left", labelPadding=LABEL_PX, labelOverlap=False, labelFontSize=11,
                            ticks=False, domain=False, grid=False))
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    bars = base.mark_bar(height={"band": 0.72}, cornerRadius=2, clip=True).encode(
        x=alt.X("start_ms:Q", title="Time since the trace started (ms)",
                scale=alt.Scale(domain=domain, nice=False), axis=alt.Axis(orient="top", format=",.0f")),
        x2="bar_end_ms:Q",
        color=alt.Color("service:N", title="Service", scale=alt.Scale(range=SERVICE_COLOURS)),
        opacity=alt.Opacity("emphasis:Q", scale=None, legend=None),
        stroke=alt.condition("datum.error", alt.value(ERROR_RED), alt.value(None)),
        strokeWidth=alt.condition("datum.error", alt.value(2), alt.value(0)),
    ).add_params(pick)
    errors = base.transform_filter("datum.error").mark_text(
        text="✕", color=ERROR_RED, fontWeight="bold", fontSize=13, align="left", dx=4, clip=True).encode(
        x="bar_end_ms:Q")
    chosen = base.transform_filter("datum.selected").mark_bar(
        height={"band": 1.0}, filled=False, stroke="#1B3139", strokeWidth=1.5, strokeDash=[3, 2], clip=True).encode(
        x="start_ms:Q", x2="bar_end_ms:Q")
    return charts.style(alt.layer(bars, errors, chosen), height=alt.Step(ROW_PX))


def picked(selection: dict | None) -> str:
    """The span id a click on the chart selected ('' when none): Streamlit's selection state."""
    points = (selection or {}).get(SELECTION) or []
    if isinstance(points, list) and points and isinstance(points[0], dict):
        return str(points[0].get("span_id") or "")
    return ""
