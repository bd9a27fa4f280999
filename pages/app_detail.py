"""App detail (app owners): one app's adoption, lifecycle, owners, users, in-app actions and requests."""

import streamlit as st

from telemetry import app_usage as au
from telemetry import charts, runtime, ui, ui_filters
from telemetry.metrics.anomalies import RULE, band

settings = runtime.settings()
apps, workspaces = ui.query("app_usage/apps_list"), ui.query("app_usage/workspaces_list")
if apps is None or workspaces is None:
    st.stop()
title = st.empty()
f = ui_filters.app_filters(apps.frame, workspaces.frame)
title.title(f"App: {f.app_name}" if f.app_name else "App detail")
if not f.app_name:
    ui.empty_state("Choose an app above, or open one from App usage → Top apps.")
    st.stop()


def q(name: str):
    return ui.query(f"app_usage/{name}", **au.params(f"app_usage/{name}", f, settings))


info, kpis, cost, daily = q("app_info"), q("kpis"), q("cost_totals"), q("daily_active")
if None in (info, kpis, cost, daily):
    st.stop()
ui.freshness(kpis, daily, data_as_of=au.latest_event(kpis.frame))
if not info.empty:
    row = info.frame.iloc[0]
    st.markdown(f"**{row['description'] or 'No description'}** · {row['workspace']} · "
                f":{'green' if row['app_state'] == 'RUNNING' else 'gray'}-badge[{row['app_state']}] · "
                f"owners: {row['owners'] or '–'} · created by {row['creator']} on {row['create_time']:%Y-%m-%d}")
ui.kpi_row([k for k in au.kpis(kpis.frame, cost.frame) if k.label != "Active apps"])

left, right = st.columns(2)
with left:
    st.subheader("Daily active users")
    series = band(daily.frame, "dau", partial_day=f.end).query("day >= @f.start")
    ui.chart(charts.daily_with_band(series, "dau", "Active users per day", RULE), daily.frame["dau"].sum() == 0,
             "Nobody signed in to this app in the period.")
with right:
    st.subheader("Requests and errors (traces)")
    req = q("app_requests")
    if req is not None:
        ui.chart(charts.requests_and_errors(req.frame), req.empty,
                 f"No spans with service.name = {f.app_name} in the period: the app does not send "
                 "OpenTelemetry traces, or telemetry is not enabled for it.")

left, right = st.columns(2)
with left:
    st.subheader("Top users")
    users = q("app_top_users")
    if users is not None:
        ui.table(users.frame, key="app_top_users", why_empty="No sign-ins in the period.", column_config={
            "user_email": "User", "logins": "Logins", "active_days": "Active days",
            "first_login": st.column_config.DatetimeColumn("First login (UTC)", format="YYYY-MM-DD HH:mm"),
            "last_login": st.column_config.DatetimeColumn("Last login (UTC)", format="YYYY-MM-DD HH:mm")})
with right:
    st.subheader("In-app actions (tracker)")
    actions = q("app_actions")
    if actions is not None:
        ui.chart(charts.ranking(actions.frame, "action", "events", "Events"), actions.empty,
                 "This app sent no tracker events in the period.")

st.subheader("Lifecycle and sharing")
life = q("app_lifecycle")
if life is not None:
    ui.table(life.frame, key="app_lifecycle", why_empty="No lifecycle or permission events in the period.",
             column_config={"event_time": st.column_config.DatetimeColumn("When (UTC)"), "action": "Action",
                            "user_email": "By", "status_code": "Status", "error_message": "Error"})
