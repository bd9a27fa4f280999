"""App usage (app owners, executives): adoption, activity, retention, errors and sharing of every app."""

import streamlit as st

from telemetry import app_usage as au
from telemetry import charts, runtime, ui, ui_filters
from telemetry.metrics.anomalies import RULE, band

st.title("App usage")
if st.query_params.get("app"):  # the per-app view lives on its own page; keep old links working
    st.switch_page("pages/app_detail.py", query_params={"app": st.query_params["app"]})

settings = runtime.settings()
apps, workspaces = ui.query("app_usage/apps_list"), ui.query("app_usage/workspaces_list")
if apps is None or workspaces is None:
    st.stop()
f = ui_filters.app_filters(apps.frame, workspaces.frame, choose_app=False)


def q(name: str, **overrides):
    return ui.query(f"app_usage/{name}", **{**au.params(f"app_usage/{name}", f, settings), **overrides})


kpis, cost = q("kpis"), q("cost_totals")
if kpis is None or cost is None:
    st.stop()
ui.freshness(kpis, cost, data_as_of=au.latest_event(kpis.frame))
ui.kpi_row(au.kpis(kpis.frame, cost.frame))

# One section at a time (bound to the URL): only the shown section's queries run.
view = st.segmented_control("Section", au.SECTIONS, default=au.SECTIONS[0], key="view", bind="query-params",
                            required=True, label_visibility="collapsed")
if view == "Activity":
    st.subheader("Daily active users")
    daily = q("daily_active")
    if daily is not None:
        series = band(daily.frame, "dau", partial_day=f.end).query("day >= @f.start")
        ui.chart(charts.daily_with_band(series, "dau", "Active users per day", RULE),
                 daily.frame["dau"].sum() == 0, "No sign-ins to the apps in scope in this period.", key="dau_chart")
        st.caption(f":red[●] unusual day. {RULE}")
    left, right = st.columns(2)
    with left:
        st.subheader("New vs returning users")
        nvr = q("new_vs_returning")
        if nvr is not None:
            ui.chart(charts.stacked_bars(nvr.frame, "week", "Week (Monday)", {
                "returning_users": "Returning", "new_users": "New"}, "Users per week", time_unit="week"), nvr.empty,
                "No active users in this period.")
    with right:
        st.subheader("User segments")
        seg = q("segments")
        if seg is not None:
            ui.chart(charts.bars(seg.frame.assign(order=seg.frame["segment"].map(au.SEGMENT_ORDER.index)),
                                 "segment", "users", "Segment", "Users", order="order"), seg.empty,
                     "No active users in this period.")
            st.caption(" · ".join(f"**{k}**: {v}" for k, v in au.segment_captions(f).items()))

elif view == "Top apps":
    top, app_cost = q("top_apps"), q("cost_by_app")
    if top is not None and app_cost is not None:
        measure = st.radio("Rank by", ["users", "logins", "cost_usd"], horizontal=True, key="rank_by",
                           format_func={"users": "Users", "logins": "Logins", "cost_usd": "Cost"}.get)
        ranked = au.top_apps(top.frame, app_cost.frame, measure, n=10_000)
        ui.chart(charts.ranking(ranked.head(15), "app_name", measure, {"users": "Users", "logins": "Logins",
                 "cost_usd": "Cost (USD, list price)"}[measure], "$,.0f" if measure == "cost_usd" else ",.0f"),
                 ranked.empty, "No app had sign-ins or cost in this period.", key="top_chart")
        ui.table(ranked.assign(
            details=lambda d: "app-detail?app=" + d["app_name"]), key="top_apps", truncated=top.truncated,
            why_empty="No app had sign-ins in this period.", column_config={
                "app_name": "App", "workspace": "Workspace", "users": "Users", "logins": "Logins",
                "active_days": "Active days",
                "details": st.column_config.LinkColumn("Details", display_text="Open"),
                "cost_usd": st.column_config.NumberColumn("Cost (USD)", format="dollar"),
                "last_login": st.column_config.DatetimeColumn("Last login (UTC)", format="YYYY-MM-DD HH:mm")})

elif view == "When":
    use_local = st.toggle("Show in my time zone", key="local_tz", bind="query-params")
    offset, tz_name = ui_filters.viewer_offset_minutes() if use_local else (0, "UTC")
    heat = q("weekday_hour", tz_offset_minutes=offset)
    if heat is not None:
        ui.chart(charts.weekday_hour_heatmap(heat.frame, tz_name), heat.empty, "No sign-ins in this period.")
        st.caption("Colour scale capped at the 95th percentile so one busy hour cannot hide the pattern; "
                   "hover a cell for its exact count.")

elif view == "Retention":
    ret = q("retention")
    if ret is not None:
        ui.chart(charts.retention_heatmap(ret.frame), ret.empty, "No cohorts start in this period.")
        matrix = au.retention_matrix(ret.frame)
        ui.table(matrix, key="retention", why_empty="No cohorts start in this period.", column_config={
            "cohort_week": st.column_config.DateColumn("Cohort (week of)"), "users": "Users in cohort",
            **{c: st.column_config.NumberColumn(c.capitalize(), format="%.0f%%")
               for c in matrix if c.startswith("week")}})

elif view == "Sessions":
    gap = st.number_input("Inactivity gap that ends a session (minutes)", 5, 240, settings.session_gap_minutes,
                          step=5, key="gap", bind="query-params", width=320)
    durations = q("sessions", gap_minutes=gap)
    if durations is not None and durations.empty:
        ui.empty_state("No sessions in this period.")
    elif durations is not None:
        s = durations.frame.iloc[0]
        cols = st.columns(4)
        cols[0].metric("Sessions", f"{s['total_sessions']:,.0f}", border=True)
        cols[1].metric("Sessions per user", f"{s['sessions_per_user'] or 0:,.1f}", border=True)
        cols[2].metric("Median session", f"{s['median_minutes'] or 0:,.1f} min", border=True,
                       help="Sessions with more than one event (a lone sign-in has no length)")
        cols[3].metric("Users with one session", f"{s['single_session_share'] or 0:.0%}", border=True)
        ui.chart(charts.bars(durations.frame, "bucket", "sessions", "Session length", "Sessions",
                             order="bucket_order"), durations.empty, "No sessions in this period.")

elif view == "Errors":
    errs, msgs = q("errors_daily"), q("error_messages")
    if errs is not None and msgs is not None:
        ui.chart(charts.stacked_bars_long(errs.frame, "day", "Day (UTC)", "kind", "errors", {
                 "login": "Failed sign-ins", "deployment": "Failed deployments / lifecycle"}, "Errors per day"),
                 errs.empty,
                 "No failed sign-ins or deployments in this period.")
        ui.table(msgs.frame, key="error_messages", truncated=msgs.truncated, why_empty="Nothing failed.",
                 column_config={"last_seen": st.column_config.DatetimeColumn("Last seen (UTC)"), "app_name": "App",
                                "kind": "Kind", "action_name": "Action", "status_code": "Status",
                                "message": "Message", "occurrences": "Occurrences"})

elif view == "Sharing":
    acl = q("permission_changes")
    if acl is not None:
        st.caption("Who granted what to whom (changeAppsAcl events, one row per grantee).")
        ui.table(acl.frame, key="permission_changes", truncated=acl.truncated,
                 why_empty="No permission changes in this period.",
                 column_config={"event_time": st.column_config.DatetimeColumn("When (UTC)"), "app_name": "App",
                                "changed_by": "Changed by", "principal": "Granted to", "principal_type": "Type",
                                "permission_level": "Permission"})
