"""A small tracker table whose answers are known by construction, relative to now (the tracker pages'
period ends today and their live panel looks at the last 5 minutes).

In the default 7-day period, with service principals and internal accounts excluded:
  chat-app   alice  2 days ago  question_asked ×4, suggested_question_clicked ×2, sql_generated ×4,
                                sql_executed ×5, sql_edited ×1, results_downloaded ×2, chart_generated ×2,
                                summary_generated ×1, error:llm_error ×1                           (22)
  chat-app   bob    1 day ago   question_asked ×4, suggested_question_clicked ×1, sql_generated ×4,
                                sql_executed ×5, error:sql_error ×1, error ×1                      (16)
  report-app carol  1–3 min ago page_view ×3                                               (live: 3)
  report-app alice  2 min ago   page_view ×1                                               (live: 1)
  report-app bob    8 min ago   page_view ×1                                        (not live: 5 min)
  → 43 events, 3 users, 2 apps, 3 errors (7.0%); live: 4 events, 2 users, 1 app.
  Assistant (chat-app): edits 1/8 = 12.5%, downloads 2/10 = 20.0%, suggested 3/8 = 37.5%,
  charts 2/8 = 25.0%, summaries 1/8 = 12.5%.
Excluded by default: `svc-1234` (a service principal, no '@'; 2 live events) and qa-bot@corp.com (internal).
The previous 7 days: alice question_asked ×1 (10 days ago).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror.schema import create_table_sql

ALICE, BOB, CAROL = "alice@corp.com", "bob@corp.com", "carol@corp.com"
CHAT, REPORT = "chat-app", "report-app"

ALICE_CHAT = {"question_asked": 4, "suggested_question_clicked": 2, "sql_generated": 4, "sql_executed": 5,
              "sql_edited": 1, "results_downloaded": 2, "chart_generated": 2, "summary_generated": 1,
              "error:llm_error": 1}
BOB_CHAT = {"question_asked": 4, "suggested_question_clicked": 1, "sql_generated": 4, "sql_executed": 5,
            "error:sql_error": 1, "error": 1}


def _burst(start: datetime, app: str, user: str, counts: dict[str, int]) -> list[tuple]:
    """One row per action occurrence, a second apart, in the dict's order."""
    names = [a for a, n in counts.items() for _ in range(n)]
    return [(start + timedelta(seconds=i), app, user, a) for i, a in enumerate(names)]


def rows(now: datetime | None = None) -> list[tuple[datetime, str, str, str]]:
    """The events, relative to `now` (the build's moment: the live ones must be minutes old when read)."""
    NOW = now or datetime.now(UTC).replace(tzinfo=None, microsecond=0)  # noqa: N806 - reads as the docstring's now
    out = _burst(NOW - timedelta(days=2), CHAT, ALICE, ALICE_CHAT)
    out += _burst(NOW - timedelta(days=1), CHAT, BOB, BOB_CHAT)
    out += [(NOW - timedelta(minutes=m), REPORT, CAROL, "page_view") for m in (1, 2, 3)]
    out += [(NOW - timedelta(minutes=2, seconds=30), REPORT, ALICE, "page_view"),
            (NOW - timedelta(minutes=8), REPORT, BOB, "page_view")]
    out += [(NOW - timedelta(minutes=m), CHAT, "svc-1234", "question_asked") for m in (1, 2)]
    out += _burst(NOW - timedelta(days=1, hours=2), CHAT, "qa-bot@corp.com", {"question_asked": 3})
    out += [(NOW - timedelta(days=10), CHAT, ALICE, "question_asked")]
    return out


def build(path: Path) -> None:
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
    table = mirror_table_name(settings.table("tracker"))
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.rsplit('.', 1)[0]}")
        con.execute(create_table_sql("tracker", settings.table("tracker")))
        con.executemany(f'INSERT INTO {table} ("timestamp", app_name, "user", action) VALUES (?, ?, ?, ?)', rows())
