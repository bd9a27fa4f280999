"""telemetry.overview: the Executive summary asks exactly what the pages it links to ask (same
numbers, shared cache entries), and its KPIs, cost split and top-5 tables agree with the named
queries' results on the demo database."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from telemetry import queries, runtime
from telemetry.apps import usage as app_usage
from telemetry.genie import usage as genie_usage
from telemetry.genie.filters import GenieFilters
from telemetry.overview import columns, summary, views
from telemetry.tracker.analytics import activity
from telemetry.tracker.analytics.filters import TrackerFilters


@pytest.fixture()
def period() -> summary.Period:
    end = summary.today()
    return summary.Period(end - timedelta(days=29), end)


@pytest.fixture()
def frames(demo_env, period) -> dict[str, pd.DataFrame]:
    """Every request of the page, run on the demo through the named queries."""
    return {name: queries.run(r.name, **r.params).frame
            for name, r in summary.requests(period, runtime.settings()).items()}


def _kpi(kpis, label):
    return next(k for k in kpis if k.label == label)


def test_requests_are_those_of_the_linked_pages(demo_env, period):
    settings = runtime.settings()
    mine = summary.requests(period, settings)
    apps = app_usage.requests(app_usage.HEADER_QUERIES + app_usage.VIEW_QUERIES["Top apps"],
                              app_usage.Filters(period.start, period.end), settings)
    genie = genie_usage.requests(genie_usage.SUMMARY_QUERIES + genie_usage.SPACES_QUERIES,
                                 GenieFilters(period.start, period.end), settings)
    tracker = activity.requests("Activity", TrackerFilters(period.start, period.end), settings)
    assert {k: mine[f"apps_{k}"] for k in ("kpis", "cost_totals", "top_apps", "cost_by_app")} == \
        {k: apps[k] for k in ("kpis", "cost_totals", "top_apps", "cost_by_app")}
    assert {k: mine[f"genie_{k}"] for k in summary.GENIE_QUERIES} == {k: genie[k] for k in summary.GENIE_QUERIES}
    assert mine["tracker_kpis"] == tracker["kpis"]
    assert mine["apps_daily_active"].params["from_date"] == period.start  # the trend: the period only


def test_kpis_are_the_queries_numbers(frames):
    kpis = summary.kpis(frames["apps_kpis"], frames["genie_kpis"], frames["tracker_kpis"],
                        frames["apps_cost_totals"], frames["genie_cost_totals"])
    assert [k.label for k in kpis] == ["App users", "App sign-ins", "Genie users", "Genie messages", "Active apps",
                                       "Genie success rate", "Cost (USD)", "Tracked events"]
    apps = frames["apps_kpis"].set_index("period")
    genie = frames["genie_kpis"].set_index("period")
    assert _kpi(kpis, "App users").value == apps.loc["current", "users"] > 0
    assert _kpi(kpis, "App users").previous == apps.loc["previous", "users"]
    assert _kpi(kpis, "App sign-ins").value == apps.loc["current", "logins"] > 0
    assert _kpi(kpis, "Genie messages").value == genie.loc["current", "messages"] > 0
    assert _kpi(kpis, "Genie success rate").value == pytest.approx(
        genie.loc["current", "succeeded"] / genie.loc["current", "finished"])
    cost = (frames["apps_cost_totals"].set_index("period").loc["current", "cost_usd"]
            + frames["genie_cost_totals"].set_index("period").loc["current", "cost_usd"])
    assert _kpi(kpis, "Cost (USD)").value == pytest.approx(cost) and cost > 0
    assert not _kpi(kpis, "Cost (USD)").higher_is_better
    events = frames["tracker_kpis"].set_index("period").loc["current", "events"]
    assert _kpi(kpis, "Tracked events").value == events > 0
    assert all(k.delta is not None for k in kpis)  # the demo has a previous period for every number


def test_a_period_without_rows_counts_zero_with_no_change():
    empty = pd.DataFrame(columns=["period", "users", "logins", "active_apps", "events", "cost_usd", "latest_event"])
    genie = pd.DataFrame({"period": ["current", "previous"], "users": [0, 0], "messages": [0, 0],
                          "succeeded": [0, 0], "finished": [0, 0], "latest_event": [None, None]})
    kpis = summary.kpis(empty, genie, empty, empty, genie.assign(cost_usd=0.0))
    assert _kpi(kpis, "App users").value == 0 and _kpi(kpis, "App users").delta is None
    assert _kpi(kpis, "Genie success rate").value is None  # nothing finished: no rate, not 0 %
    assert summary.latest_events(empty, genie, empty) == dict.fromkeys(summary.SOURCES)
    assert summary.data_as_of(summary.latest_events(empty, genie, empty)) is None


def test_data_as_of_is_the_stalest_source(frames):
    latest = summary.latest_events(frames["apps_kpis"], frames["genie_kpis"], frames["tracker_kpis"])
    assert list(latest) == list(summary.SOURCES) and all(latest.values())
    assert summary.data_as_of(latest) == min(latest.values())
    assert "Newest Genie message: " in summary.freshness_note(latest)


def test_period_travels_in_links_only_when_a_preset_says_it(period):
    assert period.query == "range=30+days"
    week = summary.Period(period.end - timedelta(days=6), period.end)
    assert week.query == "range=7+days"
    assert summary.Period(period.start, period.end - timedelta(days=1)).query == ""  # custom: the default opens
    assert views.links(week)["apps"] == {"Every app: App usage": "app-usage?view=Top+apps&range=7+days"}


def test_top_apps_are_the_five_with_most_users_linked(frames, period):
    top = views.top_apps(frames["apps_top_apps"], frames["apps_cost_by_app"], period)
    assert list(top.columns) == list(columns.TOP_APPS)
    expected = frames["apps_top_apps"].sort_values(["users", "app_name"], ascending=[False, True])
    assert list(top["users"]) == list(expected["users"].head(5))
    assert top["users"].is_monotonic_decreasing and len(top) == 5
    first = top.iloc[0]
    assert first["details"].startswith("app-detail?app=") and first["details"].endswith("&range=30+days")
    cost = frames["apps_cost_by_app"].set_index("app_name")["cost_usd"]
    assert first["cost_usd"] == pytest.approx(cost.get(first["app_name"], 0.0))


def test_top_spaces_are_the_five_with_most_users_linked(frames, period):
    top = views.top_spaces(frames["genie_spaces_activity"], period)
    active = frames["genie_spaces_activity"].query("users > 0")
    assert list(top.columns) == list(columns.TOP_SPACES) and len(top) == min(5, len(active)) > 0
    assert list(top["users"]) == sorted(active["users"], reverse=True)[:5]
    assert all(url.startswith("genie-space?space=") and url.endswith("&range=30+days") for url in top["details"])
    assert top["success_rate"].between(0, 100).all()


def test_cost_split_adds_up_to_the_cost_kpi(frames, period):
    split = views.cost_by_product(frames["apps_cost_totals"], frames["genie_cost_totals"], period)
    this = split[split["period"].str.startswith("This period")]
    assert set(this["product"]) == set(views.PRODUCTS.values())
    assert this["cost_usd"].sum() == pytest.approx(
        summary.total_cost(frames["apps_cost_totals"], frames["genie_cost_totals"], "current"))
    assert views.cost_chart(frames["apps_cost_totals"], frames["genie_cost_totals"], period) is not None


def test_cost_drivers_are_the_costliest_of_each_product(frames):
    drivers = views.cost_drivers(frames["apps_cost_by_app"], frames["genie_spaces_activity"])
    assert drivers["cost_usd"].is_monotonic_decreasing
    apps = drivers[drivers["product"] == "Apps compute"]
    assert len(apps) <= 5
    assert apps["cost_usd"].max() == pytest.approx(frames["apps_cost_by_app"]["cost_usd"].max())


def test_trend_has_both_products_per_day(frames, period):
    long = views.trend(frames["apps_daily_active"], frames["genie_daily_activity"])
    per_series = long.groupby("series")["day"].nunique()
    assert dict(per_series) == dict.fromkeys(views.TREND_SERIES.values(), period.days)
    apps = long[long["series"] == views.TREND_SERIES["apps"]]
    assert apps["users"].sum() == frames["apps_daily_active"]["dau"].sum() > 0
    assert views.trend_chart(frames["apps_daily_active"], frames["genie_daily_activity"]) is not None


def test_nothing_to_draw_gives_no_chart(period):
    daily = pd.DataFrame({"day": [period.start], "dau": [0], "users": [0]})
    assert views.trend_chart(daily, daily) is None
    none = pd.DataFrame({"period": ["current"], "cost_usd": [0.0], "genie_usd": [0.0], "warehouse_usd": [0.0]})
    assert views.cost_chart(none, none, period) is None
    spaces = pd.DataFrame({"space_id": ["s1"], "title": ["S"], "cost_usd": [0.0]})
    assert views.cost_drivers_chart(pd.DataFrame({"app_name": [], "cost_usd": []}), spaces) is None
