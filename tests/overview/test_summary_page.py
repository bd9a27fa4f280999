"""The Executive summary under AppTest on the demo: its KPI tiles show the numbers of the pages it
summarises (App usage, Genie summary, Tracked events) for the same period, the period travels in
the URL, and the top-5 tables hold the busiest apps and spaces with links to their pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import formatting, queries, runtime
from telemetry.overview import summary
from tests import apptest

PAGE = "pages/home/summary.py"


def open_page(path: str, **query) -> AppTest:
    """The page (tests.apptest.open_page), which must also show no error."""
    at = apptest.open_page(path, **query)
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture()
def page(demo_env) -> dict[str, str]:
    return metrics(open_page(PAGE))


def test_kpis_equal_the_summarised_pages(page):
    apps = metrics(open_page("pages/apps/usage.py"))
    genie = metrics(open_page("pages/genie/summary.py"))
    tracker = metrics(open_page("pages/tracker/events.py"))
    assert page["App users"] == apps["Unique users"] != "0"
    assert page["App sign-ins"] == apps["Logins"]
    assert page["Active apps"] == apps["Active apps"]
    assert page["Genie users"] == genie["Users"]
    assert page["Genie messages"] == genie["Messages"] != "0"
    assert page["Genie success rate"] == genie["Success rate"]
    assert page["Tracked events"] == tracker["Events"] != "0"


def test_cost_is_apps_plus_genie_from_the_cost_queries(page):
    period = summary.Period(summary.today() - timedelta(days=29), summary.today())
    requests = summary.requests(period, runtime.settings())
    total = sum(queries.run(requests[name].name, **requests[name].params).frame
                .set_index("period").loc["current", "cost_usd"] for name in ("apps_cost_totals", "genie_cost_totals"))
    assert total > 0
    assert page["Cost (USD)"] == formatting.number(total, "usd")


def test_the_period_in_the_url_changes_every_count(demo_env):
    week = metrics(open_page(PAGE, range="7 days"))
    month = metrics(open_page(PAGE, range="30 days"))
    for label in ("App sign-ins", "Genie messages", "Tracked events"):
        assert 0 < float(week[label].replace(",", "")) < float(month[label].replace(",", "")), label
    apps_week = metrics(open_page("pages/apps/usage.py", range="7 days"))
    assert week["App users"] == apps_week["Unique users"]


def test_every_kpi_shows_its_change_and_the_data_age(demo_env):
    at = open_page(PAGE)
    assert len(at.metric) == 8
    assert all(m.delta and m.delta.endswith("vs previous period") for m in at.metric)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Data as of ") and "ago" in c for c in captions), captions
    assert any("Newest app sign-in: " in c and "Newest tracked event: " in c for c in captions), captions


def test_top_tables_hold_the_busiest_apps_and_spaces_with_links(demo_env):
    at = open_page(PAGE, range="7 days")
    subheaders = [s.value for s in at.subheader]
    assert {"Active users per day", "Cost by product", "Top cost drivers", "Top 5 apps by users",
            "Top 5 Genie spaces by users"} <= set(subheaders)
    apps, spaces = (df.value for df in at.dataframe)
    period = summary.Period(summary.today() - timedelta(days=6), summary.today())
    requests = summary.requests(period, runtime.settings())
    top = queries.run(requests["apps_top_apps"].name, **requests["apps_top_apps"].params).frame
    assert list(apps["users"]) == sorted(top["users"], reverse=True)[:5]
    assert all(url.startswith("app-detail?app=") and url.endswith("&range=7+days") for url in apps["details"])
    assert spaces["users"].is_monotonic_decreasing and len(spaces) > 0
    assert all(url.startswith("genie-space?space=") for url in spaces["details"])
    assert len(at.get("vega_lite_chart")) == 3
