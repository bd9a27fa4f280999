"""The Tracked events analyses on hand-built events (tests/tracker/hand_events.py), through the real
named queries on DuckDB: KPIs, live counts, error rate, assistant rates, the user timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from telemetry import queries, runtime
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.tracker.analytics import activity, assistant, errors
from telemetry.tracker.analytics import user as tracked
from telemetry.tracker.analytics.filters import TrackerFilters
from tests.tracker import hand_events as hand


@pytest.fixture(scope="module")
def events_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tracker") / "events.duckdb"
    hand.build(path)
    return path


@pytest.fixture()
def engine(events_db, monkeypatch):
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(events_db))
    runtime.use(None)
    engine = EmbeddedEngine(events_db)
    yield engine
    engine.close()


def week(**kw) -> TrackerFilters:
    today = datetime.now(UTC).date()
    return TrackerFilters(today - timedelta(days=6), today, **kw)


def run(engine, requests: dict[str, queries.Request]) -> dict[str, pd.DataFrame]:
    return {name: queries.run(r.name, engine=engine, **r.params).frame for name, r in requests.items()}


def kpi(tiles, label: str):
    return next(k for k in tiles if k.label == label)


def test_header_kpis_and_the_previous_period(engine):
    f = week()
    frames = run(engine, activity.requests("Activity", f, runtime.settings()))
    tiles = activity.kpis(frames["kpis"], f)
    assert kpi(tiles, "Events").value == 43 and kpi(tiles, "Events").previous == 1
    assert kpi(tiles, "Active users").value == 3 and kpi(tiles, "Apps tracked").value == 2
    assert kpi(tiles, "Events per user").value == pytest.approx(43 / 3)
    rate = kpi(tiles, "Error rate")
    assert rate.value == pytest.approx(3 / 43) and rate.text == "7.0%" and not rate.higher_is_better
    assert kpi(tiles, "Error rate").previous == 0


def test_exclusions_bring_back_service_principals_and_internal_accounts(engine):
    f = week(exclude_service_principals=False, exclude_internal=False)
    frames = run(engine, activity.requests("Activity", f, runtime.settings()))
    assert kpi(activity.kpis(frames["kpis"], f), "Events").value == 43 + 2 + 3
    excluded = week(exclude_users=(hand.BOB,))
    frames = run(engine, activity.requests("Activity", excluded, runtime.settings()))
    assert kpi(activity.kpis(frames["kpis"], excluded), "Events").value == 43 - 17


def test_live_bounds_floor_to_the_refresh_interval():
    now = datetime(2026, 12, 1, 17, 40, 29, 500000, tzinfo=UTC)
    live_since, trend_since = activity.live_bounds(now)
    assert live_since == datetime(2026, 12, 1, 17, 35, 15) and trend_since == datetime(2026, 12, 1, 17, 10, 15)
    assert activity.live_bounds(now + timedelta(seconds=10))[0] == datetime(2026, 12, 1, 17, 35, 30)


def test_live_panel_numbers(engine):
    now = datetime.now(UTC)
    frames = run(engine, activity.live_requests(week(), runtime.settings(), now))
    tiles = activity.live_kpis(frames["live"])
    assert [k.value for k in tiles] == [2, 4, 1]  # users, events, apps: bob's 8-minute-old event is out
    apps = activity.live_apps(frames["live"])
    assert apps[["app_name", "users", "events"]].values.tolist() == [[hand.REPORT, 2, 4]]
    trend = activity.live_trend(frames["live_minutes"], now)
    assert trend["events"].sum() == 5 and len(trend) >= 30 and (trend["events"] >= 0).all()
    everyone = run(engine, activity.live_requests(week(exclude_service_principals=False), runtime.settings(), now))
    assert [k.value for k in activity.live_kpis(everyone["live"])] == [3, 6, 2]


def test_a_quiet_live_panel_still_has_its_numbers(engine):
    later = datetime.now(UTC) + timedelta(hours=2)
    frames = run(engine, activity.live_requests(week(), runtime.settings(), later))
    assert [k.value for k in activity.live_kpis(frames["live"])] == [0, 0, 0]
    assert activity.live_trend(frames["live_minutes"], later)["events"].sum() == 0
    assert activity.live_apps(frames["live"]).empty and activity.QUIET == "No events in the last 5 minutes."


def test_popular_actions_and_share_of_active_users(engine):
    frames = run(engine, activity.requests("Activity", week(), runtime.settings()))
    actions = activity.popular_actions(frames["popular_actions"]).set_index("action")
    assert actions.loc["question_asked", "events"] == 8 and actions.loc["question_asked", "users"] == 2
    assert actions.loc["question_asked", "user_share"] == pytest.approx(200 / 3)
    assert actions.loc["page_view", "user_share"] == pytest.approx(100.0)


def test_the_actions_filter_narrows_the_activity_view(engine):
    f = week(actions=("page_view",))
    frames = run(engine, activity.requests("Activity", f, runtime.settings(), split="action"))
    assert frames["popular_actions"]["action"].tolist() == ["page_view"]
    assert set(frames["events_over_time"]["series"]) == {"page_view"}
    assert frames["events_over_time"]["events"].sum() == 5
    top = activity.user_links(frames["top_users"])
    assert top["user"].tolist() == [hand.CAROL, hand.ALICE, hand.BOB]
    assert top["details"].iloc[0] == "tracker-user?user=carol%40corp.com"


def test_events_over_time_keeps_the_top_series_and_folds_the_rest(engine):
    f = week()
    request = activity.requests("Activity", f, runtime.settings(), split="action")["events_over_time"]
    frame = queries.run(request.name, engine=engine, **{**request.params, "top_n": 2}).frame
    totals = frame.groupby("series")["events"].sum().to_dict()
    assert totals == {"sql_executed": 10, "question_asked": 8, "(other)": 25}


def test_error_rate_kinds_and_users_most_affected(engine):
    frames = run(engine, activity.requests("Errors", week(), runtime.settings()))
    kinds = errors.by_kind(frames["error_by_kind"]).set_index("kind")["errors"].to_dict()
    assert kinds == {"llm_error": 1, "sql_error": 1, "unspecified": 1}
    daily = errors.daily_rate(frames["error_rate_daily"])
    assert errors.period_rate(daily) == pytest.approx(3 / 43)
    assert daily["errors"].sum() == 3 and daily["events"].sum() == 43
    users = errors.top_users(frames["error_top_users"])
    assert users[["user", "errors", "events"]].values.tolist() == [[hand.BOB, 2, 17], [hand.ALICE, 1, 23]]
    assert users["error_share"].iloc[0] == pytest.approx(200 / 17)


def test_assistant_rates(engine):
    frames = run(engine, activity.requests("Assistant", week(), runtime.settings()))
    by_app = frames["assistant_by_app"]
    assert by_app["app_name"].tolist() == [hand.CHAT]  # report-app tracks no assistant action
    tiles = {k.label: k.text for k in assistant.overall(by_app)}
    assert tiles == {"SQL edit frequency": "12.5%", "Download rate": "20.0%", "Suggested questions": "37.5%",
                     "Chart rate": "25.0%", "Summary rate": "12.5%"}
    table = assistant.per_app(by_app).iloc[0]
    assert table["edit_rate"] == pytest.approx(12.5) and table["download_rate"] == pytest.approx(20.0)
    weekly = assistant.weekly(frames["assistant_weekly"])
    edits = weekly[weekly["rate"] == "SQL edit frequency"]
    assert edits["numerator"].sum() == 1 and edits["denominator"].sum() == 8


def test_an_undefined_rate_is_blank_and_says_what_to_track():
    frame = pd.DataFrame([{"app_name": "x", "users": 1, **dict.fromkeys(assistant.COUNTS, 0), "questions": 3,
                           "suggested": 1}])
    tiles = {k.label: k for k in assistant.overall(frame)}
    assert tiles["Suggested questions"].text == "33.3%"
    assert tiles["SQL edit frequency"].text == "–" and "sql_generated" in tiles["SQL edit frequency"].help
    assert pd.isna(assistant.per_app(frame)["download_rate"].iloc[0])
    assert set(assistant.weekly(frame.assign(week="2026-11-30"))["rate"]) == {
        "Suggested questions", "Chart rate", "Summary rate"}


def test_user_timeline_newest_first_and_breakdowns(engine):
    f = tracked.period_filters(week().start, week().end)
    frames = run(engine, tracked.requests(hand.ALICE, f, runtime.settings()))
    assert tracked.found(frames["user_kpis"])
    tiles = {k.label: k for k in tracked.kpis(frames["user_kpis"])}
    assert tiles["Events"].value == 23 and tiles["Apps"].value == 2 and tiles["Errors"].value == 1
    timeline = frames["user_timeline"]
    assert timeline["timestamp"].is_monotonic_decreasing
    assert timeline.iloc[0][["app_name", "action"]].tolist() == [hand.REPORT, "page_view"]
    assert timeline.iloc[-1]["action"] == "question_asked" and len(timeline) == 23
    assert tracked.timeline_note(frames["user_kpis"], timeline) == "All 23 events of the period, newest first."
    apps = tracked.apps(frames["user_breakdown"])
    assert apps[["app_name", "events"]].values.tolist() == [[hand.CHAT, 22], [hand.REPORT, 1]]
    assert apps["details"].iloc[0] == "app-detail?app=chat-app"
    assert tracked.actions(frames["user_breakdown"]).iloc[0][["action", "events"]].tolist() == ["sql_executed", 5]


def test_user_timeline_is_bounded_and_says_so(engine):
    f = tracked.period_filters(week().start, week().end)
    requests = tracked.requests(hand.ALICE, f, runtime.settings())
    timeline = queries.run("tracker/user_timeline", engine=engine, **{**requests["user_timeline"].params,
                                                                      "limit": 5}).frame
    kpis = queries.run("tracker/user_kpis", engine=engine, **requests["user_kpis"].params).frame
    assert len(timeline) == 5
    assert tracked.timeline_note(kpis, timeline) == "Showing the latest 5 of 23 events, newest first."


@pytest.mark.parametrize("who", ["x' OR '1'='1", "svc-1234", "nobody@corp.com"])
def test_unknown_or_hostile_users_find_nothing_or_only_themselves(engine, who):
    f = tracked.period_filters(week().start, week().end)
    frames = run(engine, tracked.requests(who, f, runtime.settings()))
    if who == "svc-1234":  # a named service principal opens although the event pages exclude it
        assert int(frames["user_kpis"]["events"].iloc[0]) == 2
        return
    assert not tracked.found(frames["user_kpis"]) and frames["user_timeline"].empty
    assert repr(who) in tracked.not_found(who)


def test_clean_trims_and_caps_the_user():
    assert tracked.clean("  a@b.c ") == "a@b.c" and tracked.clean(None) == ""
    assert len(tracked.clean("x" * 1000)) == tracked.MAX_USER_CHARS


def _axis_titles(spec: dict) -> list[str]:
    """The title of every measure and time axis (x/y, quantitative or temporal) in a Vega-Lite spec;
    a ranking's category axis is labelled by its bars."""
    layers = spec.get("layer", [spec])
    encodings = [layer["encoding"][axis] for layer in layers for axis in ("x", "y")
                 if axis in layer.get("encoding", {})]
    return [e.get("title") for e in encodings if e.get("type") in ("quantitative", "temporal", "ordinal")
            or "aggregate" in e]


def test_every_chart_has_titled_axes_and_none_when_empty(engine):
    from telemetry.tracker.analytics import charts

    f = week()
    frames = {**run(engine, activity.requests("Activity", f, runtime.settings())),
              **run(engine, activity.requests("Errors", f, runtime.settings())),
              **run(engine, activity.requests("Assistant", f, runtime.settings())),
              **run(engine, activity.live_requests(f, runtime.settings()))}
    user = run(engine, tracked.requests(hand.ALICE, tracked.period_filters(f.start, f.end), runtime.settings()))
    built = [charts.events_over_time(frames["events_over_time"], True, "App"),
             charts.live_sparkline(activity.live_trend(frames["live_minutes"])),
             charts.popular_actions(frames["popular_actions"]), charts.dau_by_app(frames["dau_by_app"]),
             charts.error_kinds(errors.by_kind(frames["error_by_kind"])),
             charts.errors_by_app(errors.by_app(frames["error_by_kind"])),
             charts.error_rate(errors.daily_rate(frames["error_rate_daily"])),
             charts.assistant_weekly(assistant.weekly(frames["assistant_weekly"])),
             charts.user_daily(tracked.daily(user["user_daily"]))]
    for chart in built:
        titles = _axis_titles(chart.to_dict())
        assert titles and all(titles), titles
    empty = pd.DataFrame(columns=["day", "events"])
    assert charts.events_over_time(empty, False, "App") is None and charts.error_rate(empty) is None
    assert charts.assistant_weekly(assistant.weekly(pd.DataFrame())) is None
