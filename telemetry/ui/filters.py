"""URL-bound filter widgets for the App usage and Genie pages (part of the UI layer).

Every filter is a widget bound to the URL (`bind="query-params"`), so a link reproduces the view.
Streamlit drops URL values that are not valid options, so a crafted `?app=` or `?ws=` can select
nothing it should not; values then reach SQL only as bound parameters.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from telemetry import runtime
from telemetry.apps import usage as app_usage
from telemetry.genie import filters as genie_filter_model
from telemetry.traces import search as trace_search
from telemetry.tracker.analytics import filters as tracker_filter_model


def viewer_offset_minutes() -> tuple[int, str]:
    """The viewer's UTC offset now (from the browser's time zone), and its label."""
    name = st.context.timezone or "UTC"
    try:
        offset = datetime.now(ZoneInfo(name)).utcoffset() or timedelta()
    except (KeyError, ValueError):
        return 0, "UTC"
    return int(offset.total_seconds() // 60), name


def date_range(today: date) -> tuple[date, date]:
    preset = st.segmented_control("Period (last …)", list(app_usage.PRESETS), default=app_usage.DEFAULT_PRESET,
                                  key="range", bind="query-params", required=True)
    custom = None
    if preset == "Custom":
        custom = st.date_input("From – to", value=(today - timedelta(days=29), today), max_value=today,
                               key="dates", bind="query-params")
    return app_usage.period(preset or app_usage.DEFAULT_PRESET, custom, today)


def app_filters(apps: pd.DataFrame, workspaces: pd.DataFrame, *, today: date | None = None,
                choose_app: bool = True) -> app_usage.Filters:
    """Render the filter bar and return the Filters it describes."""
    settings = runtime.settings()
    today = today or datetime.now(UTC).date()
    ws_names = dict(zip(workspaces["workspace_id"], workspaces["workspace_name"], strict=False))
    with st.container(border=True):
        cols = st.columns([5, 3, 3] if choose_app else [5, 3])
        with cols[0]:
            start, end = date_range(today)
        workspace = cols[1].selectbox("Workspace", [""] + list(ws_names), key="ws", bind="query-params",
                                      format_func=lambda w: ws_names.get(w, "All workspaces") if w else
                                      "All workspaces")
        app_options = [""] + sorted(apps.loc[(apps["workspace_id"] == workspace) | (workspace == ""),
                                             "app_name"])
        app_name = ""
        if choose_app:
            app_name = cols[2].selectbox("App", app_options, key="app", bind="query-params",
                                         format_func=lambda a: a or "All apps")
        with st.container(horizontal=True, gap="large"):
            exclude_sp = st.toggle("Exclude service principals", value=True, key="no_sp", bind="query-params")
            exclude_internal = st.toggle("Exclude internal/test accounts", value=True, key="no_internal",
                                         bind="query-params", help=f"Emails matching "
                                         f"`{settings.internal_accounts_regex}` (TELEMETRY_INTERNAL_ACCOUNTS_REGEX)")
    return app_usage.Filters(start, end, workspace or "", app_name or "", exclude_sp, exclude_internal,
                             gap_minutes=settings.session_gap_minutes)


def view_options(view: str, filters: app_usage.Filters) -> app_usage.Filters:
    """The controls only some views have: the session gap (Sessions) and the time zone (When)."""
    if view == "Sessions":
        gap = st.number_input("Inactivity gap that ends a session (minutes)", 5, 240, filters.gap_minutes, step=5,
                              key="gap", bind="query-params", width=320)
        return replace(filters, gap_minutes=int(gap))
    if view == "When" and st.toggle("Show in my time zone", key="local_tz", bind="query-params"):
        offset, label = viewer_offset_minutes()
        return replace(filters, tz_offset_minutes=offset, tz_label=label)
    return filters


def genie_filters(workspaces: pd.DataFrame, *, today: date | None = None) -> genie_filter_model.GenieFilters:
    """The Genie section's global filter bar (period and workspace), bound to the URL like App usage's."""
    today = today or datetime.now(UTC).date()
    ws_names = dict(zip(workspaces["workspace_id"], workspaces["workspace_name"], strict=False))
    with st.container(border=True):
        cols = st.columns([5, 3, 3])
        with cols[0]:
            start, end = date_range(today)
        workspace = cols[1].selectbox("Workspace", [""] + list(ws_names), key="ws", bind="query-params",
                                      format_func=lambda w: ws_names.get(w, "All workspaces") if w else
                                      "All workspaces")
        with cols[2]:
            st.space("small")
            exclude_sp = st.toggle("Exclude API traffic", value=False, key="no_sp", bind="query-params",
                                   help="Hide messages sent by service principals through the Genie API")
    return genie_filter_model.GenieFilters(start, end, workspace or "", exclude_service_principals=exclude_sp)


def trace_filters(notes: list[str]) -> trace_search.TraceFilters:
    """The trace search filter bar; every value in the URL. Refused input is added to `notes`.

    The service and span-name pickers offer what the period holds, so their options query runs
    here, between the period and the pickers (the page's first wave)."""
    from telemetry.ui.data import start

    with st.container(border=True):
        top = st.columns([4, 3, 3, 2])
        with top[0]:
            period = st.segmented_control("Period (last …)", list(trace_search.PERIODS), key="range",
                                          default=trace_search.DEFAULT_PERIOD, bind="query-params", required=True)
        start_ns, end_ns = trace_search.window(period or trace_search.DEFAULT_PERIOD)
        options = trace_search.options(start(trace_search.option_requests(start_ns, end_ns)).frame("search_options"))
        service = top[1].selectbox("Service", [""] + options.services, key="service", bind="query-params",
                                   format_func=lambda s: s or "Any service", help="Traces with a span of this service")
        span_name = top[2].selectbox("Span name", [""] + options.operations, key="op", bind="query-params",
                                     format_func=lambda s: s or "Any span",
                                     help="Traces with a span of this name (the 200 most frequent are listed)")
        status = top[3].selectbox("Status", list(trace_search.STATUSES), key="status", bind="query-params",
                                  format_func=trace_search.STATUSES.get)
        bottom = st.columns([2, 2, 5, 3, 2])
        min_ms = bottom[0].number_input("Min duration (ms)", 0.0, 1e9, 0.0, step=100.0, key="min_ms",
                                        bind="query-params")
        max_ms = bottom[1].number_input("Max duration (ms)", 0.0, 1e9, 0.0, step=100.0, key="max_ms",
                                        bind="query-params", help="0: no maximum")
        raw_attrs = bottom[2].text_input(
            "Attributes", key="attrs", bind="query-params",
            placeholder="http.route=/api/chat; gen_ai.usage.input_tokens>2000",
            help="key = value, separated by ';' (up to 4, all must match some span of the trace). Span or resource "
                 "attributes; numbers compare as numbers, and >, >=, <, <= work for them.")
        raw_trace = bottom[3].text_input("Trace id", key="trace_id", bind="query-params", placeholder="32 hex digits")
        sort = bottom[4].selectbox("Sort", list(trace_search.SORTS), key="sort", bind="query-params",
                                   format_func=trace_search.SORTS.get)
    attributes, refused = trace_search.parse_attributes(raw_attrs)
    trace_id, bad_id = trace_search.clean_trace_id(raw_trace)
    notes.extend(refused + ([bad_id] if bad_id else []))
    return trace_search.TraceFilters(start_ns, end_ns, service or "", span_name or "", status or "",
                                     float(min_ms or 0), float(max_ms or 0), attributes, trace_id,
                                     sort or "start", True)


def tracker_filters(*, choose_actions: bool = True, today: date | None = None) -> tracker_filter_model.TrackerFilters:
    """The tracker pages' filter bar (period, apps, actions, excluded users); every value in the URL.

    The app and action pickers offer what the tracker table holds, so their options query runs here."""
    from telemetry.ui.data import start

    settings = runtime.settings()
    today = today or datetime.now(UTC).date()
    apps, actions = tracker_filter_model.options(start(tracker_filter_model.option_requests()).frame("options"))
    with st.container(border=True):
        cols = st.columns([4, 4, 4] if choose_actions else [4, 6])
        with cols[0]:
            start_day, end_day = date_range(today)
        picked_apps = cols[1].multiselect("Apps", apps, key="apps", bind="query-params", placeholder="All apps",
                                          max_selections=tracker_filter_model.MAX_PICKS)
        picked_actions: list[str] = []
        if choose_actions:
            picked_actions = cols[2].multiselect("Actions", actions, key="actions", bind="query-params",
                                                 placeholder="All actions",
                                                 max_selections=tracker_filter_model.MAX_PICKS)
        with st.container(horizontal=True, gap="large", vertical_alignment="bottom"):
            raw_users = st.text_input("Exclude users", key="exclude", bind="query-params", width=320,
                                      placeholder="alice@corp.com, qa@corp.com",
                                      help="E-mails to leave out of every number, separated by commas")
            exclude_sp = st.toggle("Exclude service principals", value=True, key="no_sp", bind="query-params")
            exclude_internal = st.toggle("Exclude internal/test accounts", value=True, key="no_internal",
                                         bind="query-params", help=f"Users matching "
                                         f"`{settings.internal_accounts_regex}` (TELEMETRY_INTERNAL_ACCOUNTS_REGEX)")
    return tracker_filter_model.TrackerFilters(
        start_day, end_day, tuple(picked_apps), tuple(picked_actions),
        tracker_filter_model.split_users(raw_users or ""), exclude_sp, exclude_internal,
        gap_minutes=settings.session_gap_minutes)
