"""`build_demo`: generate every table into a fresh DuckDB file and swap it in atomically.

The file is built next to its destination and renamed over it at the end, so an app that has
the old file open keeps reading it. A small `ops_console_meta.build_info` table records how the
file was made; `demo_is_current` compares its generator version so stale demos get rebuilt.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from telemetry.config import Settings
from telemetry.mirror import (
    admin_audit,
    apps_lifecycle,
    audit_apps,
    audit_noise,
    billing,
    genie_details,
    inventory,
    jobs,
    queries,
    spans,
    tracker,
)
from telemetry.mirror.timeline import Window
from telemetry.mirror.world_apps import World, build_world
from telemetry.mirror.writer import Writer

GENERATOR_VERSION = "mirror-6"
META_TABLE = "ops_console_meta.build_info"


@dataclass
class BuildReport:
    """What a build produced and how long it took."""

    rows: dict[str, int]
    seconds: float
    bytes: int
    path: Path
    scale: float
    days: int
    seed: int
    window_start: datetime
    window_end: datetime
    stages: dict[str, float] = field(default_factory=dict)


def default_now() -> datetime:
    """The current UTC time truncated to the hour, as a naive UTC datetime."""
    return datetime.now(UTC).replace(tzinfo=None, minute=0, second=0, microsecond=0)


def _generate(writer: Writer, world: World, stages: dict[str, float]) -> None:
    """All generators in dependency order; each stage's seconds go into `stages`."""
    clock = time.perf_counter()

    def done(name: str) -> None:
        nonlocal clock
        stages[name] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()

    inventory.write_workspaces(writer, world)
    life = apps_lifecycle.write_lifecycle(writer, world)
    inventory.write_inventory(writer, world, life)
    done("apps")
    logins = audit_apps.write_app_logins(writer, world)
    done("app_logins")
    messages = genie_details.write_genie_messages(writer, world)
    genie_details.write_space_details(writer, world)
    done("genie")
    queries.write_background(writer, world)
    job_dim = jobs.build_jobs(world)
    runs = jobs.build_runs(world, job_dim)
    jobs.write_jobs(writer, world, job_dim)
    jobs.write_run_timeline(writer, world, job_dim, runs)
    billing.write_billing(writer, world, life, messages, job_dim, runs)
    done("queries_jobs_billing")
    tracker.write_tracker(writer, world, logins)
    admin_audit.write_admin_audit(writer, world)
    spans.write_traces(writer, world, logins)
    done("tracker_spans")
    audit_noise.write_noise(writer, world)
    done("audit_noise")


def _write_meta(
    con: duckdb.DuckDBPyConnection, world: World, seed: int, days: int, rows: dict[str, int]
) -> None:
    import json

    con.execute("CREATE SCHEMA IF NOT EXISTS ops_console_meta")
    con.execute(f"""CREATE TABLE {META_TABLE} (scale DOUBLE, days INTEGER, seed BIGINT,
                   window_start TIMESTAMP, window_end TIMESTAMP, built_at TIMESTAMP,
                   generator_version VARCHAR, row_counts VARCHAR)""")
    con.execute(
        f"INSERT INTO {META_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            world.scale,
            days,
            seed,
            world.window.start,
            world.window.end,
            datetime.now(UTC).replace(tzinfo=None),
            GENERATOR_VERSION,
            json.dumps(rows),
        ],
    )


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A build connection: 2 threads and a memory cap, so scale 10 stays well under 8 GB."""
    con = duckdb.connect(str(path))
    con.execute("SET threads = 2")
    con.execute("SET memory_limit = '3GB'")
    con.execute("SET preserve_insertion_order = false")  # row order is not part of the contract
    con.execute("SET enable_progress_bar = false")
    return con


def _build_file(path: Path, settings: Settings, world: World, seed: int, days: int,
                progress: Callable[[str, float], None] | None, stages: dict[str, float]) -> dict[str, int]:
    """Write every table into a new file at `path`; returns rows per table. Removes the file on error."""
    con = _connect(path)
    try:
        writer = Writer(con, settings.tables, _scaled(progress))
        writer.create_all()
        _generate(writer, world, stages)
        _write_meta(con, world, seed, days, writer.rows)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        for leftover in (path, Path(f"{path}.wal")):
            leftover.unlink(missing_ok=True)
        raise
    con.close()
    return dict(writer.rows)


def build_demo(path: Path, settings: Settings, *, scale: float = 1.0, days: int = 90, seed: int = 7,
               now: datetime | None = None,
               progress: Callable[[str, float], None] | None = None) -> BuildReport:
    """Build the demo mirror at `path` (replacing any existing file atomically) and report on it."""
    if scale <= 0 or days < 1:
        raise ValueError("scale must be > 0 and days >= 1")
    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    window = Window.ending(now or default_now(), days)
    stages: dict[str, float] = {}
    rows = _build_file(tmp, settings, build_world(seed, scale, window), seed, days, progress, stages)
    os.replace(tmp, path)
    if progress:
        progress("done", 1.0)
    return BuildReport(rows, round(time.perf_counter() - started, 2), path.stat().st_size, path, scale, days,
                       seed, window.start, window.end, stages)


_STAGE_SHARE = {
    "audit: app lifecycle": 0.02,
    "audit: app logins": 0.08,
    "audit: Genie": 0.12,
    "query history: Genie": 0.15,
    "Genie message details": 0.18,
    "query history: background": 0.24,
    "lakeflow jobs": 0.27,
    "billing": 0.3,
    "tracker events": 0.32,
    "OpenTelemetry spans": 0.4,
}


def _scaled(progress: Callable[[str, float], None] | None) -> Callable[[str, float], None] | None:
    """Map each generator's own 0..1 to the overall build fraction (audit noise is the last 60%)."""
    if progress is None:
        return None

    def report(label: str, fraction: float) -> None:
        if label in _STAGE_SHARE:
            progress(label, _STAGE_SHARE[label])
        else:
            progress(label, 0.4 + 0.58 * fraction)

    return report


def demo_is_current(path: Path, wait_s: float = 5.0) -> bool:
    """True when `path` is a demo file written by this generator version, or one another process is
    writing to (a tracker or loader applying its inbox holds it for a moment): a file in use is never
    rebuilt under its writer. A lock that outlasts `wait_s` counts as in use."""
    path = Path(path)
    if not path.is_file():
        return False
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                row = con.execute(
                    f"SELECT generator_version FROM {META_TABLE} ORDER BY built_at DESC LIMIT 1"
                ).fetchone()
        except duckdb.IOException as err:
            if "lock" not in str(err).lower():
                return False
            if time.monotonic() >= deadline:
                return True
            time.sleep(0.2)
            continue
        except duckdb.Error:
            return False
        return bool(row) and row[0] == GENERATOR_VERSION
