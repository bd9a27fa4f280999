"""Example values for the tracker (activity) query parameters (merged into sample_params._EXAMPLES)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

EXAMPLES: dict[str, Callable[[tuple[datetime, datetime]], Any]] = {
    # tracker/kpis: the current period's first day (start_date is then the previous period's first day).
    "period_start": lambda w: (w[1] - timedelta(days=15)).date(),
    # tracker/live, live_minutes: moving bounds (now − 5 / 30 minutes on the page; wider here so the
    # small demo has rows in them).
    "live_since": lambda w: w[1] - timedelta(hours=6),
    "trend_since": lambda w: w[1] - timedelta(hours=6),
    # tracker/events_over_time, dau_by_app
    "hourly": lambda w: False,
    "split": lambda w: "app",
    "top_n": lambda w: 8,
}
