"""The admin Jobs page in a real browser, on a served console that owns its embedded file: Run now on
demo-append, confirmed in the dialog, is followed live to its result; the run outlives the page (a new
session reads it from the runner's files); and the sign-ins it appended show on App usage.

The demo is built as of 30 hours ago, so the append has a day of events to add."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest

from telemetry.config import load_settings
from telemetry.demo import build
from telemetry.mirror import default_now
from tests.e2e.browser import NO_CHROMIUM, chromium_path, fit_to_content, launch_chromium, look, open_page, seen, serve

LOGINS = re.compile(r"Logins\s*\n+\s*([\d,]+)")


def _logins(main: str) -> int:
    found = LOGINS.search(main)
    assert found, main[:600]
    return int(found.group(1).replace(",", ""))


def _wait_for(page, pattern: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        main = seen(page).main
        if re.search(pattern, main):
            return main
        page.wait_for_timeout(500)
    raise AssertionError(f"{pattern!r} never shown:\n{seen(page)}")


def test_run_now_is_followed_outlives_the_page_and_moves_app_usage(tmp_path):
    from playwright.sync_api import sync_playwright

    if chromium_path() is None:
        pytest.fail(NO_CHROMIUM, pytrace=False)
    db = tmp_path / "demo.duckdb"
    build(db, load_settings({}), scale=0.05, days=30, seed=11, now=default_now() - timedelta(hours=30))
    env = {"TELEMETRY_EMBEDDED_PATH": str(db), "TELEMETRY_ENGINE": "embedded", "TELEMETRY_SELF_TRACKING": "off"}
    shots = os.environ.get("E2E_SHOTS")  # a folder: keep the screenshots of the run
    with serve(env, "telemetry serve") as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        before = _logins(look(browser, f"{base}/app-usage").main)
        page = open_page(browser, f"{base}/jobs")
        card = page.locator("[data-testid='stExpander']").filter(has_text="demo-append")
        card.get_by_text("demo-append", exact=True).first.click()
        card.get_by_role("button", name="Run now…").click()
        page.get_by_role("dialog").get_by_role("button", name="Start the run").click()
        _wait_for(page, r"Run 1 of demo-append (started|queued)|Run 1: (queued|running|success)")
        if shots:
            fit_to_content(page)
            page.screenshot(path=str(Path(shots) / "admin-jobs-run.png"), full_page=True)
        done = _wait_for(page, r"Run 1: (success|failed|canceled)")
        assert "Run 1: success" in done and "Traceback" not in done, done
        page.context.close()
        again = look(browser, f"{base}/jobs")  # a new session: the run is the runner's, not the page's
        assert "Traceback" not in again.main and "lock" not in again.main.lower()
        after = _logins(look(browser, f"{base}/app-usage").main)
        browser.close()
    record = json.loads((db.with_name(db.name + ".runs") / "1.json").read_text())
    assert (record["job"], record["state"], record["result"]) == ("demo-append", "TERMINATED", "SUCCESS"), record
    assert record["creator"] == "local.developer@example.com"
    assert after > before, (before, after)  # a day of appended sign-ins, through the refreshed rollup
