"""Router and frame: the gate, the registry's menu for the signed-in user, the page. No queries here."""

import streamlit as st

from telemetry.ui import frame

st.set_page_config(page_title="Databricks Ops Console", page_icon=":material/monitoring:", layout="wide")
frame.run()
