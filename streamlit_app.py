"""Router and frame: page registry → st.navigation, and who is signed in. No queries here."""

import streamlit as st

from telemetry import registry, runtime, ui
from telemetry.config import ConfigError

st.set_page_config(page_title="Databricks Ops Console", page_icon=":material/monitoring:", layout="wide")

try:
    settings = runtime.settings()
except ConfigError as err:
    st.error(f"**The console cannot start: configuration problem.**\n\n{err}", icon=":material/settings:")
    st.stop()

ui.login_gate()
user = ui.current_user()

pages = {
    section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default,
                      help=p.help or None,
                      visibility="hidden" if p.hidden else "visible")
              for p in specs]
    for section, specs in registry.visible_pages(user.is_admin).items()
}
nav = st.navigation(pages, position="sidebar")

with st.sidebar:
    st.caption(f":material/person: {user.display_name} · {user.role}")
    engine_label = "embedded demo (DuckDB)" if settings.engine == "embedded" else "Databricks SQL warehouse"
    st.caption(f":material/database: {engine_label}")

nav.run()
