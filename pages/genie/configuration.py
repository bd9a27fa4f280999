"""Space configuration (space owners, platform admins): each Genie space's warehouse, tables,
instructions, sample questions and last update, as the genie-spaces job fetched them."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import columns, tables
from telemetry.genie import usage as genie

st.title("Space configuration")
settings = runtime.settings()

# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(genie.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
data = ui.start(genie.requests(genie.CONFIGURATION_QUERIES, f, settings))

with ui.panel():
    ui.freshness([data["configuration"]], data_as_of=tables.newest(data.frame("configuration"), "fetched_at"))
    st.caption("Counts are parsed from each space's serialized configuration (instructions are text instructions; "
               "example SQL and benchmarks are counted separately). Messages are this period's, from the audit log; "
               "a space with none may be unused. Open a space for its instructions and sample questions.")
    ui.kpi_row(tables.configuration_kpis(data.frame("configuration")))
    ui.table(tables.configuration_table(data.frame("configuration"), options.frame("workspaces_list")),
             key="configuration", preset=columns.CONFIGURATION, truncated=data["configuration"].truncated, height=560,
             why_empty="No Genie space configuration fetched yet: run `python -m telemetry jobs run genie-spaces`.")
