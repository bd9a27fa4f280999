"""Command line: `python -m telemetry {serve,demo,sql,query,doctor,jobs,rollup,bench,traces,users}`."""

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

    query = sub.add_parser("query", help="list the named queries, print one's full SQL (--show), or run it")
    query.add_argument("name", nargs="?", help="e.g. app_usage/kpis (omit to list every named query)")
    query.add_argument("--show", action="store_true",
                       help="print the SQL with fragments expanded and configured table names, ready to paste "
                            "into the Databricks SQL editor")
    query.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                       help="bind :NAME to VALUE (repeatable)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

    sub.add_parser("doctor", help="check configuration, connectivity and every source table")

    jobs = sub.add_parser("jobs", help="list the ingestion jobs, or run one on the configured engine")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True)
    jobs_sub.add_parser("list", help="every job: what it does, reads and writes, and its parameters")
    run = jobs_sub.add_parser("run", help="run one job and print a one-line summary (exit 1 if it fails)")
    run.add_argument("name", help="the job's name, e.g. apps-inventory (see `jobs list`)")
    run.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                     help="a declared parameter of the job (repeatable)")
    run.add_argument("--warehouse-id", help="run on this SQL warehouse (sets DATABRICKS_WAREHOUSE_ID)")
    run.add_argument("--schema", help="catalog.schema of the console's own tables (sets TELEMETRY_SCHEMA)")

    rollup = sub.add_parser("rollup", help="refresh the app sign-ins rollup (= jobs run app-logins-rollup)")
    rollup.add_argument("--days", type=int, default=3, help="days to recompute, ending today (default 3)")
    rollup.add_argument("--warehouse-id", help="run on this SQL warehouse (sets DATABRICKS_WAREHOUSE_ID)")
    rollup.add_argument("--schema", help="catalog.schema of the console's own tables (sets TELEMETRY_SCHEMA)")

    bench = sub.add_parser("bench", help="measure named queries and page renders; prints numbers")
    bench.add_argument("--scales", default="1,10", help="comma-separated demo scales (default 1,10)")
    bench.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    bench.add_argument("--skip-pages", action="store_true", help="only time the queries")
    bench.add_argument("--latency", type=float, metavar="SECONDS",
                       help="warehouse-latency mode: every page on the real warehouse engine over a simulated "
                            "warehouse costing SECONDS per round trip (e.g. 0.5)")
    bench.add_argument("--connect", type=float, metavar="SECONDS",
                       help="with --latency: cost of opening a warehouse session (default: one round trip)")
    bench.add_argument("--concurrency", type=int, metavar="N",
                       help="with --latency: queries at a time (default TELEMETRY_MAX_CONCURRENT_QUERIES, 8)")
    bench.add_argument("--genie-fetch", action="store_true",
                       help="instead: genie-messages throughput (messages/s) against the test suite's fake workspace "
                            "at 50 ms per call with some 429s (run from the repository root)")
    bench.add_argument("--traces-ingest", action="store_true",
                       help="instead: OTLP decoders, `traces load` and `traces receive` throughput in spans/s")
    bench.add_argument("--traces", action="store_true",
                       help="instead: trace search (with and without an attribute filter) per scale, the waterfall "
                            "of the biggest trace, and OTLP loader and receiver throughput (spans/s)")
    bench.add_argument("--tracker", action="store_true",
                       help="instead: the tracker library: track() overhead (p50/p99 µs), sustained events/s into "
                            "DuckDB, events lost and peak memory with the sink down 30 s under load (about 1.5 min)")
    bench.add_argument("--no-before", action="store_true",
                       help="with --latency: skip the one-query-at-a-time comparison")
    from telemetry.traces.cli import add_parser as add_traces_parser

    add_traces_parser(sub)  # `traces load FILE...` and `traces receive [--host] [--port]`
    cli.add_users_parser(sub)  # `users add EMAIL`: a self-hosted login
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    handler = getattr(cli, f"cmd_{args.command}")
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
