"""Genie spaces (space owners, platform admins): activity, follow-ups, feedback and cost per space,
each linking to its own page."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import columns, tables, views
from telemetry.genie import usage as genie

st.title("Genie spaces")
settings = runtime.settings()

# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(genie.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
mine = genie.owned_requests(ui.current_user())  # the spaces a Genie space owner created
data = ui.start({**genie.requests(genie.SPACES_QUERIES, f, settings), **mine})

with ui.panel():
    ui.freshness([data["kpis"], data["spaces_activity"]], data_as_of=genie.latest_event(data.frame("kpis")))
    ui.kpi_row(genie.kpi_row(genie.SPACES_KPIS, data.frame("kpis"), data.frame("cost_totals")))

your_spaces = st.container()  # space owners see their own spaces first
with ui.panel("Top spaces"):
    measure = st.radio("Rank by", list(views.RANK_MEASURES), horizontal=True, key="rank_by", bind="query-params",
                       format_func=views.RANK_MEASURES.get)
    ranked = tables.ranked_spaces(data.frame("spaces_activity"), measure, options.frame("workspaces_list"))
    ui.chart(views.top_spaces_chart(ranked, measure), "No space had messages or cost in this period.")
    ui.table(ranked, key="spaces", preset=columns.SPACES, truncated=data["spaces_activity"].truncated,
             why_empty="No space had messages or cost in this period.")
    st.caption(f"Messages / conversation is 1 + the follow-up rate. {genie.COST_RULE}")

if mine:  # after the radio: their spaces in the chosen order (the panel shows a failed query in place)
    with your_spaces, ui.panel("Your spaces"):
        ranked = tables.ranked_spaces(data.frame("spaces_activity"), measure, options.frame("workspaces_list"))
        ui.table(tables.owned_spaces(data.frame("owned_spaces"), ranked), key="owned_spaces", preset=columns.SPACES,
                 why_empty="You created no Genie space the console knows.")
