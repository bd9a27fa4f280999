"""The app-usage domain rules: periods, parameters, KPI deltas, top apps, retention, anomalies."""

from datetime import date

import pandas as pd
import pytest

from telemetry import queries
from telemetry.apps import usage as au
from telemetry.config import load_settings
from telemetry.metrics.anomalies import band


def test_presets_and_custom_ranges():
    today = date(2026, 11, 23)
    assert au.period("7 days", None, today) == (date(2026, 11, 17), today)
    assert au.period("Custom", (date(2026, 10, 1), date(2026, 12, 31)), today) == (date(2026, 10, 1), today)
    assert au.period("Custom", (date(2026, 10, 5), date(2026, 10, 1)), today)[1] == today  # reversed: default
    assert au.period("bogus", None, today) == (date(2026, 10, 25), today)


def test_params_match_each_query_exactly():
    settings = load_settings({})
    filters = au.Filters(date(2026, 11, 1), date(2026, 11, 30), exclude_internal=False)
    # owned_apps is asked with the signed-in user (au.owned_requests), not with the page's filters
    for name in (n for n in queries.all_names() if n.startswith("app_usage/") and n != "app_usage/owned_apps"):
        params = au.params(name, filters, settings)
        assert set(params) == queries.params_of(name), name
    every = au.all_params(filters, settings)
    assert every["exclude_regex"] == "" and every["from_date"] == date(2026, 8, 3)
    assert every["login_actions"].split(",") == list(settings.apps.login_actions)


def test_kpi_deltas_and_stickiness():
    usage = pd.DataFrame([
        {"period": "current", "active_apps": 10, "users": 200, "logins": 900, "dau": 40.0, "wau": 120, "mau": 200},
        {"period": "previous", "active_apps": 8, "users": 100, "logins": 1000, "dau": 20.0, "wau": 60, "mau": 100},
    ])
    cost = pd.DataFrame([{"period": "current", "cost_usd": 50.0}, {"period": "previous", "cost_usd": 25.0}])
    k = {x.label: x for x in au.kpis(usage, cost)}
    assert k["Unique users"].delta == pytest.approx(1.0)
    assert k["Logins"].delta == pytest.approx(-0.1)
    assert k["Stickiness"].value == pytest.approx(0.2) and k["Stickiness"].delta == pytest.approx(0.0)
    assert (k["Cost"].value, k["Cost"].delta) == (50.0, pytest.approx(1.0))


def test_kpis_without_a_previous_period_have_no_delta():
    usage = pd.DataFrame([{"period": "current", "active_apps": 1, "users": 2, "logins": 3, "dau": 1.0,
                           "wau": 2, "mau": 2}])
    k = {x.label: x for x in au.kpis(usage, pd.DataFrame(columns=["period", "cost_usd"]))}
    assert k["Logins"].delta is None and k["Cost"].value is None


def test_top_apps_joins_cost_and_ranks():
    usage = pd.DataFrame({"app_name": ["a", "b"], "users": [5, 9], "logins": [50, 10]})
    cost = pd.DataFrame({"app_name": ["a", "c"], "cost_usd": [1.0, 99.0]})
    assert au.top_apps(usage, cost, "users")["app_name"].tolist() == ["b", "a", "c"]
    assert au.top_apps(usage, cost, "cost_usd")["app_name"].tolist() == ["c", "a", "b"]
    assert au.top_apps(usage, cost, "logins", n=1)["app_name"].tolist() == ["a"]


def test_anomaly_band_flags_a_spike_but_not_weekends():
    days = pd.date_range("2026-09-07", periods=56)
    values = [100 if d.weekday() < 5 else 15 for d in days]
    values[50] = 260
    flagged = band(pd.DataFrame({"day": days, "dau": values}), "dau")
    assert flagged.loc[flagged["anomaly"], "day"].tolist() == [days[50]]
    assert flagged["expected"].iloc[:14].isna().sum() >= 7  # no verdict without two weeks of history
    today = band(pd.DataFrame({"day": days, "dau": values}), "dau", partial_day=days[50])
    assert not today["anomaly"].any()  # the day still filling up is never flagged
