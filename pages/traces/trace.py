"""Trace (app and agent owners): one trace as a waterfall and a span tree; a span's attributes, events
and LLM call; the trace compared with another."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.traces import span_view
from telemetry.traces import trace_view as tv
from telemetry.traces import tree as trees
from telemetry.ui import trace_panels as panels

st.title("Trace")
settings = runtime.settings()
with st.container(horizontal=True):
    raw = st.text_input("Trace id", key="trace", bind="query-params", placeholder="32 hex characters", width=420)
    other = st.text_input("Compare with trace", key="compare", bind="query-params", width=420,
                          placeholder="another trace id (optional)")
a = tv.ask(raw, {**panels.url(), "compare": other})
if a.refused:
    st.warning(a.refused, icon=":material/warning:")
if not a.trace_id:
    ui.empty_state("Open a trace from Trace search, or paste a trace id above.")
    st.stop()
# One wave: the trace's spans, the selected span's detail and the compared trace do not depend on each other.
data = ui.start(tv.requests(a, settings))
prices = span_view.prices(settings.traces.llm_prices)

with ui.panel(required=True):
    ui.freshness([data[tv.SPANS]])
    tree = trees.build(data.frame(tv.SPANS))
    if tree.empty:
        ui.empty_state(tv.not_found(a))
        st.stop()
    name, facts = tv.headline(tree)
    ui.facts(name, tv.status_badge(tree), **facts)
    ui.kpi_row(tv.kpis(tree, prices), columns_per_row=6)
    st.caption(a.window.text)
    if note := tv.truncation_note(tree, settings.traces.max_trace_spans):
        st.warning(note, icon=":material/content_cut:")

selected = tv.selected_span(tree, a.span_id)
with ui.panel("Waterfall", help=trees.CRITICAL_PATH_HELP):
    shown = panels.waterfall_panel(tree, a.trace_id, settings.traces.span_render_limit, selected)

with ui.panel("Span tree"):
    panels.span_tree(shown, tree, a.trace_id, selected)

with ui.panel("Span detail"):
    panels.span_detail(span_view.detail(data.frame(tv.DETAIL), prices), a.span_id, tv.span_link)

if a.compare_id:
    with ui.panel("Compared with another trace"):
        panels.comparison(tree, trees.build(data.frame(tv.COMPARE)), a)
