"""`bench --tracker`: what tracking costs the host app and what the embedded sink sustains.

Four numbers, each against the issue's target:
- caller overhead per `track` call (p50 / p99, target p99 ≤ 20 µs), timed one call at a time;
- sustained events per second into a DuckDB tracker table (target ≥ 50,000/s on 2 cores): the
  Tracker's own thread hands batches to the embedded sink, which applies them to the file;
- events lost with the sink down for 30 s under load (must be 0), and duplicates after the replay;
- peak memory (resident set growth) while the sink is down.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from telemetry.engine import inbox
from telemetry.tracker.client import Tracker
from telemetry.tracker.events import Event
from telemetry.tracker.sinks import EmbeddedSink

TABLE = "main.ops_console.app_events"
CALLER_TARGET_P99_US, SUSTAINED_TARGET, LOST_TARGET = 20.0, 50_000, 0
_EXTENDED_DDL = ("CREATE TABLE main__ops_console.app_events (\"timestamp\" TIMESTAMP, app_name VARCHAR, "
                 "\"user\" VARCHAR, action VARCHAR, event_id VARCHAR, session_id VARCHAR, properties VARCHAR, "
                 "duration_ms DOUBLE)")
_CLASSIC_DDL = ("CREATE TABLE main__ops_console.app_events (\"timestamp\" TIMESTAMP, app_name VARCHAR, "
                "\"user\" VARCHAR, action VARCHAR)")


class _NullSink:
    def write(self, events: list[Event]) -> None:
        pass


class _OutageSink:
    """The real embedded sink, refusing every write until `down_until` (a warehouse outage)."""

    def __init__(self, inner: EmbeddedSink, down_until: float):
        self.inner, self.down_until = inner, down_until

    def write(self, events: list[Event]) -> None:
        if time.monotonic() < self.down_until:
            raise ConnectionError("sink down (benchmark outage)")
        self.inner.write(events)

    def tick(self) -> None:  # the sink's optional hooks: apply the inbox when idle, and on exit
        self.inner.tick()

    def close(self) -> None:
        self.inner.close()


def _database(folder: Path, extended: bool) -> Path:
    path = folder / "tracker.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA main__ops_console")
    con.execute(_EXTENDED_DDL if extended else _CLASSIC_DDL)
    con.close()
    return path


def _rows(path: Path, distinct: bool = False) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        what = "count(DISTINCT event_id)" if distinct else "count(*)"
        return con.execute(f"SELECT {what} FROM main__ops_console.app_events").fetchone()[0]
    finally:
        con.close()


def caller_overhead(calls: int = 200_000) -> tuple[float, float]:
    """(p50, p99) µs of one `track` call with properties, the sink a no-op."""
    with tempfile.TemporaryDirectory() as tmp:
        t = Tracker(_NullSink(), "bench", spool_dir=tmp, max_buffer=calls + 1, batch_size=5000)
        timings = []
        clock = time.perf_counter_ns
        for i in range(calls):
            started = clock()
            t.track("question_asked", "a@corp.com", properties='{"n":1}')
            timings.append(clock() - started)
            if i % 20_000 == 0:
                time.sleep(0.001)  # let the flush thread drain, as a real app's pauses would
        t.close()
    timings.sort()
    return timings[len(timings) // 2] / 1000, timings[int(len(timings) * 0.99)] / 1000


def sustained(events: int = 500_000, extended: bool = True) -> float:
    """Events per second from the first `track` until every event is in the DuckDB table."""
    with tempfile.TemporaryDirectory() as tmp:
        path = _database(Path(tmp), extended)
        t = Tracker(EmbeddedSink(path, TABLE), "bench", spool_dir=Path(tmp) / "spool", batch_size=25_000,
                    interval_s=0.2, max_buffer=events + 1)
        started = time.perf_counter()
        for i in range(events):
            t.track("sql_executed", f"user{i % 500}@corp.com", properties=None)
        t.close()  # flushes what is left
        elapsed = time.perf_counter() - started
        assert _rows(path) == events, "events missing from the table"
    return events / elapsed


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def outage(down_s: float = 30.0, rate: int = 5_000, total_s: float = 40.0) -> tuple[int, int, int, float]:
    """(tracked, lost, duplicated, peak RSS growth MB) with the sink down for `down_s` under `rate`/s."""
    with tempfile.TemporaryDirectory() as tmp:
        path = _database(Path(tmp), extended=True)
        sink = _OutageSink(EmbeddedSink(path, TABLE), time.monotonic() + down_s)
        t = Tracker(sink, "bench", spool_dir=Path(tmp) / "spool", batch_size=2_000, interval_s=0.5,
                    retry_after_s=1.0)
        base, peak = _rss_mb(), [0.0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.2):
                peak[0] = max(peak[0], _rss_mb() - base)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started, sent = time.monotonic(), 0
        while (now := time.monotonic() - started) < total_s:
            due = int(now * rate)
            for _ in range(due - sent):
                t.track("question_asked", "a@corp.com", properties='{"source":"bench"}')
            sent = max(sent, due)
            time.sleep(0.005)
        deadline = time.monotonic() + 30
        while t.stats().spool_waiting and time.monotonic() < deadline:
            time.sleep(0.2)
        t.close()
        stop.set()
        tracked = t.stats().tracked
        rows, distinct = _rows(path), _rows(path, distinct=True)
        waiting = sum(pq.read_metadata(p).num_rows for p in inbox.pending(path))  # handed over, not applied
    return tracked, tracked - distinct - waiting, rows - distinct, peak[0]


def run(quick: bool = False) -> list[str]:
    """The benchmark's lines (each with its target and whether it is met)."""
    p50, p99 = caller_overhead(50_000 if quick else 200_000)
    lines = [f"track() caller overhead: p50 {p50:.1f} µs, p99 {p99:.1f} µs "
             f"(target p99 ≤ {CALLER_TARGET_P99_US:g} µs: {'met' if p99 <= CALLER_TARGET_P99_US else 'MISSED'})"]
    for extended in (True, False):
        rate = sustained(100_000 if quick else 500_000, extended=extended)
        layout = "extended layout, deduplicated by event_id" if extended else "classic 4-column layout"
        lines.append(f"sustained into DuckDB ({layout}): {rate:,.0f} events/s "
                     f"(target ≥ {SUSTAINED_TARGET:,}: {'met' if rate >= SUSTAINED_TARGET else 'MISSED'})")
    down = 5.0 if quick else 30.0
    tracked, lost, doubled, peak = outage(down_s=down, total_s=down + 10)
    lines.append(f"sink down {down:g} s at 5,000 events/s: {tracked:,} tracked, {lost} lost, {doubled} duplicated, "
                 f"peak memory +{peak:.0f} MB (target 0 lost: {'met' if lost == LOST_TARGET else 'MISSED'})")
    return lines
