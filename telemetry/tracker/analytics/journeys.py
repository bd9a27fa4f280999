"""The User journeys page's data: which queries each view runs, and their parameters.

Every view's queries depend only on the filter bar and the view's own controls (`Controls`), so they
start together in one wave after the filter options. A funnel with too few steps runs no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telemetry import queries
from telemetry.config import Settings
from telemetry.tracker.analytics import churn, funnels, paths, stickiness
from telemetry.tracker.analytics import filters as tracker_filters
from telemetry.tracker.analytics.filters import TrackerFilters

VIEW_QUERIES: dict[str, tuple[str, ...]] = {
    "Funnels": ("funnel",),
    "Paths": ("paths",),
    "Sessions": ("session_summary", "session_daily", "session_lengths", "session_apps"),
    "Stickiness": ("stickiness_daily", "stickiness_days", "stickiness_apps"),
    "Adoption": ("adoption_weekly", "adoption_actions"),
    "Churn risk": ("churn_risk", "churn_summary"),
}


@dataclass(frozen=True)
class Controls:
    """The view's own controls (URL-bound widgets on the page)."""

    steps: tuple[str, ...] = funnels.DEFAULT_STEPS
    window: str = funnels.DEFAULT_WINDOW
    by_app: bool = False
    path_action: str = ""
    rule: churn.Rule = field(default_factory=churn.Rule)


def view_params(view: str, f: TrackerFilters, c: Controls) -> dict[str, Any]:
    """The parameters a view adds to (or overrides in) the filter bar's."""
    if view == "Funnels":
        return funnels.params(c.steps, c.window, c.by_app)
    if view == "Paths":
        return paths.params(c.path_action)
    if view == "Stickiness":
        return stickiness.params(f)
    if view == "Churn risk":
        return churn.params(c.rule, f)
    return {}


def requests(view: str, f: TrackerFilters, settings: Settings, c: Controls) -> dict[str, queries.Request]:
    """The view's requests by short name (none for a funnel the steps cannot make)."""
    if view == "Funnels" and funnels.step_problem(c.steps):
        return {}
    return tracker_filters.requests(VIEW_QUERIES[view], f, settings, **view_params(view, f, c))
