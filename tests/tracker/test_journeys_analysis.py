"""The User journeys area without Streamlit: parameters each view adds, the shaping of each result,
the flow's DOT text, the churn rule in words, and the funnel query itself on the hand-built table."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from telemetry import queries
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.tracker.analytics import adoption, churn, funnels, journeys, paths, sessions, stickiness
from telemetry.tracker.analytics.filters import TrackerFilters, params
from tests.tracker import hand_journeys as hj

F = TrackerFilters(date(2026, 11, 2), date(2026, 12, 1), gap_minutes=30)
SETTINGS = load_settings({})


# --- funnels -------------------------------------------------------------------------------------------

def test_funnel_params_fill_six_slots_and_the_window():
    p = funnels.params(("a", "b", "c"), "1 hour", True)
    assert [p[f"step{i}"] for i in range(1, 7)] == ["a", "b", "c", "", "", ""]
    assert p["window_minutes"] == 60 and p["by_app"] is True
    assert funnels.params(tuple("abcdefgh"), "no such window", False)["step6"] == "f"
    assert funnels.params(("a", "b"), "no such window", False)["window_minutes"] == 24 * 60


def test_default_steps_are_the_assistant_journey_when_present():
    assert funnels.default_steps(["x", hj.DL, hj.EXEC, hj.GEN, hj.Q]) == [hj.Q, hj.GEN, hj.EXEC, hj.DL]
    assert funnels.default_steps(["page_view", "filter_changed", "x"]) == ["page_view", "filter_changed"]
    assert funnels.step_problem(["a"]) and not funnels.step_problem(["a", "b"])


def test_funnel_table_derives_conversion_and_drop_off():
    frame = pd.DataFrame({"app_name": ["", "", ""], "step": [1, 2, 3], "action": ["a", "b", "c"],
                          "users": [10, 4, 0], "median_seconds": [None, 90.0, None],
                          "median_total_seconds": [None, 90.0, None]})
    t = funnels.table(frame)
    assert list(t["from_previous"]) == [100.0, 40.0, 0.0] and list(t["from_first"]) == [100.0, 40.0, 0.0]
    assert list(t["dropped"]) == [0, 6, 4] and list(t["drop_off"]) == [0.0, 60.0, 100.0]
    assert list(t["median_time"]) == ["", "1.5 min", ""] and t["app_name"].iloc[0] == funnels.ALL_APPS
    assert funnels.overall(t).iloc[0][["entered", "completed"]].tolist() == [10, 0]


@pytest.mark.parametrize(("seconds", "text"), [(9, "9 s"), (150, "2.5 min"), (5400, "1.5 h"), (200000, "2.3 d"),
                                               (None, ""), (float("nan"), "")])
def test_duration_text(seconds, text):
    assert funnels.duration_text(seconds) == text


# --- the funnel query on the hand-built table ------------------------------------------------------------

@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("journeys_sql") / "events.duckdb"
    hj.build(path)
    engine = EmbeddedEngine(path)
    yield engine
    engine.close()


def _funnel(engine, steps, window="1 day", by_app=False, apps=(hj.SHOP,)) -> pd.DataFrame:
    f = TrackerFilters(hj.TODAY - timedelta(days=29), hj.TODAY, apps=apps)
    p = {**params(f, SETTINGS), **funnels.params(tuple(steps), window, by_app)}
    return queries.run("tracker/funnel", engine=engine, **{k: p[k] for k in queries.params_of("tracker/funnel")}).frame


def test_an_event_that_is_two_steps_cannot_follow_itself(engine):
    """sql_executed → sql_executed needs a second run: nobody in the shop ran SQL twice."""
    frame = _funnel(engine, [hj.EXEC, hj.EXEC])
    assert list(frame["users"]) == [3, 0]


def test_the_funnel_query_counts_the_furthest_attempt(engine):
    frame = _funnel(engine, [hj.Q, hj.GEN, hj.EXEC])
    assert list(frame["users"]) == [7, 4, 3]
    assert frame["median_seconds"].tolist()[1:] == [15.0, 30.0]
    assert frame["median_total_seconds"].tolist()[1:] == [15.0, 40.0]


# --- paths ---------------------------------------------------------------------------------------------

PATHS = pd.DataFrame({
    "direction": ["after", "after", "after", "after", "before"], "level": [1, 1, 2, 2, 1],
    "from_action": ["x", "x", "y", "y", 'we"ird'], "to_action": ["y", paths.END, "z", paths.END, "x"],
    "transitions": [3, 1, 2, 1, 4], "users": [2, 1, 2, 1, 3]})


def test_next_steps_share_of_the_step_they_come_from():
    nxt = paths.next_steps(PATHS)
    assert list(zip(nxt["level"], nxt["to_action"], nxt["share"].round(1), strict=True)) == [
        (1, "y", 75.0), (1, paths.END, 25.0), (2, "z", 66.7), (2, paths.END, 33.3)]
    assert paths.occurrences(PATHS) == 4
    assert paths.before_steps(PATHS)["share"].tolist() == [100.0]


def test_flow_dot_quotes_every_name_and_weights_edges():
    dot = paths.flow_dot(PATHS, "x")
    assert dot.startswith("digraph paths {") and dot.endswith("}")
    assert '"b:we\\"ird" [label="we\\"ird", fillcolor="#F4F6F8"];' in dot  # quotes stay inside
    assert '"c:x" -> "n1:y" [label="3 (75%)", penwidth=6.2' in dot
    assert '"n1:y" -> "n2:y>z"' in dot and f'[label="{paths.END}", style="rounded,dashed"' in dot
    assert paths.flow_dot(PATHS.iloc[0:0], "x") is None


def test_default_path_action():
    assert paths.default_action(["a", hj.EXEC]) == hj.EXEC and paths.default_action(["a"]) == "a"
    assert paths.default_index([]) is None and paths.default_index(["a", hj.Q]) == 1


# --- sessions, stickiness, adoption ---------------------------------------------------------------------

def test_the_gap_is_bounded():
    assert sessions.with_gap(F, 0).gap_minutes == 30
    assert sessions.with_gap(F, 10_000).gap_minutes == sessions.MAX_GAP
    assert sessions.with_gap(F, 45).gap_minutes == 45


def test_session_distribution_in_bucket_order_with_shares():
    lengths = pd.DataFrame({"kind": ["minutes", "minutes", "actions"], "bucket_order": [1, 0, 0],
                            "bucket": ["1–5 min", "< 1 min", "1"], "sessions": [3, 1, 4]})
    d = sessions.distribution(lengths, "minutes")
    assert list(d["bucket"]) == list(sessions.BUCKETS["minutes"])  # empty buckets show as 0
    assert list(d["sessions"]) == [1, 3, 0, 0, 0, 0] and list(d["share"])[:2] == [25.0, 75.0]


def test_stickiness_reads_a_month_before_the_period():
    assert stickiness.params(F) == {"start_date": date(2026, 10, 4), "first_day": F.start}
    daily = stickiness.daily(pd.DataFrame({"day": [F.start], "dau": [5], "wau": [10], "mau": [20]}))
    assert daily[["dau_mau", "dau_wau", "wau_mau"]].iloc[0].tolist() == [0.25, 0.5, 0.5]
    days = stickiness.active_days(pd.DataFrame({"active_days": [1, 3], "user_weeks": [3, 1], "users": [2, 1],
                                                "weeks": [2, 2]}))
    assert list(days["active_days"]) == list(range(1, 8)) and days["share"].tolist()[:3] == [75.0, 0.0, 25.0]
    assert days["label"].tolist()[:2] == ["1 day", "2 days"]


def test_adoption_orders_actions_by_users():
    actions = pd.DataFrame({"action": ["a", "b"], "users": [4, 1], "active_users": [4, 4], "share": [1.0, 0.25],
                            "events": [9, 1], "events_per_user": [2.25, 1.0], "apps": [1, 1]})
    assert adoption.action_order(actions) == ["a", "b"]
    assert adoption.table(actions)["share"].tolist() == [100.0, 25.0]
    kpis = {k.label: k.text for k in adoption.kpis(actions)}
    assert kpis["Used by half the users or more"] == "1" and kpis["Least adopted"] == "25%"


# --- churn ---------------------------------------------------------------------------------------------

def test_churn_rule_reads_from_the_baseline_start_and_says_itself():
    r = churn.rule(30, 2)
    p = churn.params(r, F)
    assert p == {"start_date": date(2026, 10, 28), "recent_days": 7, "baseline_weeks": 4, "risk_ratio": 0.3,
                 "min_baseline_days": 2}
    text = churn.text(r, F)
    assert "last 7 days (Nov 25–Dec 01)" in text and "**30%**" in text and "(Oct 28–Nov 24)" in text
    assert churn.rule(None, None) == churn.Rule() and churn.rule(0, 999) == churn.Rule(1, 28)


def test_churn_rows_link_to_the_user_page():
    frame = pd.DataFrame({"user": ["a b@x.com"], "main_app": ["m"], "change": [-0.8]})
    rows = churn.rows(frame)
    assert rows["details"].iloc[0] == "tracker-user?user=a%20b%40x.com" and rows["change"].iloc[0] == -80.0
    assert churn.by_app(rows).to_dict("records") == [{"main_app": "m", "users": 1}]


# --- the page's requests ----------------------------------------------------------------------------------

def test_each_view_asks_for_its_queries_with_its_own_parameters():
    c = journeys.Controls(steps=(hj.Q, hj.GEN), path_action=hj.EXEC)
    assert journeys.requests("Funnels", F, SETTINGS, journeys.Controls(steps=(hj.Q,))) == {}
    funnel = journeys.requests("Funnels", F, SETTINGS, c)["funnel"]
    assert funnel.params["step2"] == hj.GEN and funnel.params["step3"] == ""
    assert journeys.requests("Paths", F, SETTINGS, c)["paths"].params["path_action"] == hj.EXEC
    sticky = journeys.requests("Stickiness", F, SETTINGS, c)
    assert {r.params["start_date"] for r in sticky.values()} == {date(2026, 10, 4)}
    assert journeys.requests("Churn risk", F, SETTINGS, c)["churn_risk"].params["end_date"] == F.end
    assert set(journeys.requests("Sessions", F, SETTINGS, c)) == set(journeys.VIEW_QUERIES["Sessions"])
