"""The tracker library under a failing, hanging and absent sink: nothing raises, nothing is lost or
doubled, memory stays bounded, exits (normal and SIGTERM) leave the rest in the spool, and an app
tracking into the embedded database while a console owns it loses nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from telemetry import tracker
from telemetry.tracker.client import Tracker
from telemetry.tracker.sinks import EmbeddedSink
from telemetry.tracker.spool import Spool

ROOT = Path(__file__).resolve().parents[2]


class FlakySink:
    """A sink that stores by event id (as a table with event_id dedups), and can fail or hang."""

    def __init__(self):
        self.rows: dict[str, tracker.Event] = {}
        self.mode = "ok"
        self.release = threading.Event()

    def write(self, events):
        if self.mode == "raise":
            raise ConnectionError("warehouse unreachable")
        if self.mode == "hang":
            self.release.wait(30)
        self.rows.update({e.event_id: e for e in events})


def _tracker(sink, tmp_path, **options) -> Tracker:
    defaults = {"interval_s": 3600, "retry_after_s": 0.05, "write_timeout_s": 0.3, "exit_timeout_s": 0.5}
    return Tracker(sink, "app", spool_dir=tmp_path / "spool", **{**defaults, **options})


def test_a_failing_sink_spools_and_the_spool_is_replayed_once_it_recovers(tmp_path):
    sink = FlakySink()
    t = _tracker(sink, tmp_path, batch_size=100)
    sink.mode = "raise"
    for i in range(1000):
        t.track("question_asked", f"u{i % 7}@corp.com")
    t.flush()
    s = t.stats()
    assert (s.written, s.spooled, s.spool_waiting) == (0, 1000, 1000) and s.failures >= 1 and not sink.rows
    sink.mode = "ok"
    time.sleep(0.1)
    t.flush()
    s = t.stats()
    assert (s.replayed, s.spool_waiting, len(sink.rows)) == (1000, 0, 1000)
    t.close()


def test_a_hanging_sink_is_given_up_on_in_time_and_nothing_doubles(tmp_path):
    sink = FlakySink()
    sink.mode = "hang"
    t = _tracker(sink, tmp_path, batch_size=50)
    for _ in range(50):
        t.track("sql_executed")
    started = time.monotonic()
    t.flush()
    assert time.monotonic() - started < 2 and t.stats().spooled == 50
    sink.mode = "ok"
    sink.release.set()  # the hung write completes late: its rows and the replay's are the same ids
    time.sleep(0.1)
    t.flush()
    assert len(sink.rows) == 50 and t.stats().spool_waiting == 0
    t.close()


class PickySink(FlakySink):
    """Refuses any batch holding a `poison` action (bad data, not an outage); takes the others."""

    def write(self, events):
        if any(e.action == "poison" for e in events):
            raise ValueError("column type mismatch")
        super().write(events)


def test_a_batch_the_sink_always_refuses_is_set_aside_and_the_rest_still_replays(tmp_path):
    sink = PickySink()
    t = _tracker(sink, tmp_path, batch_size=10)
    sink.mode = "raise"  # an outage first: two batches spooled, the first holding the bad event
    for i in range(20):
        t.track("poison" if i == 3 else "question_asked")
    t.flush()
    assert t.stats().spooled == 20
    sink.mode = "ok"
    for _ in range(6):  # fresh events keep arriving and going in while the bad batch is refused
        time.sleep(0.06)
        t.track("sql_executed")
        t.flush()
    s = t.stats()
    assert s.quarantined == 10 and s.spool_waiting == 0, s
    assert len(sink.rows) == 10 + 6 and "poison" not in {e.action for e in sink.rows.values()}
    failed = list((tmp_path / "spool" / "failed").glob("*.jsonl"))
    assert len(failed) == 1 and "poison" in failed[0].read_text()  # kept for a person, not lost
    t.close()


def test_track_never_raises_and_memory_stays_bounded_when_even_the_disk_cannot_keep_up(tmp_path):
    sink = FlakySink()
    sink.mode = "raise"
    t = _tracker(sink, tmp_path, max_buffer=100)  # the flush thread sleeps an hour: nothing drains
    for _ in range(1000):
        t.track("chart_generated", user=object())  # even a nonsense user does not raise
    s = t.stats()
    assert s.buffered == 100 and s.dropped == 900 and s.tracked == 1000
    t.close()
    assert Spool(tmp_path / "spool").events_waiting() == 100


def test_the_background_thread_keeps_up_with_a_dead_sink_without_dropping(tmp_path):
    sink = FlakySink()
    sink.mode = "raise"
    t = _tracker(sink, tmp_path, interval_s=0.05, batch_size=500, retry_after_s=60)
    for i in range(20_000):
        t.track("page_view", properties=json.dumps({"i": i}))
    t.close()
    s = t.stats()
    assert s.dropped == 0 and s.spooled == 20_000 and s.spool_waiting == 20_000


def test_timed_records_duration_and_failure(tmp_path):
    sink = FlakySink()
    tracker.configure("app", sink, spool_dir=tmp_path / "spool", interval_s=3600)
    with tracker.timed(tracker.Actions.SQL_EXECUTED, user="a@corp.com", rows=3):
        time.sleep(0.02)
    with pytest.raises(ValueError), tracker.timed("chart_generated"):
        raise ValueError("bad spec")
    tracker.track_error(tracker.ErrorKinds.LLM, "429 rate limited", user="a@corp.com")
    tracker._current.flush()
    rows = sorted(sink.rows.values(), key=lambda e: e.timestamp)
    assert [r.action for r in rows] == ["sql_executed", "chart_generated", "error:llm_error"]
    assert rows[0].duration_ms >= 20 and json.loads(rows[0].properties) == {"rows": 3}
    assert json.loads(rows[1].properties) == {"error": "ValueError", "failed": True}
    assert json.loads(rows[2].properties)["message"] == "429 rate limited"
    tracker._current.close()


_CHILD = """
import sys, time
from telemetry.tracker.client import Tracker
class Hang:
    def write(self, events):
        time.sleep(60)
t = Tracker(Hang(), "app", spool_dir=sys.argv[1], interval_s=3600, write_timeout_s=0.2, exit_timeout_s=0.5)
for _ in range(500):
    t.track("question_asked")
print("ready", flush=True)
if sys.argv[2] == "wait":
    time.sleep(60)
"""


@pytest.mark.parametrize("how", ["sigterm", "normal exit"])
def test_an_exit_leaves_what_was_not_written_in_the_spool(tmp_path, how):
    spool = tmp_path / "spool"
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(spool), "wait" if how == "sigterm" else "exit"],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    if how == "sigterm":
        proc.terminate()
    assert proc.wait(timeout=20) in (0, 143)
    assert Spool(spool).events_waiting() == 500


def test_an_app_tracking_into_the_embedded_file_while_the_console_owns_it_loses_nothing(tmp_path):
    db = tmp_path / "t.duckdb"
    with duckdb.connect(str(db)) as con:  # the classic four-column table existing apps have
        con.execute("CREATE SCHEMA main__ops_console")
        con.execute('CREATE TABLE main__ops_console.app_events ("timestamp" TIMESTAMP, app_name VARCHAR, '
                    '"user" VARCHAR, action VARCHAR)')
    code = ("import sys; from telemetry.engine.embedded import EmbeddedEngine; "
            f"e = EmbeddedEngine({str(db)!r}, owner=True); e.run('SELECT 1'); print('ready', flush=True); "
            "sys.stdin.read(); e.close()")
    console = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert console.stdout.readline().strip() == "ready"
        t = _tracker(EmbeddedSink(db), tmp_path, batch_size=100, write_timeout_s=10)
        for i in range(300):
            t.track("question_asked", f"u{i % 5}@corp.com")
        t.close()
        assert t.stats().written == 300 and t.stats().spool_waiting == 0
        deadline = time.monotonic() + 15
        while list((tmp_path / "t.duckdb.inbox").glob("*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        console.stdin.close()
        console.wait(timeout=30)
    with duckdb.connect(str(db), read_only=True) as con:
        counts = con.execute('SELECT count(*), count(DISTINCT "user") FROM main__ops_console.app_events').fetchone()
    assert counts == (300, 5)
