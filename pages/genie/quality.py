"""Genie quality (space owners, platform admins): outcomes over time, error types, failure spikes
flagged against each space's own baseline, and the latency of Genie's SQL."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import columns, tables, views
from telemetry.genie import usage as genie

PAGE = "pages/genie/quality.py"
st.title("Genie quality")
settings = runtime.settings()

# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(genie.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
header = st.container()
view = ui.views.pick(PAGE)
# The header's and the view's queries depend only on the filters: they start together.
data = ui.start(genie.requests(genie.HEADER_QUERIES + genie.QUALITY_VIEWS[view], f, settings))

with header, ui.panel():
    ui.freshness([data["kpis"]], data_as_of=genie.latest_event(data.frame("kpis")))
    ui.kpi_row(genie.kpi_row(genie.QUALITY_KPIS, data.frame("kpis")))


def status():
    left, right = st.columns(2)
    with left, ui.panel("Messages by outcome"):
        ui.chart(views.status_chart(data.frame("daily_status")), "No fetched Genie messages in this period.")
        st.caption(genie.SUCCESS_RULE)
    with right, ui.panel("Error types"):
        ui.chart(views.error_types_chart(data.frame("error_types")), "No Genie message failed in this period.")
    with ui.panel():
        ui.table(tables.error_types_table(data.frame("error_types")), key="error_types", preset=columns.ERROR_TYPES,
                 why_empty="No Genie message failed in this period.")


def spikes():
    with ui.panel("Failure spikes"):
        st.caption(genie.spike_rule(settings))
        ui.chart(views.failure_chart(data.frame("failure_days"), settings.genie.failure_rate_threshold),
                 "No space was flagged in this period.")
        st.caption("The most recently flagged spaces, one row each: :red[●] flagged day; hover a cell for its counts "
                   "and the space's 7-day baseline.")
    with ui.panel("Failure rate per space"):
        ui.table(tables.failure_table(data.frame("failure_spikes")), key="failure_spikes",
                 preset=columns.FAILURE_SPIKES, truncated=data["failure_spikes"].truncated,
                 why_empty="No fetched Genie messages in this period.")


def latency():
    with ui.panel("Latency of Genie's SQL", help="total_duration_ms of Genie's statements (system.query.history)"):
        ui.chart(views.latency_chart(data.frame("latency_daily")), "Genie ran no SQL in this period.")
        st.caption("Statements with query_source.genie_space_id, plus statements a fetched message names by "
                   "statement_id. Durations exclude result fetching.")
    with ui.panel("Per space, slowest first"):
        ui.table(tables.latency_table(data.frame("latency_by_space")), key="latency_by_space",
                 preset=columns.LATENCY_BY_SPACE, truncated=data["latency_by_space"].truncated,
                 why_empty="Genie ran no SQL in this period.")


{"Status": status, "Failure spikes": spikes, "Latency": latency}[view]()
