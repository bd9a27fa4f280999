"""`serve` never rebuilds a demo file that another process is writing to (a tracker or a trace loader
applying its inbox holds it read-write for a moment): the version check waits for the lock, and a file
still held is in use, not outdated."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb

from telemetry.mirror.build import demo_is_current


def _hold(path, seconds: float) -> subprocess.Popen:
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            f"time.sleep({seconds})")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_file_held_by_a_writer_is_in_use_not_outdated(demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    assert demo_is_current(copy)
    holder = _hold(copy, 30)
    try:
        started = time.monotonic()
        assert demo_is_current(copy, wait_s=0.5)  # still held: never rebuilt under its writer
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    holder = _hold(other, 30)
    try:
        assert demo_is_current(other, wait_s=0.3)  # in use: left alone, whatever it holds
    finally:
        holder.kill()
        holder.wait()
    brief = _hold(other, 0.8)
    assert not demo_is_current(other, wait_s=10)  # it waited out the brief lock and read: not a demo
    brief.wait()
