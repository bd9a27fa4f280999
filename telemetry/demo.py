"""The embedded demo database: the mirror's synthetic tables plus the rollups the console keeps.

The mirror (telemetry.mirror) fills the source tables as Databricks has them; this adds what our own
jobs would have written by now (the app sign-ins rollup), so the demo behaves like a deployed console.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from telemetry.apps import rollups
from telemetry.config import Settings
from telemetry.engine.embedded import EmbeddedEngine

Progress = Callable[[str, float], None]


def build(path: Path, settings: Settings, *, scale: float = 1.0, days: int = 90, seed: int = 7,
          now: datetime | None = None, progress: Progress | None = None):
    """Build the demo file at `path` (atomically: readers keep the old file until it is complete)."""
    from telemetry.mirror import build_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.staging-{os.getpid()}")
    report = build_demo(staging, settings, scale=scale, days=days, seed=seed, now=now, progress=progress)
    if progress:
        progress("rollups: app sign-ins per hour", 0.99)
    engine = EmbeddedEngine(staging, read_only=False, timeout_s=600)
    try:
        end = report.window_end.date() if hasattr(report.window_end, "date") else report.window_end
        rollup = rollups.refresh(engine, settings, days=days + 2, end_date=end)
    finally:
        engine.close()
    os.replace(staging, path)
    report.rows[rollups.ROLLUP_KEY] = rollup.rows
    report.path = path
    if progress:
        progress("done", 1.0)
    return report
