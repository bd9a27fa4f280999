"""App usage pages under AppTest on the demo data: filters change values, links reproduce views."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def as_number(text: str) -> float:
    return float(text.replace(",", "").replace("$", "").replace("%", ""))


def test_kpis_show_values_and_change(demo_env):
    at = open_page("pages/apps/usage.py")
    labels = [m.label for m in at.metric][:8]
    assert labels == ["Active apps", "Unique users", "Logins", "DAU", "WAU", "MAU", "Stickiness", "Cost"]
    assert as_number(metric(at, "Unique users")) > 0 and as_number(metric(at, "Logins")) > 0
    assert all("vs previous period" in m.delta for m in at.metric[:8] if m.delta)
    assert not at.error


def test_period_in_the_url_changes_the_numbers(demo_env):
    week = as_number(metric(open_page("pages/apps/usage.py", range="7 days"), "Logins"))
    month = as_number(metric(open_page("pages/apps/usage.py", range="30 days"), "Logins"))
    assert 0 < week < month


def test_excluding_internal_accounts_removes_them(demo_env):
    at = open_page("pages/apps/usage.py")
    filtered = as_number(metric(at, "Unique users"))
    at.toggle(key="no_internal").set_value(False).run()
    assert as_number(metric(at, "Unique users")) > filtered


def test_workspace_filter(demo_env):
    from telemetry import queries

    at = open_page("pages/apps/usage.py")
    everyone = as_number(metric(at, "Active apps"))
    workspace = queries.run("app_usage/workspaces_list").frame["workspace_id"].iloc[0]
    at.selectbox(key="ws").set_value(workspace).run()
    assert not at.exception
    assert 0 < as_number(metric(at, "Active apps")) < everyone


def test_deep_link_opens_the_per_app_view(demo_env):
    from telemetry import queries

    app = queries.run("app_usage/top_apps", **_params("app_usage/top_apps")).frame["app_name"].iloc[0]
    at = open_page("pages/apps/detail.py", app=app)
    assert at.title[0].value == f"App: {app}"
    assert as_number(metric(at, "Unique users")) > 0
    assert "Active apps" not in [m.label for m in at.metric]
    subheaders = [s.value for s in at.subheader]
    assert {"Top users", "Lifecycle and sharing", "In-app actions (tracker)"} <= set(subheaders)


def test_unknown_or_hostile_app_in_the_url_selects_nothing(demo_env):
    at = open_page("pages/apps/detail.py", app="x' OR '1'='1")
    assert at.title[0].value == "App detail"
    assert any("Choose an app" in i.value for i in at.info)


@pytest.mark.parametrize("hostile", ["'; DROP TABLE audit; --", "<script>alert(1)</script>", "9999d"])
def test_hostile_period_in_the_url_falls_back_to_the_default(demo_env, hostile):
    at = open_page("pages/apps/usage.py", range=hostile)
    assert not at.error
    assert as_number(metric(at, "Logins")) == as_number(metric(open_page("pages/apps/usage.py"), "Logins"))


def _params(name):
    from datetime import UTC, datetime, timedelta

    from telemetry import runtime
    from telemetry.apps import usage as app_usage

    today = datetime.now(UTC).date()
    return app_usage.params(name, app_usage.Filters(today - timedelta(days=29), today), runtime.settings())
