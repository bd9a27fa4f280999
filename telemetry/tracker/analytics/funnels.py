"""Funnels: ordered steps chosen on the page → the funnel query's parameters, and the step table.

The query (tracker/funnel) takes a fixed six step slots ('' for unused ones), so one statement text
serves every funnel; it returns journeys reaching each step and the median time from the previous
step. Conversion, drop-off and the labels are derived here, where they are unit-tested.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from telemetry.metrics.kpi import Kpi
from telemetry.tracker.actions import Actions

MIN_STEPS, MAX_STEPS = 2, 6
DEFAULT_STEPS = (Actions.QUESTION_ASKED, Actions.SQL_GENERATED, Actions.SQL_EXECUTED, Actions.RESULTS_DOWNLOADED)
# Conversion windows: labels are also their URL values (?window=1+day).
WINDOWS = {"1 hour": 60, "1 day": 24 * 60, "7 days": 7 * 24 * 60}
DEFAULT_WINDOW = "1 day"
ALL_APPS = "All apps"
RULE = ("Each step counts the first time it happens after the previous step, within the conversion window "
        "from the first step; a journey is a user (or a user in one app, when split by app), and of its "
        "attempts the one that got furthest counts.")


def step_options(options: pd.DataFrame) -> list[str]:
    """The actions the tracker table holds (tracker/options, most frequent first), for the step picker."""
    if options is None or options.empty:
        return []
    return [str(v) for v in options.loc[options["kind"] == "action", "value"]]


def default_steps(actions: list[str]) -> list[str]:
    """The assistant journey (question → SQL → run → download) where the table has it, else the two
    most frequent actions."""
    present = [a for a in DEFAULT_STEPS if a in actions]
    return present if len(present) >= MIN_STEPS else actions[:MIN_STEPS]


def step_problem(steps: list[str] | tuple[str, ...]) -> str | None:
    """Why a funnel cannot be drawn from these steps (None when it can)."""
    if len(steps) < MIN_STEPS:
        return f"Pick {MIN_STEPS} to {MAX_STEPS} steps, in the order users take them, to draw a funnel."
    return None


def params(steps: tuple[str, ...], window: str, by_app: bool) -> dict[str, Any]:
    """step1 … step6 ('' for unused slots), the window in minutes and the app split."""
    slots = list(steps[:MAX_STEPS]) + [""] * (MAX_STEPS - min(len(steps), MAX_STEPS))
    return {**{f"step{i}": s for i, s in enumerate(slots, start=1)},
            "window_minutes": WINDOWS.get(window, WINDOWS[DEFAULT_WINDOW]), "by_app": bool(by_app)}


def duration_text(seconds: float | None) -> str:
    """9 → '9 s', 150 → '2.5 min', 5400 → '1.5 h', 200000 → '2.3 d' ('' when missing)."""
    if seconds is None or pd.isna(seconds):
        return ""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per app (or all) and step: users, conversion from the previous and the first step,
    users dropped before the step and its drop-off (0–100), the median time from the previous step."""
    if frame.empty:
        return frame
    rows = frame.sort_values(["app_name", "step"]).copy()
    group = rows.groupby("app_name", sort=False)["users"]
    previous = group.shift(1)
    first = group.transform("first")
    rows["entered"] = first  # apps with the most journeys first, steps in order within each
    rows = rows.sort_values(["entered", "app_name", "step"], ascending=[False, True, True])
    previous, first = previous[rows.index], first[rows.index]
    rows["app_name"] = rows["app_name"].where(rows["app_name"] != "", ALL_APPS)
    rows["label"] = rows["step"].astype(int).astype(str) + ". " + rows["action"]
    rows["from_previous"] = (100.0 * rows["users"] / previous.where(previous > 0)).where(rows["step"] > 1, 100.0)
    rows["from_first"] = 100.0 * rows["users"] / first.where(first > 0)
    rows["dropped"] = (previous - rows["users"]).fillna(0).astype("int64")
    rows["drop_off"] = 100.0 - rows["from_previous"]
    rows["median_time"] = rows["median_seconds"].map(duration_text)
    rows["median_total_time"] = rows["median_total_seconds"].map(duration_text)
    return rows.reset_index(drop=True)


def overall(steps: pd.DataFrame) -> pd.DataFrame:
    """Per app (or all): journeys that entered and completed, overall conversion (0–100) and the
    median time from the first to the last step, most entrants first."""
    if steps.empty:
        return steps
    first = steps.groupby("app_name", sort=False).head(1).set_index("app_name")
    last = steps.groupby("app_name", sort=False).tail(1).set_index("app_name")
    out = pd.DataFrame({"entered": first["users"], "completed": last["users"],
                        "conversion": last["from_first"], "median_total_time": last["median_total_time"]})
    out = out.reset_index()
    return out.sort_values(["entered", "app_name"], ascending=[False, True]).reset_index(drop=True)


def kpis(steps: pd.DataFrame) -> list[Kpi]:
    """Entered, completed, overall conversion and median time to complete (the unsplit funnel)."""
    totals = overall(steps)
    row = totals.iloc[0] if len(totals) == 1 else None
    if row is None:  # split by app: sum the journeys; the conversion of all of them together
        entered, completed = totals["entered"].sum(), totals["completed"].sum()
        conversion = completed / entered if entered else None
        return [Kpi("Journeys started", entered), Kpi("Completed", completed),
                Kpi("Conversion", conversion, fmt="pct", help="Completed ÷ started, all apps together"),
                Kpi("Apps", len(totals), help="Apps where the first step happened")]
    last = steps.iloc[-1]
    return [Kpi("Journeys started", row["entered"], help="Users who did the first step"),
            Kpi("Completed", row["completed"], help="Users who went through every step in order"),
            Kpi("Conversion", row["conversion"] / 100 if pd.notna(row["conversion"]) else None, fmt="pct",
                help="Completed ÷ started"),
            Kpi("Median time to complete", None, display=last["median_total_time"] or "–",
                help="From the first step to the last, over the journeys that completed")]
