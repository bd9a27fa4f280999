"""Churn risk: users whose recent activity fell well below their own baseline, with the rule in words.

The rule's numbers are a `Rule` (defaults are constants; the ratio and the minimum baseline are page
controls). The queries evaluate it as of the period's last day, so they read events from the start
of the baseline, whatever the period's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pandas as pd

from telemetry.metrics.kpi import Kpi
from telemetry.tracker.analytics.filters import TrackerFilters

RECENT_DAYS = 7
BASELINE_WEEKS = 4
DEFAULT_RATIO_PCT = 25  # recent below 25% of the weekly baseline
DEFAULT_MIN_DAYS = 3  # active days in the baseline, so one-off visitors are never "at risk"
USER_PAGE = "tracker-user"


@dataclass(frozen=True)
class Rule:
    ratio_pct: int = DEFAULT_RATIO_PCT
    min_baseline_days: int = DEFAULT_MIN_DAYS
    recent_days: int = RECENT_DAYS
    baseline_weeks: int = BASELINE_WEEKS


def rule(ratio_pct: float | None, min_days: float | None) -> Rule:
    """The rule from the page's controls (bounded; defaults when missing)."""
    ratio = int(ratio_pct) if ratio_pct is not None else DEFAULT_RATIO_PCT
    days = int(min_days) if min_days is not None else DEFAULT_MIN_DAYS
    return Rule(min(100, max(1, ratio)), min(7 * BASELINE_WEEKS, max(1, days)))


def params(r: Rule, f: TrackerFilters) -> dict[str, Any]:
    first = f.end - timedelta(days=r.recent_days + 7 * r.baseline_weeks - 1)
    return {"start_date": first, "recent_days": r.recent_days, "baseline_weeks": r.baseline_weeks,
            "risk_ratio": r.ratio_pct / 100, "min_baseline_days": r.min_baseline_days}


def windows(r: Rule, f: TrackerFilters) -> tuple[tuple, tuple]:
    """((baseline first, last day), (recent first, last day)) as dates."""
    recent_first = f.end - timedelta(days=r.recent_days - 1)
    baseline_first = recent_first - timedelta(days=7 * r.baseline_weeks)
    return (baseline_first, recent_first - timedelta(days=1)), (recent_first, f.end)


def text(r: Rule, f: TrackerFilters) -> str:
    """The rule in words, with its dates."""
    (b0, b1), (r0, r1) = windows(r, f)
    return (f"A user is **at risk** when their events in the last {r.recent_days} days ({r0:%b %d}–{r1:%b %d}) "
            f"are below **{r.ratio_pct}%** of their weekly average over the {r.baseline_weeks} weeks before "
            f"({b0:%b %d}–{b1:%b %d}), and they were active on at least **{r.min_baseline_days} days** in those "
            f"weeks (so occasional visitors are not flagged).")


def user_link(user: str) -> str:
    return f"{USER_PAGE}?user={quote(str(user), safe='')}"


def rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The at-risk users with change as 0–100 (−100 = gone quiet) and a link to each user's page."""
    if frame.empty:
        return frame
    return frame.assign(change=100.0 * frame["change"], details=[user_link(u) for u in frame["user"]])


def kpis(summary: pd.DataFrame) -> list[Kpi]:
    s = summary.iloc[0] if not summary.empty else pd.Series(dtype=float)
    evaluated, at_risk = s.get("evaluated"), s.get("at_risk")
    share = at_risk / evaluated if evaluated else None
    return [
        Kpi("Users with a baseline", evaluated, help="Active often enough in the baseline weeks to be judged"),
        Kpi("At risk", at_risk, higher_is_better=False),
        Kpi("Share at risk", share, fmt="pct", higher_is_better=False),
        Kpi("Gone quiet", s.get("gone_quiet"), higher_is_better=False, help="At risk with no event at all recently"),
    ]


def by_app(frame: pd.DataFrame) -> pd.DataFrame:
    """At-risk users per main app, most first."""
    if frame.empty:
        return pd.DataFrame(columns=["main_app", "users"])
    counts = frame.groupby("main_app").size().reset_index(name="users")
    return counts.sort_values(["users", "main_app"], ascending=[False, True]).reset_index(drop=True)
