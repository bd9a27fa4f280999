"""A tracker table for the User journeys page whose answers are known by construction, relative to
today (the page's default period is the last 30 days; the churn rule is evaluated as of today).
Each analysis has its own app, so a test filters on it and the others cannot disturb its numbers.

shop (funnel question_asked → sql_generated → sql_executed → results_downloaded, window 1 day), all
events on day D = 10 days ago from 10:00 (T):
  u1  q T, gen +10 s, exec +40 s, download +100 s          → step 4 (10 s, 30 s, 60 s)
  u2  q T, gen +20 s, exec +80 s                           → step 3 (20 s, 60 s)
  u3  q T, gen +30 s                                       → step 2 (30 s)
  u4  q T                                                  → step 1
  u5  gen T − 60 s, q T (the SQL came before the question)  → step 1
  u6  q T, gen 2 days later                                → step 1 (step 2 with a 7-day window)
  u7  q T, gen +5 s (no run within a day); q T + 26 h, gen +5 s, exec +5 s → step 3 (5 s, 5 s): the
      attempt that got furthest counts, not the first
  → users 7 / 4 / 3 / 1; median time from previous 15 s / 30 s / 60 s; conversion from previous
    57% / 75% / 33%; from first 100 / 57 / 43 / 14%.
  (7-day window: u6 reaches step 2 after 172,800 s, and u7's first attempt runs its SQL 26 h later:
   7 / 5 / 3 / 1, medians 20 s / 60 s / 60 s.)

paths (around sql_generated, gap 30 min), each line one session on day D − 1:
  p1  q → gen → exec → chart_generated
  p2  q → gen → exec → results_downloaded
  p3  q → gen → error:sql_error
  p4  suggested_question_clicked → q → gen
  p5  q → gen, then exec 40 min later (a new session with a 30-minute gap; the same one with 60)
  → after gen: sql_executed 2, (session end) 2, error:sql_error 1 (5 times); then sql_executed →
    chart_generated 1 and → results_downloaded 1; error:sql_error → (session end) 1.
    Before gen: question_asked 5. With a 60-minute gap: sql_executed 3, (session end) 1.

notes (sessions, gap 30 min), user s1 on day D − 2 from 09:00: events at 0, 10, 20 min; 51 and 56 min
  (31 minutes after the last: a new session); user s2 one event at 12:00.
  → 3 sessions (lengths 20, 5, 0 min; 3, 2, 1 actions), 2 users. With a 45-minute gap: 2 sessions.

crm (churn as of today; recent = the last 7 days, baseline = the 4 weeks before), action page_view:
  c_quiet   baseline 4 days × 2 events (2/week), recent 0              → at risk (−100%)
  c_drop    baseline 4 days × 10 (10/week), recent 2                    → at risk (−80%)
  c_edge    baseline 4 days × 10 (10/week), recent 3 (30% ≥ 25%)        → not at risk (at risk below 35%)
  c_even    baseline 4 days × 4 (4/week), recent 1 (exactly 25%)         → not at risk (at risk below 35%)
  c_few     baseline 2 days × 10 (only 2 active days < 3), recent 0     → not judged
  c_steady  baseline 4 days × 3 (3/week), recent 3                      → not at risk
  → 5 users with a baseline, 2 at risk, 1 gone quiet.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror.schema import create_table_sql

TODAY = datetime.now(UTC).date()
SHOP, PATHS, NOTES, CRM = "shop", "paths", "notes", "crm"
Q, GEN, EXEC, DL = "question_asked", "sql_generated", "sql_executed", "results_downloaded"


def at(day: date, hour: int = 10, seconds: float = 0) -> datetime:
    return datetime.combine(day, time(hour)) + timedelta(seconds=seconds)


def email(name: str) -> str:
    return f"{name}@corp.com"


def _funnel() -> list[tuple]:
    t = at(TODAY - timedelta(days=10))
    s = timedelta(seconds=1)
    journeys = {
        "u1": [(0, Q), (10, GEN), (40, EXEC), (100, DL)], "u2": [(0, Q), (20, GEN), (80, EXEC)],
        "u3": [(0, Q), (30, GEN)], "u4": [(0, Q)], "u5": [(-60, GEN), (0, Q)],
        "u6": [(0, Q), (2 * 86400, GEN)], "u7": [(0, Q), (5, GEN), (93600, Q), (93605, GEN), (93610, EXEC)],
    }
    return [(t + offset * s, SHOP, email(u), action) for u, steps in journeys.items() for offset, action in steps]


def _paths() -> list[tuple]:
    day = TODAY - timedelta(days=11)
    sessions = {"p1": [Q, GEN, EXEC, "chart_generated"], "p2": [Q, GEN, EXEC, DL], "p3": [Q, GEN, "error:sql_error"],
                "p4": ["suggested_question_clicked", Q, GEN], "p5": [Q, GEN]}
    out = [(at(day, seconds=10 * i), PATHS, email(u), a) for u, acts in sessions.items() for i, a in enumerate(acts)]
    return out + [(at(day, seconds=10 + 40 * 60), PATHS, email("p5"), EXEC)]


def _sessions() -> list[tuple]:
    day = TODAY - timedelta(days=12)
    out = [(at(day, 9, 60 * m), NOTES, email("s1"), "page_view") for m in (0, 10, 20, 51, 56)]
    return out + [(at(day, 12), NOTES, email("s2"), "page_view")]


CHURN_USERS = {  # name: (baseline active days, events per baseline day, recent events)
    "c_quiet": (4, 2, 0), "c_drop": (4, 10, 2), "c_edge": (4, 10, 3), "c_even": (4, 4, 1), "c_few": (2, 10, 0),
    "c_steady": (4, 3, 3),
}


def _churn() -> list[tuple]:
    out = []
    for name, (days, per_day, recent) in CHURN_USERS.items():
        for d in range(days):  # baseline days: 8, 12, 16, 20 days before the recent week's start
            day = TODAY - timedelta(days=14 + 4 * d)
            out += [(at(day, seconds=60 * i), CRM, email(name), "page_view") for i in range(per_day)]
        out += [(at(TODAY - timedelta(days=2), seconds=60 * i), CRM, email(name), "page_view") for i in range(recent)]
    return out


def rows() -> list[tuple[datetime, str, str, str]]:
    return _funnel() + _paths() + _sessions() + _churn()


def build(path: Path) -> None:
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
    table = mirror_table_name(settings.table("tracker"))
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.rsplit('.', 1)[0]}")
        con.execute(create_table_sql("tracker", settings.table("tracker")))
        con.executemany(f'INSERT INTO {table} ("timestamp", app_name, "user", action) VALUES (?, ?, ?, ?)', rows())
