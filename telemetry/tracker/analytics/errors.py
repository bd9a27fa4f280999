"""Tracked events, Errors view: error actions by kind and app, the daily error rate, the users most
affected (pure functions over tracker/error_* frames).

An error is an action `error:<kind>` (what `track_error` writes, telemetry.tracker.ErrorKinds) or a
bare `error` (apps that tracked before the vocabulary); both count everywhere.
"""

from __future__ import annotations

import pandas as pd

DEFINITION = ("An error is an event whose action is `error:<kind>` (what `track_error` records) or a bare "
              "`error`; its kind is the part after `error:`. The Actions filter does not apply here.")
WHY_EMPTY = "No error events (action `error` or `error:<kind>`) in this period."
TOP_APPS = 15


def by_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """Errors and affected users per kind over all apps (most errors first)."""
    if frame.empty:
        return pd.DataFrame(columns=["kind", "errors", "apps"])
    out = frame.groupby("kind", as_index=False).agg(errors=("errors", "sum"), apps=("app_name", "nunique"))
    return out.sort_values(["errors", "kind"], ascending=[False, True]).reset_index(drop=True)


def by_app(frame: pd.DataFrame, n: int = TOP_APPS) -> pd.DataFrame:
    """The rows of the `n` apps with the most errors (one row per app and kind), for the stacked chart."""
    if frame.empty:
        return frame
    totals = frame.groupby("app_name")["errors"].sum().reset_index()
    top = totals.sort_values(["errors", "app_name"], ascending=[False, True]).head(n)["app_name"]
    order = {name: i for i, name in enumerate(top)}
    kept = frame[frame["app_name"].isin(order)]
    return kept.assign(app_order=kept["app_name"].map(order)).sort_values(["app_order", "kind"])


def daily_rate(frame: pd.DataFrame) -> pd.DataFrame:
    """tracker/error_rate_daily with the day's error rate (errors ÷ events, 0–1; none on a day without events)."""
    if frame.empty:
        return frame
    return frame.assign(day=pd.to_datetime(frame["day"]),
                        error_rate=frame["errors"] / frame["events"].where(frame["events"] > 0))


def period_rate(frame: pd.DataFrame) -> float | None:
    """Errors ÷ events over the whole period (from the daily rows)."""
    if frame.empty or frame["events"].sum() == 0:
        return None
    return float(frame["errors"].sum()) / float(frame["events"].sum())


def top_users(frame: pd.DataFrame) -> pd.DataFrame:
    """tracker/error_top_users with the share of each user's events that were errors (0–100)."""
    if frame.empty:
        return frame
    return frame.assign(error_share=100.0 * frame["errors"] / frame["events"])
