"""Admin (platform admins): source tables and their freshness, the Genie pipeline gap, the jobs' last
successful runs, clearing cached results, and the running configuration."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.admin import health_view
from telemetry.ui import jobs_panels

PAGE = "pages/admin/health.py"
st.title("Data health")
ui.gate.require(PAGE)  # hidden from the menu too, but checked here on the server side
settings = runtime.settings()
# independent of the sources: they start now (the job rows below find their history in the cache)
pipeline = ui.start({**health_view.pipeline_requests(settings), **jobs_panels.prefetch()})

with ui.panel():
    sources = ui.sources()
    health_view.one_fault(sources)
    ui.freshness(data_as_of=health_view.newest_event(sources))
    ui.table(health_view.table(sources), key="sources", preset=health_view.TABLE, why_empty="No sources configured.")

with ui.panel("Genie pipeline gap", help=f"Last {health_view.GAP_DAYS} days: the Genie pipeline page has the detail"):
    ui.kpi_row(health_view.pipeline_kpis(pipeline.frame("pipeline_gap"), pipeline.frame("pipeline_stuck")),
               columns_per_row=6)

with ui.panel("Jobs", help="Each registered job's last run and last successful run (the Jobs page runs them)"):
    jobs_panels.summary(jobs_panels.rows())

with ui.panel("Cached results", help="Query results are cached per query for TELEMETRY_CACHE_TTL_SECONDS"):
    jobs_panels.cache_clearer()

with ui.panel("Configuration"):
    st.caption("Read once at start-up from the environment (app.yaml on Databricks Apps). No secrets are shown.")
    ui.table(health_view.configuration(runtime.settings()), key="configuration", preset=health_view.CONFIG,
             why_empty="No settings.")
