"""Stickiness: DAU/WAU/MAU over time, how many days a week users come back, and per-app ratios.

A day's MAU needs the 29 days before it, so the stickiness queries read events from 29 days before
the period (`start_date`) and report the period's days only (`first_day`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from telemetry.metrics.kpi import Kpi
from telemetry.tracker.analytics.filters import TrackerFilters

HISTORY_DAYS = 29
RATIOS = {"dau_mau": "DAU / MAU", "dau_wau": "DAU / WAU", "wau_mau": "WAU / MAU"}


def params(f: TrackerFilters) -> dict[str, Any]:
    return {"start_date": f.start - timedelta(days=HISTORY_DAYS), "first_day": f.start}


def daily(frame: pd.DataFrame) -> pd.DataFrame:
    """Each day's DAU, WAU, MAU and the three ratios (0–1)."""
    if frame.empty:
        return frame
    out = frame.copy()
    out["dau_mau"] = out["dau"] / out["mau"].where(out["mau"] > 0)
    out["dau_wau"] = out["dau"] / out["wau"].where(out["wau"] > 0)
    out["wau_mau"] = out["wau"] / out["mau"].where(out["mau"] > 0)
    return out


def kpis(frame: pd.DataFrame) -> list[Kpi]:
    """The latest day's WAU and MAU, the period's average DAU and DAU/MAU (the classic stickiness)."""
    rows = daily(frame)
    last = rows.iloc[-1] if not rows.empty else pd.Series(dtype=float)
    mean = rows.mean(numeric_only=True) if not rows.empty else pd.Series(dtype=float)
    return [
        Kpi("Average DAU", mean.get("dau"), fmt="float", help="Users active per day, averaged over the period"),
        Kpi("WAU", last.get("wau"), help="Users active in the 7 days to the latest day with activity"),
        Kpi("MAU", last.get("mau"), help="Users active in the 30 days to the latest day with activity"),
        Kpi("Stickiness (DAU / MAU)", mean.get("dau_mau"), fmt="pct",
            help="Each day's DAU ÷ that day's MAU, averaged: the share of a month's users who come on a given day"),
    ]


def active_days(frame: pd.DataFrame) -> pd.DataFrame:
    """Active days per user-week (1–7) with the share of user-weeks (0–100), every day shown."""
    if frame.empty:
        return frame
    full = pd.DataFrame({"active_days": range(1, 8)}).merge(frame, on="active_days", how="left")
    full[["user_weeks", "users"]] = full[["user_weeks", "users"]].fillna(0).astype("int64")
    full["share"] = 100.0 * full["user_weeks"] / full["user_weeks"].sum()
    full["label"] = [f"{d} day" + ("s" if d > 1 else "") for d in full["active_days"]]
    return full


def weeks(frame: pd.DataFrame) -> int:
    return 0 if frame.empty else int(frame["weeks"].max())


def apps(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-app table with DAU / MAU as 0–100."""
    return frame if frame.empty else frame.assign(dau_mau=100.0 * frame["dau_mau"])
