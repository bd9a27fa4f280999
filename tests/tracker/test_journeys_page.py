"""User journeys under AppTest on a hand-built tracker table (tests/tracker/hand_journeys.py): the
funnel's conversion and median times, the paths' next-action counts, sessions split at the gap and
the churn rule's flagged users are the values the construction implies, and the controls in the URL
change them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import runtime
from tests.tracker import hand_journeys as hj

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "pages/tracker/journeys.py"


@pytest.fixture(scope="module")
def journeys_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("journeys") / "events.duckdb"
    hj.build(path)
    return path


@pytest.fixture()
def page(journeys_db, monkeypatch):
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(journeys_db))
    runtime.use(None)

    def open_with(view: str, **state) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(PAGE)
        at.session_state["view"] = view
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        return at

    yield open_with
    runtime.use(None)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest, column: str):
    """The first shown table that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_funnel_conversion_per_step_and_median_time_to_convert(page):
    at = page("Funnels", apps=[hj.SHOP])
    steps = table(at, "label")
    assert list(steps["label"]) == ["1. question_asked", "2. sql_generated", "3. sql_executed",
                                    "4. results_downloaded"]
    assert list(steps["users"]) == [7, 4, 3, 1]
    assert [round(v) for v in steps["from_previous"]] == [100, 57, 75, 33]
    assert [round(v) for v in steps["from_first"]] == [100, 57, 43, 14]
    assert list(steps["dropped"]) == [0, 3, 1, 2]
    assert list(steps["median_time"]) == ["", "15 s", "30 s", "1.0 min"]
    m = metrics(at)
    assert (m["Journeys started"], m["Completed"], m["Conversion"]) == ("7", "1", "14%")
    assert m["Median time to complete"] == "1.7 min"  # u1: 100 s from the question to the download
    assert at.get("vega_lite_chart"), "the funnel chart is drawn"


def test_a_longer_conversion_window_converts_the_slow_journey(page):
    at = page("Funnels", apps=[hj.SHOP], window="7 days")
    steps = table(at, "label")
    assert list(steps["users"]) == [7, 5, 3, 1]
    assert list(steps["median_time"]) == ["", "20 s", "1.0 min", "1.0 min"]  # u6: 172,800 s; u7: 93,605 s


def test_steps_are_chosen_on_the_page_in_order(page):
    at = page("Funnels", apps=[hj.SHOP], steps=[hj.GEN, hj.Q])
    steps = table(at, "label")
    assert list(steps["label"]) == ["1. sql_generated", "2. question_asked"]
    assert list(steps["users"]) == [6, 1]  # only u5 asked after the SQL came


def test_one_step_is_no_funnel(page):
    at = page("Funnels", steps=[hj.Q])
    assert any("Pick 2 to 6 steps" in i.value for i in at.info)
    assert not at.dataframe


def test_funnel_split_by_app(page):
    at = page("Funnels", by_app=True)
    apps = table(at, "entered").set_index("app_name")
    assert apps.loc[hj.SHOP, "entered"] == 7 and apps.loc[hj.SHOP, "completed"] == 1
    assert apps.loc[hj.PATHS, "entered"] == 5 and apps.loc[hj.PATHS, "completed"] == 1  # p2 downloaded


def _after(at: AppTest) -> dict[tuple[int, str, str], int]:
    rows = at.dataframe[0].value
    return {(int(r.level), r.from_action, r.to_action): int(r.transitions) for r in rows.itertuples()}


def test_paths_count_the_next_actions_two_levels_deep(page):
    at = page("Paths", apps=[hj.PATHS], **{"from": hj.GEN})
    assert _after(at) == {(1, hj.GEN, hj.EXEC): 2, (1, hj.GEN, "(session end)"): 2, (1, hj.GEN, "error:sql_error"): 1,
                          (2, hj.EXEC, "chart_generated"): 1, (2, hj.EXEC, hj.DL): 1,
                          (2, "error:sql_error", "(session end)"): 1}
    before = at.dataframe[1].value
    assert dict(zip(before["from_action"], before["transitions"], strict=True)) == {hj.Q: 5}
    shares = at.dataframe[0].value.set_index("to_action")
    assert round(shares.loc[hj.EXEC, "share"]) == 40  # 2 of the 5 times
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"c:sql_generated" -> "n1:sql_executed" [label="2 (40%)"' in dot
    assert any("5 times in the period" in c.value for c in at.caption)


def test_paths_stay_inside_a_session(page):
    at = page("Paths", apps=[hj.PATHS], gap=60, **{"from": hj.GEN})
    after = _after(at)
    assert after[(1, hj.GEN, hj.EXEC)] == 3 and after[(1, hj.GEN, "(session end)")] == 1
    assert after[(2, hj.EXEC, "(session end)")] == 1


def test_sessions_split_at_the_inactivity_gap(page):
    at = page("Sessions", apps=[hj.NOTES])
    m = metrics(at)
    assert (m["Sessions"], m["Sessions per user"], m["Median session"]) == ("3", "1.5", "5.0 min")
    per_app = table(at, "median_actions")
    assert per_app.iloc[0]["sessions"] == 3 and per_app.iloc[0]["users"] == 2
    at = page("Sessions", apps=[hj.NOTES], gap=45)
    assert metrics(at)["Sessions"] == "2"


def test_churn_flags_exactly_the_users_below_the_rule(page):
    at = page("Churn risk", apps=[hj.CRM])
    flagged = table(at, "main_app")
    assert list(flagged["user"]) == [hj.email("c_quiet"), hj.email("c_drop")]
    assert [round(c) for c in flagged["change"]] == [-100, -80]
    assert list(flagged["baseline_per_week"]) == [2.0, 10.0]
    assert flagged["details"].iloc[0] == "tracker-user?user=c_quiet%40corp.com"
    m = metrics(at)
    assert (m["Users with a baseline"], m["At risk"], m["Gone quiet"]) == ("5", "2", "1")
    rule = " ".join(md.value for md in at.markdown)
    assert "last 7 days" in rule and "**25%**" in rule and "**3 days**" in rule


def test_the_rule_s_numbers_are_page_controls(page):
    at = page("Churn risk", apps=[hj.CRM], risk=35, min_days=2)
    flagged = table(at, "main_app")
    assert list(flagged["user"]) == [hj.email(u) for u in ("c_few", "c_quiet", "c_drop", "c_even", "c_edge")]
    assert metrics(at)["Users with a baseline"] == "6"


def test_adoption_is_the_share_of_active_users(page):
    at = page("Adoption", apps=[hj.SHOP])
    used = table(at, "events_per_user").set_index("action")
    assert [round(used.loc[a, "share"]) for a in (hj.Q, hj.GEN, hj.EXEC, hj.DL)] == [100, 86, 43, 14]
    assert metrics(at)["Active users"] == "7"


def test_stickiness_counts_each_day_against_its_own_month(page):
    at = page("Stickiness", apps=[hj.CRM])
    m = metrics(at)
    assert m["MAU"] == "6"  # every crm user was active in the 30 days to today
    assert m["WAU"] == "4"  # c_few and c_quiet have no event in the last week
