"""Genie space (space owners): one space's trends, top users, failures, feedback and configuration.
Opened from Genie spaces (?space=<space_id>); an unknown or crafted id is refused with a message."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import columns, tables, views
from telemetry.genie import usage as genie

settings = runtime.settings()
title = st.empty()
title.title("Genie space")
# A real wait: ?space= is checked against the spaces that exist before any per-space query runs.
options = ui.start(genie.filter_requests(genie.SPACE_FILTER_QUERIES))
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
    choices = tables.space_choices(options.frame("spaces_list"))
asked = st.query_params.get("space", "")
if not genie.known_space(asked, choices):
    st.warning("This link names a Genie space the console does not know: the id is mistyped, or the space was "
               "never fetched. Pick a space below or go back to the list.", icon=":material/warning:")
    st.page_link("pages/genie/spaces.py", label="Back to Genie spaces", icon=":material/arrow_back:")
    asked = ""
if asked:  # the URL holds the space id (a bound picker would hold its label): it decides the picker
    st.session_state["space"] = asked


def _keep_in_url() -> None:
    st.query_params["space"] = st.session_state["space"]


space = st.selectbox("Space", list(choices), key="space", format_func=choices.get, on_change=_keep_in_url)
if not space:
    ui.empty_state("Choose a space above, or open one from Genie spaces.")
    st.stop()
f = f.for_space(space)
data = ui.start(genie.requests(genie.SPACE_QUERIES, f, settings))

with ui.panel():
    ui.freshness([data["kpis"], data["space_info"]], data_as_of=genie.latest_event(data.frame("kpis")))
    summary = tables.space_summary(data.frame("space_info"))
    title.title(f"Genie space: {tables.markdown_safe(summary.title if summary else choices[space])}")
    if summary:  # user-written fields: shown as literal text, never as Markdown
        ui.facts(summary.description, (summary.state, "green" if summary.active else "gray"), **summary.facts)
    ui.kpi_row(genie.kpi_row(genie.SPACE_KPIS, data.frame("kpis"), data.frame("cost_totals")))

left, right = st.columns(2)
with left, ui.panel("Messages by outcome"):
    ui.chart(views.status_chart(data.frame("daily_status")), "No fetched messages of this space in the period.")
with right, ui.panel("Activity"):
    ui.chart(views.activity_chart(data.frame("daily_activity")), "Nobody asked this space anything in the period.")

left, right = st.columns(2)
with left, ui.panel("Failures by error type"):
    ui.table(tables.error_types_table(data.frame("error_types")), key="space_errors",
             preset=columns.SPACE_ERROR_TYPES,
             why_empty="No message of this space failed in the period.")
with right, ui.panel("Feedback and review requests"):
    ui.chart(views.feedback_chart(data.frame("feedback_daily")), "Nobody rated this space's answers in the period.")

with ui.panel("Top users"):
    ui.table(data.frame("top_users"), key="space_top_users", preset=columns.SPACE_TOP_USERS,
             why_empty="Nobody asked this space anything in the period.")

with ui.panel("Configuration", help="As the genie-spaces job last fetched it (serialized_space)"):
    summary = tables.space_summary(data.frame("space_info"))  # again: a failed query shows here, too
    if summary:
        ui.kpi_row(summary.counts, columns_per_row=5)
        ui.table(summary.items, key="space_items", preset=columns.SPACE_ITEMS,
                 why_empty="The space's configuration lists no tables, instructions or sample questions.")
    else:
        ui.empty_state("The console has not fetched this space's configuration: run the genie-spaces job.")
