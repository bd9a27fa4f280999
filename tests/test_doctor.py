"""`doctor`'s source-table check on a real DuckDB: one line per source in spec order, column gaps
named, and the thirty lookups (columns + health) started together rather than one after another."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from telemetry import doctor, runtime
from telemetry.config import TABLE_SPECS, Settings, load_settings
from telemetry.engine.base import Result
from telemetry.engine.dialect import mirror_table_name
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.schema import create_table_sql

ROUND_TRIP_S = 0.2


class SlowEngine(EmbeddedEngine):
    """The embedded engine with a warehouse-like round trip before every statement."""

    def run(self, sql: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Result:
        time.sleep(ROUND_TRIP_S)
        return super().run(sql, params, **kwargs)


@pytest.fixture()
def settings(tmp_path: Path) -> Iterator[Settings]:
    """A tiny database: a fresh audit log, and a tracker table lacking three of its four columns."""
    path = tmp_path / "doctor.duckdb"
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
    con = duckdb.connect(str(path))
    audit = mirror_table_name(settings.table("audit"))
    con.execute(f"CREATE SCHEMA {audit.split('.')[0]}")
    con.execute(create_table_sql("audit", settings.table("audit")))
    recent = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    con.execute(f"INSERT INTO {audit} (event_time, event_date) VALUES (?, ?)", [recent, recent.date()])
    tracker = mirror_table_name(settings.table("tracker"))
    con.execute(f"CREATE SCHEMA {tracker.split('.')[0]}")
    con.execute(f'CREATE TABLE {tracker} ("timestamp" TIMESTAMP)')
    con.execute(f"INSERT INTO {tracker} VALUES (?)", [recent])
    con.close()
    yield settings
    runtime.use(None)


def test_one_line_per_source_in_spec_order_with_column_gaps(settings: Settings, capsys):
    runtime.use(settings, EmbeddedEngine(settings.embedded_path))
    problems = doctor.check_tables(settings)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    keys = [re.match(r"\[....\] (\S+)", line).group(1) for line in lines]
    assert keys == [spec.key for spec in TABLE_SPECS]
    line = dict(zip(keys, lines, strict=True))
    assert line["audit"].startswith("[ok  ]")
    assert line["tracker"].startswith("[warn]") and "missing columns: app_name, user, action" in line["tracker"]
    assert line["spans"].startswith("[FAIL]")
    assert problems == len(TABLE_SPECS) - 1


def test_columns_and_health_are_checked_concurrently(settings: Settings, capsys):
    runtime.use(settings, SlowEngine(settings.embedded_path))
    started = time.perf_counter()
    doctor.check_tables(settings)
    elapsed = time.perf_counter() - started
    sequential = 2 * len(TABLE_SPECS) * ROUND_TRIP_S  # 6 s one after another
    assert elapsed < sequential / 2, f"30 lookups took {elapsed:.1f} s: they ran one after another"
    assert "[ok  ] audit" in capsys.readouterr().out


def test_tracker_layout_is_named_with_the_statement_that_extends_it(settings: Settings, capsys):
    runtime.use(settings, EmbeddedEngine(settings.embedded_path))
    assert doctor.check_tracker_layout(settings) == 1  # the fixture's table has only `timestamp`
    assert "[FAIL] tracker layout: not a tracker table" in capsys.readouterr().out
    runtime.use(None)
    con = duckdb.connect(str(settings.embedded_path))
    tracker = mirror_table_name(settings.table("tracker"))
    con.execute(f'ALTER TABLE {tracker} ADD COLUMN app_name VARCHAR')
    con.execute(f'ALTER TABLE {tracker} ADD COLUMN "user" VARCHAR')
    con.execute(f'ALTER TABLE {tracker} ADD COLUMN action VARCHAR')
    con.close()
    runtime.use(settings, EmbeddedEngine(settings.embedded_path))
    assert doctor.check_tracker_layout(settings) == 0
    out = capsys.readouterr().out
    assert "[ok  ] tracker layout: classic layout" in out
    assert "ALTER TABLE main.ops_console.app_events ADD COLUMNS (event_id STRING, session_id STRING" in out
    runtime.use(None)
    con = duckdb.connect(str(settings.embedded_path))
    con.execute(f'ALTER TABLE {tracker} ADD COLUMN event_id VARCHAR')
    con.close()
    runtime.use(settings, EmbeddedEngine(settings.embedded_path))
    doctor.check_tracker_layout(settings)
    assert "extended layout: also fills event_id; replays deduplicated by event_id" in capsys.readouterr().out
