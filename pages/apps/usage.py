"""App usage (app owners, executives): adoption, activity, retention, errors and sharing of every app."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.apps import columns, inventory, views
from telemetry.apps import usage as apps
from telemetry.metrics.anomalies import RULE

PAGE = "pages/apps/usage.py"
st.title("App usage")
if st.query_params.get("app"):  # the per-app view lives on its own page; keep old links working
    st.switch_page("pages/apps/detail.py", query_params={"app": st.query_params["app"]})
settings = runtime.settings()

# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(apps.filter_requests())
with ui.panel(required=True):
    if missing := inventory.empty_message(options.frame("apps_list")):  # a first deploy: say so, never zeros
        ui.empty_state(missing)
        st.stop()
    if note := inventory.unknown_apps_note(options.frame("apps_list")):
        st.caption(f":material/help: {note}")
    f = ui.filters.app_filters(options.frame("apps_list"), options.frame("workspaces_list"), choose_app=False)
header = st.container()
view = ui.views.pick(PAGE)
f = ui.filters.view_options(view, f)  # the Sessions gap and the When time zone, when those views show
# Everything below depends only on the filters: the header's and the view's queries start together
# (with the apps the signed-in user owns, when they are an app owner).
mine = apps.owned_requests(ui.current_user())
data = ui.start({**apps.requests(apps.HEADER_QUERIES + apps.VIEW_QUERIES[view], f, settings), **mine})

with header, ui.panel():
    ui.freshness([data["kpis"], data["cost_totals"]], data_as_of=apps.latest_event(data.frame("kpis")))
    ui.kpi_row(apps.kpis(data.frame("kpis"), data.frame("cost_totals")))
if mine:  # app owners see their own apps first
    with header, ui.panel("Your apps"):
        ui.table(views.owned_apps(data.frame("owned_apps")), key="owned_apps", preset=columns.OWNED_APPS,
                 why_empty="No app in the inventory lists you as its creator or an owner.")


def activity():
    with ui.panel("Daily active users"):
        ui.chart(views.dau_chart(data.frame("daily_active"), f), "No sign-ins to the apps in scope in this period.")
        st.caption(f":red[●] unusual day. {RULE}")
    left, right = st.columns(2)
    with left, ui.panel("New vs returning users"):
        ui.chart(views.new_vs_returning_chart(data.frame("new_vs_returning")), "No active users in this period.")
    with right, ui.panel("User segments"):
        ui.chart(views.segments_chart(data.frame("segments")), "No active users in this period.")
        ui.captions(apps.segment_captions(f))


def top_apps():
    with ui.panel():
        measure = st.radio("Rank by", list(views.RANK_MEASURES), horizontal=True, key="rank_by",
                           format_func=views.RANK_LABELS.get)
        ranked = views.ranked_apps(data.frame("top_apps"), data.frame("cost_by_app"), measure)
        ui.chart(views.top_apps_chart(ranked, measure), "No app had sign-ins or cost in this period.")
        ui.table(ranked, key="top_apps", preset=columns.TOP_APPS, truncated=data["top_apps"].truncated,
                 why_empty="No app had sign-ins in this period.")


def when():
    with ui.panel():
        ui.chart(views.heatmap(data.frame("weekday_hour"), f.tz_label), "No sign-ins in this period.")
        st.caption("Colour scale capped at the 95th percentile so one busy hour cannot hide the pattern; "
                   "hover a cell for its exact count.")


def retention():
    with ui.panel():
        ui.chart(views.retention_chart(data.frame("retention")), "No cohorts start in this period.")
        matrix, preset = views.retention_table(data.frame("retention"))
        ui.table(matrix, key="retention", preset=preset, why_empty="No cohorts start in this period.")


def sessions():
    with ui.panel():
        ui.kpi_row(views.session_kpis(data.frame("sessions")))
        ui.chart(views.session_length_chart(data.frame("sessions")), "No sessions in this period.")


def errors():
    with ui.panel():
        ui.chart(views.errors_chart(data.frame("errors_daily")), "No failed sign-ins or deployments in this period.")
        ui.table(data.frame("error_messages"), key="error_messages", preset=columns.ERROR_MESSAGES,
                 truncated=data["error_messages"].truncated, why_empty="Nothing failed.")


def sharing():
    with ui.panel():
        st.caption("Who granted what to whom (changeAppsAcl events, one row per grantee).")
        ui.table(data.frame("permission_changes"), key="permission_changes", preset=columns.PERMISSION_CHANGES,
                 truncated=data["permission_changes"].truncated, why_empty="No permission changes in this period.")


{"Activity": activity, "Top apps": top_apps, "When": when, "Retention": retention, "Sessions": sessions,
 "Errors": errors, "Sharing": sharing}[view]()
