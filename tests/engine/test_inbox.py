"""The embedded database's one-writer rule: rows handed over through the inbox are applied at once when
nobody holds the file, and by the owning console process (a real second process) when one does;
nothing is lost or doubled either way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from telemetry.engine import inbox
from telemetry.engine.base import QueryError
from telemetry.engine.embedded import EmbeddedEngine

TABLE = "main.ops_console.apps_otel_spans"
KEYS = ("trace_id", "span_id")
ROOT = Path(__file__).resolve().parents[2]


def _spans(first: int, count: int, trace: str = "t1") -> pa.Table:
    return pa.table({"trace_id": [trace] * count, "span_id": [f"{i:016x}" for i in range(first, first + count)],
                     "start_time_unix_nano": pa.array(range(first, first + count), pa.int64()),
                     "name": [f"span {i}" for i in range(first, first + count)]})


def _count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM main__ops_console.apps_otel_spans").fetchone()[0]


def _hand(db: Path, rows: pa.Table) -> inbox.HandOver:
    return inbox.hand_over(db, TABLE, rows, keys=KEYS, prune_column="start_time_unix_nano")


def test_without_a_holder_rows_apply_at_once_and_a_replay_adds_nothing(tmp_path):
    db = tmp_path / "t.duckdb"
    first = _hand(db, _spans(0, 100))
    assert (first.queued, first.added) == (False, 100)
    again = _hand(db, _spans(50, 100))  # half of these are already there
    assert again.added == 50 and "50 already there" in again.line()
    assert _count(db) == 150 and inbox.pending(db) == []


def test_duplicates_inside_one_batch_are_kept_once(tmp_path):
    db = tmp_path / "t.duckdb"
    rows = pa.concat_tables([_spans(0, 10), _spans(0, 10)])
    assert _hand(db, rows).added == 10


def test_a_bad_batch_is_set_aside_and_the_next_one_still_applies(tmp_path):
    db = tmp_path / "t.duckdb"
    _hand(db, _spans(0, 5))
    bad = inbox.inbox_dir(db) / "00000000000000000001-1-bad.parquet"
    bad.write_bytes(b"not parquet")
    report = _hand(db, _spans(5, 5))
    assert report.added == 5
    failed = inbox.inbox_dir(db) / "failed"
    assert (failed / bad.name).exists() and (failed / f"{bad.name}.error.txt").read_text()


@pytest.fixture
def console(tmp_path):
    """A second process that owns the database, as the served console does, until stdin closes."""
    db = tmp_path / "t.duckdb"
    _hand(db, _spans(0, 1))  # the table exists before the console opens the file
    code = ("import sys; from telemetry.engine.embedded import EmbeddedEngine; "
            f"e = EmbeddedEngine({str(db)!r}, owner=True); e.run('SELECT 1'); print('ready', flush=True); "
            "sys.stdin.read(); e.close()")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "ready"
    yield db, proc
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_a_running_console_takes_the_rows_it_is_handed(console):
    db, proc = console
    report = _hand(db, _spans(1, 500))
    assert report.queued and report.holder == f"PID {proc.pid}", report
    assert "handed to the process that holds the database" in report.line()
    assert inbox.wait_drained(report, timeout_s=15), "the console did not drain its inbox"
    proc.stdin.close()
    proc.wait(timeout=30)
    assert _count(db) == 501


def test_a_reader_gets_a_clear_message_while_the_console_holds_the_file(console):
    db, proc = console
    reader = EmbeddedEngine(db)
    with pytest.raises(QueryError) as err:
        reader.run("SELECT 1")
    assert err.value.kind == "connection"
    assert f"PID {proc.pid}" in str(err.value) and "hand them to the running console" in str(err.value)


def test_waiting_batches_of_one_table_go_in_together_with_counts_per_batch(tmp_path):
    db = tmp_path / "t.duckdb"
    _hand(db, _spans(0, 10))
    files = [inbox.put(db, TABLE, rows, keys=KEYS, prune_column="start_time_unix_nano")
             for rows in (_spans(5, 10), _spans(100, 3), _spans(200, 4))]  # the first overlaps 5 existing rows
    report, holder = inbox.drain_file(db)
    assert holder == "" and report.files == 3 and report.added == 5 + 3 + 4
    assert [report.added_by_file[f.name] for f in files] == [5, 3, 4]
    assert _count(db) == 22 and inbox.pending(db) == []


def test_a_console_that_finds_the_file_being_read_elsewhere_reads_it_too(tmp_path):
    """Another process reading (a test, doctor) is no reason for the console to show nothing."""
    db = tmp_path / "t.duckdb"
    _hand(db, _spans(0, 3))
    code = (f"import duckdb, sys; c = duckdb.connect({str(db)!r}, read_only=True); print('ready', flush=True); "
            "sys.stdin.read()")
    reader = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        console = EmbeddedEngine(db, owner=True)
        assert console.run("SELECT count(*) AS n FROM main__ops_console.apps_otel_spans").frame["n"].iloc[0] == 3
        assert not console.owns_file and console.drain_inbox().files == 0
        console.close()
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
