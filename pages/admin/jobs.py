"""Admin (platform admins): the registered jobs, their runs, and the audit trail of admin actions."""

import streamlit as st

from telemetry import ui

PAGE = "pages/admin/jobs.py"
st.title("Jobs")
ui.gate.require(PAGE)
view = ui.views.pick(PAGE)
st.info("Being built (issue 12).")
