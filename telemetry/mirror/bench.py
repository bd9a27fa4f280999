"""Measure a demo build: `python -m telemetry.mirror.bench --scale S [--days D] [--seed N] [--keep PATH]`.

Prints build time, peak resident memory (this process, DuckDB included), file size and rows per
table, so the numbers in the issue can be re-measured on any machine.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

from telemetry.config import load_settings
from telemetry.mirror import build_demo


def main(argv: list[str] | None = None) -> int:
    """Build once and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build here and keep the file (default: a temporary file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.duckdb"
        report = build_demo(path, load_settings({}), scale=args.scale, days=args.days, seed=args.seed)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        print(f"scale {args.scale}, {args.days} days, seed {args.seed}")
        print(f"build time   {report.seconds:8.1f} s  (CPU {cpu.ru_utime + cpu.ru_stime:.1f} s)")
        print(f"peak RSS     {peak_mb:8.0f} MB")
        print(f"database     {report.bytes / 1e6:8.1f} MB")
        print("stages       " + ", ".join(f"{k} {v:.1f}s" for k, v in report.stages.items()))
        print("rows per table:")
        for key, rows in report.rows.items():
            print(f"  {key:26s}{rows:>13,}")
        print(f"  {'total':26s}{sum(report.rows.values()):>13,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
