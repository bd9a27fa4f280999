"""Command line: `python -m telemetry {serve,demo,sql,doctor,bench}`."""

from __future__ import annotations

import argparse
import os
import sys

from telemetry import cli


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m telemetry", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the console (builds the demo database on first run)")
    serve.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="passed to `streamlit run`")

    demo = sub.add_parser("demo", help="build the embedded demo database")
    demo.add_argument("--scale", type=float, default=1.0, help="organisation size multiplier (default 1)")
    demo.add_argument("--days", type=int, default=90, help="days of history (default 90)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    demo.add_argument("--path", help="database file (default: TELEMETRY_EMBEDDED_PATH or data/demo.duckdb)")
    demo.add_argument("--if-missing", action="store_true", help="only build when absent or outdated")

    sql = sub.add_parser("sql", help="run Databricks SQL on the configured engine and print the result")
    sql.add_argument("text", help="Databricks SQL; use - to read it from standard input")
    sql.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                     help="bind :NAME to VALUE (repeatable)")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("--max-rows", type=int, default=None, help="row cap (default TELEMETRY_ROW_CAP)")

    sub.add_parser("doctor", help="check configuration, connectivity and every source table")

    rollup = sub.add_parser("rollup", help="refresh the app sign-ins rollup (what the scheduled job runs)")
    rollup.add_argument("--days", type=int, default=3, help="days to recompute, ending today (default 3)")
    rollup.add_argument("--warehouse-id", help="run on this SQL warehouse (sets DATABRICKS_WAREHOUSE_ID)")

    bench = sub.add_parser("bench", help="measure named queries and page renders; prints numbers")
    bench.add_argument("--scales", default="1,10", help="comma-separated demo scales (default 1,10)")
    bench.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    bench.add_argument("--skip-pages", action="store_true", help="only time the queries")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    handler = getattr(cli, f"cmd_{args.command}")
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
