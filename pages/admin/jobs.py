"""Admin (platform admins): run the registered ingestion jobs and follow their runs; the audit trail."""

import streamlit as st

from telemetry import ui
from telemetry.ui import jobs_panels

PAGE = "pages/admin/jobs.py"
st.title("Jobs")
ui.gate.require(PAGE)  # hidden from the menu too, but checked here (and again by every action)
view = ui.views.pick(PAGE)

if view == "Jobs":
    with ui.panel(required=True):
        rows = jobs_panels.rows()  # the local runner, the Jobs API, or the run timeline when it is down
        jobs_panels.summary(rows)
    for row in rows:
        jobs_panels.job_card(row)
else:
    with ui.panel("Audit trail", help="Every admin action (run, cancel, repair, cache clear), from the tracker table"):
        jobs_panels.audit_trail()
