"""User journeys (app owners): funnels, paths, sessions, stickiness, feature adoption and churn risk,
from the events apps record with telemetry.tracker."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.tracker.analytics import adoption, churn, funnels, journeys, paths, sessions, stickiness
from telemetry.tracker.analytics import filters as tracker
from telemetry.tracker.analytics import journey_charts as charts
from telemetry.tracker.analytics import journey_columns as columns

PAGE = "pages/tracker/journeys.py"
st.title("User journeys")
settings = runtime.settings()
with ui.panel(required=True):  # a real wait inside: the pickers offer the apps the table holds
    f = ui.filters.tracker_filters(choose_actions=False)
view = ui.views.pick(PAGE)
controls = journeys.Controls()
if view in ("Funnels", "Paths"):  # the filter bar's options again: a cache hit, no new round trip
    actions = funnels.step_options(ui.start(tracker.option_requests()).frame("options"))
with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    if view == "Funnels":
        steps = st.multiselect("Steps, in order", actions, default=funnels.default_steps(actions), key="steps",
                               bind="query-params", max_selections=funnels.MAX_STEPS, width=560,
                               help="Pick 2–6 actions in the order users take them")
        window = st.segmented_control("Conversion window", list(funnels.WINDOWS), default=funnels.DEFAULT_WINDOW,
                                      key="window", bind="query-params", required=True)
        by_app = st.toggle("Split by app", key="by_app", bind="query-params",
                           help="A journey must then stay in one app")
        controls = journeys.Controls(tuple(steps), window or funnels.DEFAULT_WINDOW, by_app)
    if view == "Paths":
        action = st.selectbox("After (and before) the action", actions, index=paths.default_index(actions),
                              key="from", bind="query-params", width=360)
        controls = journeys.Controls(path_action=action or paths.default_action(actions))
    if view in ("Paths", "Sessions"):
        gap = st.number_input("Inactivity gap that ends a session (minutes)", sessions.MIN_GAP, sessions.MAX_GAP,
                              f.gap_minutes, step=5, key="gap", bind="query-params", width=320)
        f = sessions.with_gap(f, gap)
    if view == "Churn risk":
        ratio = st.slider("At risk below (% of their weekly baseline)", 5, 100, churn.DEFAULT_RATIO_PCT, step=5,
                          key="risk", bind="query-params", width=360)
        min_days = st.number_input("Minimum active days in the baseline", 1, 7 * churn.BASELINE_WEEKS,
                                   churn.DEFAULT_MIN_DAYS, key="min_days", bind="query-params", width=280)
        controls = journeys.Controls(rule=churn.rule(ratio, min_days))
# Everything below depends only on the filters and the controls above: the view's queries start together.
data = ui.start(journeys.requests(view, f, settings, controls))
NO_EVENTS = "No tracked events for these apps and users in this period."


def funnel_view():
    if problem := funnels.step_problem(controls.steps):
        ui.empty_state(problem)
        return
    with ui.panel():
        steps = funnels.table(data.frame("funnel"))
        ui.kpi_row(funnels.kpis(steps))
        why = f"No user did “{controls.steps[0]}” in this period, so no journey starts."
        if controls.by_app:
            st.caption(f"Conversion of the {charts.TOP_APPS} apps with the most journeys; the tables have every app.")
            ui.chart(charts.funnel_by_app(funnels.overall(steps)), why)
            ui.table(funnels.overall(steps), key="funnel_apps", preset=columns.FUNNEL_APPS, why_empty=why)
        else:
            ui.chart(charts.funnel(steps), why)
        st.caption(funnels.RULE)
        ui.table(steps, key="funnel", preset=columns.FUNNEL if controls.by_app else columns.FUNNEL_ALL, why_empty=why)


def paths_view():
    frame = data.frame("paths")
    why = f"“{controls.path_action}” did not happen in this period."
    with ui.panel(f"Around “{controls.path_action}”", help="Inside sessions: a longer gap ends one"):
        st.caption(f"{paths.occurrences(frame):,} times in the period. Edges: how often users went that way "
                   "(share of the step they came from); the flow shows the 5 most common branches.")
        ui.graph(paths.flow_dot(frame, controls.path_action), why)
    left, right = st.columns([3, 2])
    with left, ui.panel("What comes next"):
        ui.table(paths.next_steps(frame), key="paths_next", preset=columns.PATHS_AFTER, why_empty=why)
    with right, ui.panel("What comes before"):
        ui.table(paths.before_steps(frame), key="paths_before", preset=columns.PATHS_BEFORE, why_empty=why)


def sessions_view():
    with ui.panel():
        ui.freshness([data["session_summary"]], data_as_of=sessions.latest(data.frame("session_summary")))
        ui.kpi_row(sessions.kpis(data.frame("session_summary")))
    with ui.panel("Sessions per day"):
        ui.chart(charts.sessions_per_day(data.frame("session_daily")), NO_EVENTS)
    left, right = st.columns(2)
    with left, ui.panel("Session length"):
        ui.chart(charts.distribution(sessions.distribution(data.frame("session_lengths"), "minutes"),
                                     "Session length (first to last event)"), NO_EVENTS)
    with right, ui.panel("Actions per session"):
        ui.chart(charts.distribution(sessions.distribution(data.frame("session_lengths"), "actions"),
                                     "Tracked events in the session"), NO_EVENTS)
    with ui.panel("Per app"):
        ui.table(data.frame("session_apps"), key="session_apps", preset=columns.SESSION_APPS, why_empty=NO_EVENTS)


def stickiness_view():
    with ui.panel():
        ui.kpi_row(stickiness.kpis(data.frame("stickiness_daily")))
    with ui.panel("Stickiness over time", help="Each day against its own trailing 7 and 30 days"):
        ui.chart(charts.stickiness_ratios(stickiness.daily(data.frame("stickiness_daily"))), NO_EVENTS)
    with ui.panel("How many days a week users come back"):
        ui.chart(charts.active_days(stickiness.active_days(data.frame("stickiness_days"))),
                 "No whole week in this period: pick a period of at least 7 days.")
        st.caption(f"Each user's active days in each whole 7-day week counted back from the period's last day "
                   f"({stickiness.weeks(data.frame('stickiness_days'))} weeks).")
    with ui.panel("Per app", help="Over the 30 days to the period's last day"):
        ui.table(stickiness.apps(data.frame("stickiness_apps")), key="stickiness_apps",
                 preset=columns.STICKINESS_APPS, why_empty=NO_EVENTS)


def adoption_view():
    actions_frame = data.frame("adoption_actions")
    order = adoption.action_order(actions_frame)
    with ui.panel():
        ui.kpi_row(adoption.kpis(actions_frame))
    with ui.panel("Adoption per week", help="Share of the week's active users who used each feature"):
        ui.chart(charts.adoption_heatmap(adoption.weekly(data.frame("adoption_weekly"), order), order), NO_EVENTS)
    with ui.panel("Features in the period"):
        ui.chart(charts.adoption_top(adoption.table(actions_frame)), NO_EVENTS)
        ui.table(adoption.table(actions_frame), key="adoption", preset=columns.ADOPTION, why_empty=NO_EVENTS)


def churn_view():
    with ui.panel():
        st.markdown(churn.text(controls.rule, f))
        ui.kpi_row(churn.kpis(data.frame("churn_summary")))
    at_risk = churn.rows(data.frame("churn_risk"))
    why = "Nobody's activity fell below the rule's threshold: no user is at risk."
    with ui.panel("Users at risk", help="Largest falls first; open a user for their timeline"):
        ui.table(at_risk, key="churn", preset=columns.CHURN, why_empty=why)
    with ui.panel("At risk by main app"):
        ui.chart(charts.churn_by_app(churn.by_app(at_risk)), why)


{"Funnels": funnel_view, "Paths": paths_view, "Sessions": sessions_view, "Stickiness": stickiness_view,
 "Adoption": adoption_view, "Churn risk": churn_view}[view]()
