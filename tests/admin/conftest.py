"""Admin tests: a fresh console tracker per test (it is process-wide, cached on first use)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_tracker():
    from telemetry import tracker
    from telemetry.admin import tracking

    tracking.console_tracker.cache_clear()
    yield
    current = tracker._current
    if current is not None:
        current.close()
    tracker._current = None
    tracking.console_tracker.cache_clear()
