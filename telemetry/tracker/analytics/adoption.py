"""Feature adoption: the share of active users who used each action, per week and over the period.

Error actions are not features (the queries leave them out); actions are ordered by how many users
used them in the period, so the heatmap's rows and the table agree.
"""

from __future__ import annotations

import pandas as pd

from telemetry.metrics.kpi import Kpi

HEATMAP_ACTIONS = 20  # rows of the weekly heatmap (the table lists every action)


def action_order(actions: pd.DataFrame) -> list[str]:
    """Actions by users in the period, most first (tracker/adoption_actions is already so ordered)."""
    return [] if actions.empty else [str(a) for a in actions["action"]]


def table(actions: pd.DataFrame) -> pd.DataFrame:
    """The period's features with share as 0–100."""
    if actions.empty:
        return actions
    return actions.assign(share=100.0 * actions["share"])


def weekly(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The weekly shares of the `HEATMAP_ACTIONS` most used actions (week as a date)."""
    if frame.empty:
        return frame
    keep = order[:HEATMAP_ACTIONS] or sorted(frame["action"].unique())
    rows = frame[frame["action"].isin(keep)].copy()
    rows["week"] = pd.to_datetime(rows["week"])
    return rows.reset_index(drop=True)


def kpis(actions: pd.DataFrame) -> list[Kpi]:
    """Active users, features used, the most and the least adopted feature."""
    if actions.empty:
        return [Kpi("Active users", None), Kpi("Features used", None)]
    bottom = actions.sort_values(["users", "action"]).iloc[0]
    return [
        Kpi("Active users", actions["active_users"].iloc[0], help="Users with any tracked event in the period"),
        Kpi("Features used", len(actions), help="Distinct non-error actions"),
        Kpi("Used by half the users or more", int((actions["share"] >= 0.5).sum()),
            help="Features at least half of the active users used"),
        Kpi("Least adopted", bottom["share"], fmt="pct",
            help=f"{bottom['action']}: the share of active users who used it"),
    ]
