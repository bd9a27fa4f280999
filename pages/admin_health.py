"""Admin (platform admins): source tables, their freshness and columns, and the running configuration."""

import pandas as pd
import streamlit as st

from telemetry import config, runtime, ui
from telemetry.formatting import hours

st.title("Data health")
user = ui.current_user()
if not user.is_admin:  # hidden from the menu too, but checked here on the server side
    st.error("This page is for platform admins (TELEMETRY_ADMINS).", icon=":material/lock:")
    st.stop()

settings = runtime.settings()
sources = ui.sources()
ui.freshness(data_as_of=max((s.latest_event for s in sources if s.latest_event), default=None))

rows = pd.DataFrame([{
    "source": s.spec.key, "table": s.table, "status": s.status, "rows": s.row_count,
    "rows, last 24 h": s.rows_last_day, "newest row (UTC)": s.latest_event,
    "age": hours(s.age_hours), "expected within": f"{s.spec.stale_after_hours:g} h"
    if s.spec.stale_after_hours else "–", "note": s.message, "feeds": s.spec.purpose,
} for s in sources])
st.dataframe(rows, hide_index=True, width="stretch", column_config={
    "rows": st.column_config.NumberColumn(format="localized"),
    "rows, last 24 h": st.column_config.NumberColumn(format="localized"),
    "newest row (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
})

st.subheader("Configuration")
st.caption("Read once at start-up from the environment (app.yaml on Databricks Apps). No secrets are shown.")
st.dataframe(pd.DataFrame(config.describe(settings), columns=["setting", "value"]),
             hide_index=True, width="stretch")
