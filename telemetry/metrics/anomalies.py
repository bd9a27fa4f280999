"""Anomaly bands for daily series: each day against the same weekday of the previous four weeks.

Weekly seasonality dominates usage (weekends are quiet), so a plain rolling band would flag every
Saturday. Comparing a Tuesday with the four Tuesdays before it flags what a person would call
unusual. The band is mean ± 3 standard deviations, and never narrower than ±25 % of the mean (or
±3), so a very regular series does not flag noise.
"""

from __future__ import annotations

import pandas as pd

WEEKS = 4
SIGMAS = 3.0
MIN_RELATIVE = 0.25
MIN_ABSOLUTE = 3.0
RULE = (f"Expected range: the same weekday over the previous {WEEKS} weeks, mean ± {SIGMAS:g}σ "
        f"(at least ±{MIN_RELATIVE:.0%}). Days outside it are flagged.")


def band(daily: pd.DataFrame, value: str, day: str = "day", partial_day=None) -> pd.DataFrame:
    """Add `expected`, `lower`, `upper` and `anomaly` columns (NaN/False until enough history).

    `partial_day` (today, still filling up) gets a band but is never flagged: a day that has not
    ended is always "low"."""
    frame = daily.sort_values(day).reset_index(drop=True).copy()
    frame[day] = pd.to_datetime(frame[day])
    weekday = frame[day].dt.weekday
    grouped = frame.groupby(weekday)[value]
    history = grouped.transform(lambda s: s.shift(1).rolling(WEEKS, min_periods=2).mean())
    spread = grouped.transform(lambda s: s.shift(1).rolling(WEEKS, min_periods=2).std())
    width = (SIGMAS * spread).clip(lower=(MIN_RELATIVE * history).clip(lower=MIN_ABSOLUTE))
    frame["expected"] = history
    frame["lower"] = (history - width).clip(lower=0)
    frame["upper"] = history + width
    frame["anomaly"] = history.notna() & ((frame[value] < frame["lower"]) | (frame[value] > frame["upper"]))
    if partial_day is not None:
        frame.loc[frame[day] == pd.Timestamp(partial_day), "anomaly"] = False
    return frame
