"""Genie adoption (space owners, platform admins): new and returning users, weekly retention, top
users, feedback and review requests."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import columns, tables, views
from telemetry.genie import usage as genie

PAGE = "pages/genie/adoption.py"
st.title("Genie adoption")
settings = runtime.settings()

# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(genie.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
header = st.container()
view = ui.views.pick(PAGE)
# The header's and the view's queries depend only on the filters: they start together.
data = ui.start(genie.requests(genie.HEADER_QUERIES + genie.ADOPTION_VIEWS[view], f, settings))

with header, ui.panel():
    ui.freshness([data["kpis"]], data_as_of=genie.latest_event(data.frame("kpis")))
    ui.kpi_row(genie.kpi_row(genie.ADOPTION_KPIS, data.frame("kpis")))


def users():
    with ui.panel("New vs returning users"):
        ui.chart(views.new_vs_returning_chart(data.frame("new_returning")),
                 "Nobody asked Genie anything in this period.")
        st.caption(f"New: first Genie message in the period and none in the {genie.LOOKBACK_DAYS} days before.")
    with ui.panel("Top users"):
        ui.table(data.frame("top_users"), key="top_users", preset=columns.TOP_USERS,
                 why_empty="Nobody asked Genie anything in this period.")


def retention():
    with ui.panel():
        ui.chart(views.retention_chart(data.frame("retention")), "No cohorts start in this period.")
        ui.table(tables.retention_matrix(data.frame("retention")), key="retention",
                 preset=tables.retention_preset(data.frame("retention")), why_empty="No cohorts start in this period.")


def feedback():
    with ui.panel("Feedback and review requests"):
        ui.chart(views.feedback_chart(data.frame("feedback_daily")), "No feedback given in this period.")
        st.caption(f"From the audit log: {settings.genie.feedback_action} (each message's latest rating) and "
                   f"{settings.genie.comment_action} (a user asked the space's editors to review an answer).")
    with ui.panel("Per space"):
        ui.table(tables.feedback_table(data.frame("feedback_by_space")), key="feedback_by_space",
                 preset=columns.FEEDBACK_BY_SPACE, why_empty="No feedback given in this period.")


{"Users": users, "Retention": retention, "Feedback": feedback}[view]()
