"""The real server in headless Chromium: deep links reproduce views, pages draw without errors.

Runs `python -m telemetry serve` on the session's demo database and opens pages the way a user's
browser would (a fresh session per link), which AppTest cannot do. No browser is a failure, not a
skip: .ci/run installs Debian's chromium. (The gate and identity headers: test_gate_browser.py.)
"""

import pytest

from tests.e2e.browser import NO_CHROMIUM, chromium_path, launch_chromium, open_page, serve


@pytest.fixture(scope="module")
def busiest_app(demo_db) -> str:
    """Read before the console starts: the served console owns its file, so no one else can open it."""
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        return con.execute("SELECT app_name FROM main__ops_console.app_logins_hourly "
                           "GROUP BY 1 ORDER BY sum(logins) DESC LIMIT 1").fetchone()[0]


@pytest.fixture(scope="module")
def browser_and_base(demo_db, busiest_app):
    from playwright.sync_api import sync_playwright

    if chromium_path() is None:
        pytest.fail(NO_CHROMIUM, pytrace=False)
    env = {"TELEMETRY_EMBEDDED_PATH": str(demo_db), "TELEMETRY_ENGINE": "embedded"}
    with serve(env, "telemetry serve") as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        yield browser, base
        browser.close()


def _text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def test_deep_link_to_a_page_runs_inside_the_frame(browser_and_base):
    browser, base = browser_and_base
    page = open_page(browser, f"{base}/app-usage")
    text = _text(page)
    assert "App usage" in text and "Unique users" in text
    assert "Traceback" not in text and "Error" not in text.split("Errors")[0]
    nav = page.inner_text("[data-testid='stSidebarNav']")
    assert "Overview" in nav and "Data health" in nav  # the registry's menu, not folder discovery


def test_a_link_reproduces_the_period(browser_and_base):
    browser, base = browser_and_base
    page = open_page(browser, f"{base}/app-usage?range=7+days&view=Sessions")
    assert page.get_by_role("radio", name="7 days").get_attribute("aria-checked") == "true"
    assert page.get_by_role("radio", name="30 days").get_attribute("aria-checked") == "false"
    assert page.get_by_role("radio", name="Sessions").get_attribute("aria-checked") == "true"
    assert "Inactivity gap that ends a session" in _text(page)


def test_per_app_deep_link(browser_and_base, busiest_app):
    app = busiest_app
    browser, base = browser_and_base
    page = open_page(browser, f"{base}/app-detail?app={app}")
    text = _text(page)
    assert f"App: {app}" in text and "Top users" in text
