"""Tracked user (app owners): one user's tracked events: KPIs, timeline, apps, actions and daily activity."""

from datetime import UTC, datetime

import streamlit as st

from telemetry import runtime, ui
from telemetry.tracker.analytics import charts, columns
from telemetry.tracker.analytics import user as tracked

settings = runtime.settings()
st.title("Tracked user")
with st.container(border=True):
    cols = st.columns([5, 4])
    with cols[0]:
        start, end = ui.filters.date_range(datetime.now(UTC).date())
    who = tracked.clean(cols[1].text_input("User", key="user", bind="query-params", max_chars=tracked.MAX_USER_CHARS,
                                           placeholder="alice@corp.com", help="The e-mail the apps track"))
if not who:
    ui.empty_state(tracked.ASK)
    st.stop()
f = tracked.period_filters(start, end)
data = ui.start(tracked.requests(who, f, settings))  # one wave: the user is only a bound parameter

with ui.panel(required=True):
    ui.freshness([data["user_kpis"]])
    if not tracked.found(data.frame("user_kpis")):
        ui.empty_state(tracked.not_found(who))
        st.stop()
    ui.facts(who, **tracked.seen(data.frame("user_kpis")))  # escaped text: the URL's user is never Markdown
    ui.kpi_row(tracked.kpis(data.frame("user_kpis")), columns_per_row=5)
    ui.links({"← Tracked events": "tracker"})

with ui.panel("Daily activity"):
    ui.chart(charts.user_daily(tracked.daily(data.frame("user_daily"))), "No events in this period.")

with ui.panel("Timeline"):
    timeline = data.frame("user_timeline")
    st.caption(tracked.timeline_note(data.frame("user_kpis"), timeline))
    ui.table(timeline, key="user_timeline", preset=columns.USER_TIMELINE, why_empty="No events in this period.",
             height=420)

left, right = st.columns(2)
with left, ui.panel("Apps"):
    ui.table(tracked.apps(data.frame("user_breakdown")), key="user_apps", preset=columns.USER_APPS,
             why_empty="No events in this period.")
with right, ui.panel("Actions"):
    ui.table(tracked.actions(data.frame("user_breakdown")), key="user_actions", preset=columns.USER_ACTIONS,
             why_empty="No events in this period.")
