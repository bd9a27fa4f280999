"""Tracked events (app owners): what users do inside the apps, live and over the period; errors and
assistant use, from the events the apps record with telemetry.tracker."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.tracker.analytics import activity, assistant, charts, columns, errors

PAGE = "pages/tracker/events.py"
st.title("Tracked events")
settings = runtime.settings()
with ui.panel(required=True):  # a real wait inside: the pickers offer the apps and actions the table holds
    f = ui.filters.tracker_filters()
live_slot, header = st.container(), st.container()
view = ui.views.pick(PAGE)
split = "app"
if view == "Activity":
    split = st.segmented_control("Split events by", list(activity.SPLITS), key="split", default="app",
                                 bind="query-params", required=True, format_func=activity.SPLITS.get) or "app"
# Everything below depends only on the filters: the header's and the view's queries start together,
# and the live panel's start beside them (its fragment runs inline on a full run).
data = ui.start(activity.requests(view, f, settings, split=split))
carry = activity.carried(st.query_params)


@st.fragment(run_every=activity.LIVE_REFRESH_SECONDS)
def live() -> None:
    """Re-runs on its own every LIVE_REFRESH_SECONDS, without re-running the page."""
    now = activity.now()
    current = ui.start(activity.live_requests(f, settings, now))
    with ui.panel(f"Live: last {activity.LIVE_MINUTES} minutes", border=True):
        ui.kpi_row(activity.live_kpis(current.frame("live")), columns_per_row=3)
        left, right = st.columns([3, 2])
        with left:
            ui.chart(charts.live_sparkline(activity.live_trend(current.frame("live_minutes"), now)),
                     "No events in the last half hour.")
        with right:
            busiest = activity.live_apps(current.frame("live"))
            if busiest.empty:  # a quiet moment is not an error: no info box
                st.caption(activity.QUIET)
            else:
                ui.table(busiest, key="live_apps", preset=columns.LIVE_APPS, why_empty=activity.QUIET)
        st.caption(activity.live_caption(now))


with live_slot:
    live()

with header, ui.panel():
    ui.freshness([data["kpis"]], data_as_of=activity.latest_event(data.frame("kpis")))
    ui.kpi_row(activity.kpis(data.frame("kpis"), f), columns_per_row=3)


def activity_view() -> None:
    hourly = activity.hourly(f)
    with ui.panel("Events over time", help=activity.ACTIONS_HELP):
        ui.chart(charts.events_over_time(data.frame("events_over_time"), hourly, activity.SPLIT_TITLES[split]),
                 "No events in this period.")
        st.caption(f"The {activity.TOP_SERIES} busiest {split}s of the period; the rest as (other). "
                   f"{'Per hour' if hourly else 'Per day'} (periods up to {activity.HOURLY_MAX_DAYS} days are "
                   "drawn per hour).")
    with ui.panel("Daily active users per app", help=activity.ACTIONS_HELP):
        ui.chart(charts.dau_by_app(data.frame("dau_by_app")), "No events in this period.")
        st.caption(f"The {activity.TOP_SERIES} apps with the most users in the period.")
    with ui.panel("Popular actions", help=activity.ACTIONS_HELP):
        ranked = activity.popular_actions(data.frame("popular_actions"))
        left, right = st.columns([2, 3])
        with left:
            ui.chart(charts.popular_actions(ranked), "No events in this period.")
        with right:
            ui.table(ranked, key="popular_actions", preset=columns.POPULAR_ACTIONS,
                     why_empty="No events in this period.")
    with ui.panel("Top users", help=activity.ACTIONS_HELP):
        ui.table(activity.user_links(data.frame("top_users"), carry), key="top_users", preset=columns.TOP_USERS,
                 truncated=data["top_users"].truncated, why_empty="No events in this period.")


def errors_view() -> None:
    st.caption(errors.DEFINITION)
    by_kind_app = data.frame("error_by_kind")
    left, right = st.columns([2, 3])
    with left, ui.panel("Errors by kind"):
        ui.chart(charts.error_kinds(errors.by_kind(by_kind_app)), errors.WHY_EMPTY)
    with right, ui.panel(f"Errors by app (top {errors.TOP_APPS})"):
        ui.chart(charts.errors_by_app(errors.by_app(by_kind_app)), errors.WHY_EMPTY)
    with ui.panel("Error rate per day"):
        ui.chart(charts.error_rate(errors.daily_rate(data.frame("error_rate_daily"))), "No events in this period.")
    with ui.panel("Users most affected"):
        ui.table(activity.user_links(errors.top_users(data.frame("error_top_users")), carry), key="error_users",
                 preset=columns.ERROR_USERS, why_empty=errors.WHY_EMPTY)
    with ui.panel("Every app and kind"):
        ui.table(by_kind_app, key="errors_by_app", preset=columns.ERRORS_BY_KIND_APP, why_empty=errors.WHY_EMPTY,
                 truncated=data["error_by_kind"].truncated)


def assistant_view() -> None:
    by_app = data.frame("assistant_by_app")
    if by_app.empty:
        ui.empty_state(assistant.WHY_EMPTY)
        ui.captions(assistant.definitions())
        return
    with ui.panel("Assistant use"):
        ui.kpi_row(assistant.overall(by_app), columns_per_row=5)
        ui.captions(assistant.definitions())
    with ui.panel("Per week"):
        ui.chart(charts.assistant_weekly(assistant.weekly(data.frame("assistant_weekly"))), assistant.WHY_EMPTY)
        st.caption(assistant.WEEKS_NOTE)
    with ui.panel("Per app"):
        ui.table(assistant.per_app(by_app), key="assistant_by_app", preset=columns.ASSISTANT_BY_APP,
                 why_empty=assistant.WHY_EMPTY)
        st.caption(assistant.BLANK_NOTE)


{"Activity": activity_view, "Errors": errors_view, "Assistant": assistant_view}[view]()
