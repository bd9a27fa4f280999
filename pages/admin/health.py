"""Admin (platform admins): source tables, their freshness and columns, and the running configuration."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.admin import health_view

PAGE = "pages/admin/health.py"
st.title("Data health")
ui.gate.require(PAGE)  # hidden from the menu too, but checked here on the server side

with ui.panel():
    sources = ui.sources()
    health_view.one_fault(sources)
    ui.freshness(data_as_of=health_view.newest_event(sources))
    ui.table(health_view.table(sources), key="sources", preset=health_view.TABLE, why_empty="No sources configured.")

with ui.panel("Configuration"):
    st.caption("Read once at start-up from the environment (app.yaml on Databricks Apps). No secrets are shown.")
    ui.table(health_view.configuration(runtime.settings()), key="configuration", preset=health_view.CONFIG,
             why_empty="No settings.")
