"""The console tracks its own use, in a real browser: opening App usage and changing its period records
a page view and a filter change, which the running console (owner of its embedded file) applies, and
its own Tracked user page then shows them. Nobody stops the console."""

from __future__ import annotations

import re
import time

import duckdb
import pytest

from tests.e2e.browser import NO_CHROMIUM, chromium_path, launch_chromium, look, open_page, serve, wait_until_idle

LOCAL_USER = "local.developer@example.com"  # the embedded default's labelled local admin


def test_page_views_and_filter_changes_show_on_the_consoles_own_pages(writable_demo):
    from playwright.sync_api import sync_playwright

    if chromium_path() is None:
        pytest.fail(NO_CHROMIUM, pytrace=False)
    env = {"TELEMETRY_EMBEDDED_PATH": str(writable_demo), "TELEMETRY_ENGINE": "embedded",
           "TELEMETRY_SELF_TRACKING": "on", "TELEMETRY_SELF_TRACKING_APP": "console-e2e"}
    with serve(env, "telemetry serve") as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = open_page(browser, f"{base}/app-usage")
        page.get_by_text("7 days", exact=True).first.click()
        wait_until_idle(page, 500)
        assert "range=7" in page.url, page.url  # the filter is in the URL, as the tracker saw it
        page.context.close()
        deadline, shown = time.monotonic() + 40, None
        while time.monotonic() < deadline:
            shown = look(browser, f"{base}/tracker-user?user={LOCAL_USER}")
            if re.search(r"Distinct actions\s*\n\s*2\b", shown.main):  # page_view and filter_changed
                break
            time.sleep(2)
        assert re.search(r"Distinct actions\s*\n\s*2\b", shown.main), shown
        assert "lock" not in shown.main.lower() and "Traceback" not in shown.main
        browser.close()
    con = duckdb.connect(str(writable_demo), read_only=True)
    rows = con.execute("SELECT action, count(*) FROM demo.main__ops_console.app_events WHERE app_name = "
                       "'console-e2e' AND \"user\" = ? GROUP BY 1", [LOCAL_USER]).fetchall()
    con.close()
    counts = dict(rows)
    assert counts.get("filter_changed") == 1 and counts.get("page_view", 0) >= 2, counts
