"""Trace search (app and agent owners): find traces by service, operation, status, duration and
attributes; latency, errors and LLM use over the same filters."""

from functools import partial

import streamlit as st

from telemetry import runtime, ui
from telemetry.traces import columns
from telemetry.traces import metrics_charts as mc
from telemetry.traces import search as ts
from telemetry.ui import keyset

PAGE = "pages/traces/search.py"
st.title("Trace search")
settings = runtime.settings()
notes: list[str] = []
with ui.panel(required=True):  # a real wait inside: the pickers validate the URL against the period's values
    f = ui.filters.trace_filters(notes)
for note in notes:
    st.warning(note, icon=":material/warning:")
view = ui.views.pick(PAGE)
group_by = "service"
if view == ts.VIEWS[1]:
    group_by = st.segmented_control("Split by", list(ts.GROUPS), key="group", default="service",
                                    bind="query-params", required=True, format_func=ts.GROUPS.get) or "service"
cursor = keyset.requested("after", f.signature)
data = ui.start(ts.requests(view, f, cursor, settings, group_by=group_by))

with ui.panel():
    ui.freshness([data["search_summary"]], data_as_of=ts.latest(data.frame("search_summary")))
    ui.kpi_row(ts.kpis(data.frame("search_summary"), data.frame(ts.PREVIOUS)), columns_per_row=6)

if view == ts.VIEWS[0]:
    with ui.panel():
        page, size = data.frame("search_page"), settings.traces.page_size
        ui.table(ts.rows(page, size), key="traces", preset=columns.TRACES, why_empty=ts.WHY_EMPTY)
        keyset.pager("after", ts.page_of(page, size))
        ui.download_all("Download all matching traces", partial(ts.export_csv, f, settings), file_name="traces.csv",
                        key="traces_all", note=ts.export_note(ts.total(page), settings))
else:
    title = ts.GROUPS[group_by]
    bucket = ts.bucket_for(f)
    with ui.panel("Traces over time"):
        ui.chart(mc.requests(data.frame("metrics_over_time"), bucket, title), ts.WHY_EMPTY)
    left, right = st.columns(2)
    with left, ui.panel("Trace duration"):
        pct = st.segmented_control("Percentile", list(mc.PERCENTILES), key="pct", default="p95_ms", bind="query-params",
                                   required=True, format_func=mc.PERCENTILES.get, label_visibility="collapsed")
        ui.chart(mc.latency(data.frame("metrics_over_time"), bucket, title, pct or "p95_ms"), ts.WHY_EMPTY)
    with right, ui.panel("Error rate"):
        ui.chart(mc.error_rate(data.frame("metrics_over_time"), bucket, title), ts.WHY_EMPTY)
    with ui.panel("Slowest operations", help="Spans of the matching traces by service and name, slowest p95 first"):
        ui.table(ts.slowest(data.frame("slowest_operations")), key="slowest", preset=columns.SLOWEST,
                 why_empty=ts.WHY_EMPTY)
    with ui.panel("LLM use by model", help=ts.PRICE_NOTE):
        ui.table(ts.priced(data.frame("llm_usage"), settings.traces.llm_prices), key="llm", preset=columns.LLM,
                 why_empty="No LLM spans (gen_ai.request.model) in the matching traces.")
