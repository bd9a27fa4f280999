"""Panel shaping of the app-usage pages: links, summaries, charts that say when they are empty."""

from datetime import date
from urllib.parse import parse_qs, urlparse

import pandas as pd

from telemetry.apps import views
from telemetry.apps.usage import Filters


def test_detail_links_are_url_encoded():
    """Regression: the Top apps link was "app-detail?app=" + name, so `a&b=c` or `x y#z` broke it."""
    top = pd.DataFrame({"app_name": ["a&view=Sharing", "x y#z", "plain"], "users": [3, 2, 1], "logins": [1, 1, 1]})
    ranked = views.ranked_apps(top, pd.DataFrame(columns=["app_name", "cost_usd"]), "users")
    for name, link in zip(ranked["app_name"], ranked["details"], strict=True):
        query = parse_qs(urlparse(link).query)
        assert query == {"app": [name]}, link


def test_app_summary_survives_a_missing_create_time_and_keeps_text_literal():
    """Regression: a missing create_time raised; the description went through Markdown."""
    info = pd.DataFrame([{"description": "[click](http://evil) ![x](http://evil/x.png)", "workspace": "ws",
                          "app_state": None, "owners": None, "creator": "ann@corp.com", "create_time": pd.NaT}])
    s = views.app_summary(info)
    assert s.created == "an unknown date" and s.state == "UNKNOWN" and s.owners == "–" and not s.running
    assert s.description.startswith("[click]")  # kept as the author wrote it; the UI shows it escaped
    assert views.app_summary(info.iloc[0:0]) is None


def test_charts_are_none_when_there_is_nothing_to_draw():
    f = Filters(date(2026, 11, 1), date(2026, 11, 30))
    empty_daily = pd.DataFrame({"day": pd.date_range("2026-10-01", periods=61), "dau": 0, "logins": 0,
                                "new_users": 0})
    assert views.dau_chart(empty_daily, f) is None
    assert views.heatmap(pd.DataFrame(columns=["weekday", "hour", "logins", "users"]), "UTC") is None
    assert views.dau_chart(empty_daily.assign(dau=5), f) is not None


def test_top_chart_labels_every_bar():
    """Regression: Top apps showed every other app name (the axis dropped overlapping labels)."""
    top = pd.DataFrame({"app_name": [f"app-{i:02d}" for i in range(15)], "users": range(15, 0, -1),
                        "logins": 1})
    chart = views.top_apps_chart(views.ranked_apps(top, pd.DataFrame(columns=["app_name", "cost_usd"]), "users"),
                                 "users")
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False
    assert spec["height"] >= 15 * 20  # room for each label at the axis font size


def test_session_kpis_from_an_empty_result():
    kpis = views.session_kpis(pd.DataFrame())
    assert [k.text for k in kpis] == ["–"] * 4
