"""Overview (executives, everyone): every data source at a glance — volume, latest event, freshness."""

import streamlit as st

from telemetry import ui
from telemetry.admin import health_view

st.title("Overview")
st.caption("What the console reads, how much of it there is and how fresh it is.")

with ui.panel():
    sources = ui.sources()  # one cached call; the per-source checks run concurrently
    health_view.one_fault(sources)  # an unreachable warehouse is one message, not fifteen
    ui.kpi_row(health_view.summary(sources))
    ui.freshness(data_as_of=health_view.newest_event(sources))
    ui.tiles([health_view.tile(s) for s in sources])
