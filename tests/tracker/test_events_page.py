"""The Tracked events and Tracked user pages under AppTest on hand-built events (hand_events.py): the
values shown are the ones the events imply; filters and links change them; a hostile user in the URL
reaches SQL only as a bound parameter and gets an empty state."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import runtime
from telemetry.engine.embedded import EmbeddedEngine
from tests.tracker import hand_events as hand

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
EVENTS, USER = "pages/tracker/events.py", "pages/tracker/user.py"
HOSTILE = "x' OR '1'='1"


class RecordingEngine(EmbeddedEngine):
    """The real embedded engine, keeping the SQL text and parameters of every statement it runs."""

    statements: list[tuple[str, dict]] = []

    def run(self, sql, params=None, **kwargs):
        RecordingEngine.statements.append((sql, dict(params or {})))
        return super().run(sql, params, **kwargs)


@pytest.fixture(scope="module")
def events_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tracker_pages") / "events.duckdb"
    hand.build(path)
    return path


@pytest.fixture()
def page(events_db, monkeypatch):
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(events_db))
    runtime.use(None)

    def open_with(path: str, **state) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(path)
        at.session_state["range"] = "7 days"
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        return at

    yield open_with
    runtime.use(None)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_header_and_live_panel_show_the_hand_built_numbers(page):
    at = page(EVENTS)
    assert metric(at, "Events") == "43" and metric(at, "Active users") == "3"
    assert metric(at, "Error rate") == "7.0%" and metric(at, "Apps tracked") == "2"
    assert metric(at, "Events per user") == "14.3"
    assert metric(at, "Users now") == "2" and metric(at, "Events, last 5 min") == "4"
    assert metric(at, "Apps in use now") == "1"
    live_table = next(d.value for d in at.dataframe if "latest_event" in d.value.columns)
    assert live_table[["app_name", "events"]].values.tolist() == [[hand.REPORT, 4]]
    assert any("refreshes every 15 s" in c.value for c in at.caption)
    subheaders = [s.value for s in at.subheader]
    assert {"Events over time", "Daily active users per app", "Popular actions", "Top users"} <= set(subheaders)


def test_top_users_link_to_their_timeline(page):
    at = page(EVENTS)
    top = next(d.value for d in at.dataframe if "details" in d.value.columns)
    assert top["user"].tolist()[:2] == [hand.ALICE, hand.BOB]
    assert top["details"].iloc[0] == "tracker-user?user=alice%40corp.com&range=7+days"


def test_excluding_a_user_and_the_service_principal_toggle_change_the_numbers(page):
    at = page(EVENTS, exclude=hand.BOB)
    assert metric(at, "Events") == str(43 - 17) and metric(at, "Active users") == "2"
    at = page(EVENTS, no_sp=False)
    assert metric(at, "Events") == "45" and metric(at, "Users now") == "3"


def test_errors_view(page):
    at = page(EVENTS, view="Errors")
    users = next(d.value for d in at.dataframe if "error_share" in d.value.columns)
    assert users[["user", "errors"]].values.tolist() == [[hand.BOB, 2], [hand.ALICE, 1]]
    kinds = next(d.value for d in at.dataframe if "kind" in d.value.columns)
    assert sorted(kinds["kind"]) == ["llm_error", "sql_error", "unspecified"]
    assert len(at.get("vega_lite_chart")) >= 4  # live, kinds, apps, daily rate


def test_assistant_view_shows_the_rates_and_their_definitions(page):
    at = page(EVENTS, view="Assistant")
    assert metric(at, "SQL edit frequency") == "12.5%" and metric(at, "Download rate") == "20.0%"
    assert metric(at, "Suggested questions") == "37.5%" and metric(at, "Chart rate") == "25.0%"
    assert metric(at, "Summary rate") == "12.5%"
    assert any("results_downloaded ÷ sql_executed" in c.value for c in at.caption)
    per_app = next(d.value for d in at.dataframe if "edit_rate" in d.value.columns)
    assert per_app["app_name"].tolist() == [hand.CHAT]


def test_assistant_view_says_which_actions_to_track_when_none_are(page):
    at = page(EVENTS, view="Assistant", apps=[hand.REPORT])
    assert any("question_asked" in i.value and "sql_generated" in i.value for i in at.info)


def test_user_page_shows_the_timeline_newest_first(page):
    at = page(USER, user=hand.ALICE)
    assert at.title[0].value == "Tracked user"
    assert metric(at, "Events") == "23" and metric(at, "Apps") == "2" and metric(at, "Errors") == "1"
    timeline = next(d.value for d in at.dataframe if "timestamp" in d.value.columns)
    assert timeline.iloc[0][["app_name", "action"]].tolist() == [hand.REPORT, "page_view"]
    assert timeline["timestamp"].is_monotonic_decreasing and len(timeline) == 23
    assert any("All 23 events" in c.value for c in at.caption)


def test_user_page_without_a_user_asks_for_one(page):
    at = page(USER)
    assert any("Enter a user" in i.value for i in at.info) and not at.metric


def test_hostile_user_is_a_bound_parameter_and_an_empty_state(page, events_db):
    engine = RecordingEngine(events_db)
    runtime.use(runtime.settings(), engine)
    RecordingEngine.statements.clear()
    try:
        at = page(USER, user=HOSTILE)
    finally:
        runtime.use(None)
        engine.close()
    assert any("No tracked events for" in i.value for i in at.info) and not at.dataframe
    user_queries = [(sql, params) for sql, params in RecordingEngine.statements if "user" in params]
    assert user_queries and all(HOSTILE not in sql and params["user"] == HOSTILE for sql, params in user_queries)
