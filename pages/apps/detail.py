"""App detail (app owners): one app's adoption, lifecycle, owners, users, in-app actions and requests."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.apps import columns, inventory, views
from telemetry.apps import usage as apps

settings = runtime.settings()
title = st.empty()
# A real wait: ?app= is validated against the apps that exist before any per-app query runs.
options = ui.start(apps.filter_requests())
with ui.panel(required=True):
    if missing := inventory.empty_message(options.frame("apps_list")):  # a first deploy: say so, never zeros
        ui.empty_state(missing)
        st.stop()
    if note := inventory.unknown_apps_note(options.frame("apps_list")):
        st.caption(f":material/help: {note}")
    f = ui.filters.app_filters(options.frame("apps_list"), options.frame("workspaces_list"))
title.title(f"App: {f.app_name}" if f.app_name else "App detail")
if not f.app_name:
    ui.empty_state("Choose an app above, or open one from App usage → Top apps.")
    st.stop()
data = ui.start(apps.requests(apps.DETAIL_QUERIES, f, settings))

with ui.panel():
    ui.freshness([data["kpis"], data["daily_active"]], data_as_of=apps.latest_event(data.frame("kpis")))
    summary = views.app_summary(data.frame("app_info"))
    if summary:  # user-written fields: shown as literal text, never as Markdown
        ui.facts(summary.description, (summary.state, "green" if summary.running else "gray"),
                 workspace=summary.workspace, owners=summary.owners, created_by=summary.creator,
                 created=summary.created)
    ui.kpi_row([k for k in apps.kpis(data.frame("kpis"), data.frame("cost_totals")) if k.label != "Active apps"])

left, right = st.columns(2)
with left, ui.panel("Daily active users"):
    ui.chart(views.dau_chart(data.frame("daily_active"), f), "Nobody signed in to this app in the period.")
with right, ui.panel("Requests and errors (traces)"):
    ui.chart(views.requests_chart(data.frame("app_requests")),
             f"No spans with service.name = {f.app_name} in the period: the app does not send OpenTelemetry "
             "traces, or telemetry is not enabled for it.")
    ui.links(views.trace_links(f.app_name))

left, right = st.columns(2)
with left, ui.panel("Top users"):
    ui.table(data.frame("app_top_users"), key="app_top_users", preset=columns.TOP_USERS,
             why_empty="No sign-ins in the period.")
with right, ui.panel("In-app actions (tracker)"):
    ui.chart(views.actions_chart(data.frame("app_actions")), "This app sent no tracker events in the period.")
    ui.links(views.tracker_links(f.app_name))

with ui.panel("Lifecycle and sharing"):
    ui.table(data.frame("app_lifecycle"), key="app_lifecycle", preset=columns.LIFECYCLE,
             why_empty="No lifecycle or permission events in the period.")
