"""Example values for the tracker (journeys) query parameters (merged into sample_params._EXAMPLES).

The funnel is the demo's main journey (question → SQL → run → download); the churn rule is looser
than the page's default so the small test demo flags users; `first_day` starts the 30-day example period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

EXAMPLES: dict[str, Callable[[tuple[datetime, datetime]], Any]] = {
    "step1": lambda w: "question_asked",
    "step2": lambda w: "sql_generated",
    "step3": lambda w: "sql_executed",
    "step4": lambda w: "results_downloaded",
    "step5": lambda w: "",
    "step6": lambda w: "",
    "window_minutes": lambda w: 24 * 60,
    "by_app": lambda w: False,
    "path_action": lambda w: "sql_executed",
    "first_day": lambda w: (w[1] - timedelta(days=29)).date(),
    "recent_days": lambda w: 7,
    "baseline_weeks": lambda w: 4,
    "risk_ratio": lambda w: 1.0,  # recent below the weekly average: rows on the small test demo too
    "min_baseline_days": lambda w: 1,
}
