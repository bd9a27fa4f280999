"""Genie summary (space owners, platform admins): messages, users, success, feedback and cost of
every Genie space, against the previous period, and their trends."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import usage as genie
from telemetry.genie import views

st.title("Genie summary")
settings = runtime.settings()

# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(genie.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
# Everything below depends only on the filters: its queries start together.
data = ui.start(genie.requests(genie.SUMMARY_QUERIES, f, settings))

with ui.panel():
    ui.freshness([data["kpis"], data["cost_totals"]], data_as_of=genie.latest_event(data.frame("kpis")))
    ui.kpi_row(genie.kpi_row(genie.SUMMARY_KPIS, data.frame("kpis"), data.frame("cost_totals")))

left, right = st.columns(2)
with left, ui.panel("Messages by outcome", help="Messages fetched from the Genie API, by their final status"):
    ui.chart(views.status_chart(data.frame("daily_status")),
             "No fetched Genie messages in this period: is the genie-messages job running?")
with right, ui.panel("Activity", help="From the audit log: every message, fetched or not"):
    ui.chart(views.activity_chart(data.frame("daily_activity")), "Nobody asked Genie anything in this period.")
st.page_link("pages/genie/spaces.py", label="Every space: activity, follow-ups and cost",
             icon=":material/arrow_forward:")
