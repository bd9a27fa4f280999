"""Tracked events, Assistant view: the rates the tracker's first users asked for, per app and per week.

Every rate is a ratio of two action counts (telemetry.tracker.Actions) over the same events, defined
once here with the words the page shows. A rate whose denominator is zero has no value (blank, never
0%): the app does not track that action, or nobody did it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from telemetry.metrics.kpi import Kpi
from telemetry.tracker.actions import Actions


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    numerator: str  # a column of tracker/assistant_* (an action count)
    denominator: str
    definition: str
    actions: tuple[str, str]  # the actions an app must track for the rate to exist
    short: str = ""  # the per-app table's column label (what over what)


RATES = (
    Rate("edit_rate", "SQL edit frequency", "edited", "generated",
         "SQL edits per generated query (sql_edited ÷ sql_generated): how often the generated SQL needed fixing",
         (Actions.SQL_EDITED, Actions.SQL_GENERATED), "Edits / generated"),
    Rate("download_rate", "Download rate", "downloaded", "executed",
         "Downloads per executed query (results_downloaded ÷ sql_executed; a re-run after an edit is another "
         "execution)", (Actions.RESULTS_DOWNLOADED, Actions.SQL_EXECUTED), "Downloads / executed"),
    Rate("suggested_rate", "Suggested questions", "suggested", "questions",
         "Suggested-question use: questions started from a suggested question (suggested_question_clicked ÷ "
         "question_asked)", (Actions.SUGGESTED_QUESTION_CLICKED, Actions.QUESTION_ASKED), "Suggested / questions"),
    Rate("chart_rate", "Chart rate", "charts", "questions",
         "Charts per question (chart_generated ÷ question_asked)", (Actions.CHART_GENERATED, Actions.QUESTION_ASKED),
         "Charts / questions"),
    Rate("summary_rate", "Summary rate", "summaries", "questions",
         "Summaries per question (summary_generated ÷ question_asked)",
         (Actions.SUMMARY_GENERATED, Actions.QUESTION_ASKED), "Summaries / questions"),
)
COUNTS = ("questions", "suggested", "generated", "executed", "edited", "downloaded", "charts", "summaries",
          "sql_errors")
WHY_EMPTY = ("No assistant actions in this period. These numbers exist for apps that track "
             f"`{Actions.QUESTION_ASKED}` or `{Actions.SQL_GENERATED}` (telemetry.tracker.Actions); each rate "
             "also needs its own two actions (see the definitions below).")
BLANK_NOTE = "A blank rate: the app tracked none of the rate's denominator action in the period."
WEEKS_NOTE = "Weeks start on Monday (UTC); the first and last week of the period may be partial."


def _rate(num: pd.Series | float, den: pd.Series | float):
    if isinstance(den, pd.Series):
        return num / den.where(den > 0)
    return float(num) / float(den) if den else None


def definitions() -> dict[str, str]:
    """{label: definition} for the captions under the numbers."""
    return {r.label: r.definition for r in RATES}


def overall(frame: pd.DataFrame) -> list[Kpi]:
    """The five rates over every app in scope (tracker/assistant_by_app summed), as tiles."""
    sums = frame[list(COUNTS)].sum() if not frame.empty else pd.Series(0, index=list(COUNTS))
    tiles = []
    for r in RATES:
        value = _rate(sums[r.numerator], sums[r.denominator])
        missing = f" — needs apps to track `{r.actions[1]}`" if value is None else ""
        tiles.append(Kpi(r.label, value, fmt="pct", help=r.definition + missing,
                         display=None if value is None else f"{value:.1%}"))
    return tiles


def per_app(frame: pd.DataFrame) -> pd.DataFrame:
    """tracker/assistant_by_app with each rate as a percentage (0–100; blank when undefined)."""
    if frame.empty:
        return frame
    rates = {r.key: 100.0 * _rate(frame[r.numerator], frame[r.denominator]) for r in RATES}
    return frame.assign(**rates)


def weekly(frame: pd.DataFrame) -> pd.DataFrame:
    """tracker/assistant_weekly as long rows (week, rate label, value 0–1) for the lines; undefined
    weeks of a rate are left out rather than drawn as 0."""
    if frame.empty:
        return pd.DataFrame(columns=["week", "rate", "value", "numerator", "denominator"])
    parts = [pd.DataFrame({"week": pd.to_datetime(frame["week"]), "rate": r.label,
                           "value": _rate(frame[r.numerator], frame[r.denominator]),
                           "numerator": frame[r.numerator], "denominator": frame[r.denominator]})
             for r in RATES]
    return pd.concat(parts, ignore_index=True).dropna(subset=["value"])
