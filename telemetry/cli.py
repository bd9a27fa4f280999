"""The CLI's commands. Each returns a process exit code and prints plain text a person can act on."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import date
from pathlib import Path

from telemetry import runtime
from telemetry.config import ConfigError
from telemetry.engine.base import QueryError


def _settings_or_exit():
    try:
        return runtime.settings()
    except ConfigError as err:
        print(f"configuration problem: {err}", file=sys.stderr)
        raise SystemExit(2) from None


class _Progress:
    """A one-line progress bar on stderr: the first thing a newcomer waits for."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last_label = ""

    def __call__(self, label: str, fraction: float) -> None:
        filled = int(30 * max(0.0, min(1.0, fraction)))
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {label} ({self.elapsed():.0f} s)"
        if self.tty:
            print(f"\r{line:<90}", end="", file=sys.stderr, flush=True)
        elif label != self.last_label:
            print(line, file=sys.stderr, flush=True)
        self.last_label = label

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def build_demo_database(path: Path, *, scale: float = 1.0, days: int = 90, seed: int = 7,
                        if_missing: bool = False) -> bool:
    """Build the demo database (returns False when --if-missing found a current one)."""
    from telemetry.demo import build
    from telemetry.mirror import demo_is_current

    if if_missing and demo_is_current(path):
        return False
    print(f"Building the demo database at {path} (scale {scale:g}, {days} days, seed {seed}) …",
          file=sys.stderr)
    progress = _Progress()
    report = build(path, _settings_or_exit(), scale=scale, days=days, seed=seed, progress=progress)
    print(f"\nBuilt in {report.seconds:.1f} s: {sum(report.rows.values()):,} rows in {len(report.rows)} "
          f"tables, {report.bytes / 1e6:.0f} MB.", file=sys.stderr)
    return True


def cmd_demo(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    path = Path(args.path) if args.path else settings.embedded_path
    built = build_demo_database(path, scale=args.scale, days=args.days, seed=args.seed,
                                if_missing=args.if_missing)
    if not built:
        print(f"The demo database at {path} is current; nothing to do.", file=sys.stderr)
    return 0


def _own_database(path: Path) -> bool:
    """True for an embedded file that is not a demo (no build record): the user's own, never rebuilt."""
    import duckdb

    from telemetry.mirror.build import META_TABLE

    if not path.is_file():
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute(f"SELECT 1 FROM {META_TABLE} LIMIT 1")
    except duckdb.CatalogException:
        return True
    except duckdb.Error:
        return False
    return False


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    if settings.engine == "embedded":
        if not _own_database(settings.embedded_path):
            build_demo_database(settings.embedded_path, if_missing=True)
        # The served console owns the file and applies what `traces load`/`receive` hand over.
        os.environ.setdefault("TELEMETRY_EMBEDDED_OWNER", "1")
        runtime.use(None)  # settings are read again, with the owner flag, by the first page
    app = Path(__file__).resolve().parent.parent / "streamlit_app.py"
    extra = [a for a in args.streamlit_args if a != "--"]
    return run_streamlit(app, extra)


def run_streamlit(app: Path, extra: list[str]) -> int:
    """`streamlit run` in this process, with multipage-v1 discovery switched off first.

    Streamlit treats a `pages/` folder beside the entry script as a v1 multipage app until a session
    calls st.navigation; a deep link opened first after a restart would then run the page without
    our frame (no login gate, no menu). Clearing the flag before the server starts prevents that.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(app), *extra]
    return streamlit_cli.main(standalone_mode=False) or 0


def _parse_value(raw: str):
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if re.fullmatch(r"-?\d+\.\d+", raw):
        return float(raw)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return date.fromisoformat(raw)
    return raw


def _params(items: list[str]) -> dict | None:
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            print(f"--param {item!r}: write it as NAME=VALUE", file=sys.stderr)
            return None
        params[name] = _parse_value(value)
    return params


def cmd_query(args: argparse.Namespace) -> int:
    """Named queries: list them, print one as pasteable Databricks SQL, or run it."""
    from telemetry import queries

    settings = _settings_or_exit()
    if not args.name:
        for name in queries.all_names():
            first = queries.sql_text(name).splitlines()[0].removeprefix("-- ")
            print(f"{name:<36} {first}")
        return 0
    try:
        if args.show:
            print(queries.bound_sql(args.name, settings))
            return 0
        params = _params(args.param)
        if params is None:
            return 2
        result = queries.run(args.name, **params)
    except QueryError as err:
        print(f"error: {err.cause}", file=sys.stderr)
        return 1
    _print_frame(result.frame, args.format)
    print(f"{len(result.frame):,} rows in {result.elapsed_ms:.0f} ms", file=sys.stderr)
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    text = sys.stdin.read() if args.text == "-" else args.text
    params = _params(args.param)
    if params is None:
        return 2
    try:
        result = runtime.engine().run(text, params, query="sql", row_cap=args.max_rows or settings.row_cap)
    except QueryError as err:
        print(f"error: {err.cause}", file=sys.stderr)
        return 1
    _print_frame(result.frame, args.format)
    note = f"{len(result.frame):,} rows in {result.elapsed_ms:.0f} ms"
    if result.truncated:
        note += f" (truncated at {len(result.frame):,}; raise --max-rows to see more)"
    print(note, file=sys.stderr)
    return 0


def _print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        print(frame.to_json(orient="records", date_format="iso", default_handler=str))
    else:
        import pandas as pd

        with pd.option_context("display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 60):
            print(frame.to_string(index=False) if not frame.empty else "(no rows)")


def cmd_rollup(args: argparse.Namespace) -> int:
    """The app sign-ins rollup: a thin alias of `jobs run app-logins-rollup --param days=N`."""
    return _run_job("app-logins-rollup", {"days": str(args.days)}, args.warehouse_id, args.schema)


def cmd_jobs(args: argparse.Namespace) -> int:
    """`jobs list`: every registered job; `jobs run NAME`: run one and print its one-line report."""
    if args.jobs_command == "list":
        from telemetry.jobs import catalog

        for job in catalog.JOBS:
            print("\n".join(_describe(job)), end="\n\n")
        return 0
    raw = _raw_params(args.param)
    return 2 if raw is None else _run_job(args.name, raw, args.warehouse_id, args.schema)


def _describe(job) -> list[str]:
    """A job as `jobs list` prints it: name, what it does, what it reads and writes, its parameters."""
    lines = [job.name, f"  {job.description}",
             f"  reads {', '.join(job.reads) or '-'} → writes {', '.join(job.writes) or '-'}"]
    for p in job.params:
        kind = ", ".join(part for part in (p.type.__name__, _bounds(p)) if part)
        lines.append(f"  --param {p.name}={'none' if p.default is None else p.default}  ({kind}) {p.help}")
    return lines


def _bounds(p) -> str:
    """A parameter's allowed values: its range, or its choices."""
    if p.minimum is not None and p.maximum is not None:
        return f"{p.minimum:g}–{p.maximum:g}"
    if p.minimum is not None or p.maximum is not None:
        return f"≥ {p.minimum:g}" if p.minimum is not None else f"≤ {p.maximum:g}"
    return " | ".join(p.choices)


def _raw_params(items: list[str]) -> dict[str, str] | None:
    """`--param NAME=VALUE` items as text (each job's declared Param parses and checks its value)."""
    raw = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            print(f"--param {item!r}: write it as NAME=VALUE", file=sys.stderr)
            return None
        raw[name] = value
    return raw


def _run_job(name: str, raw: dict[str, str], warehouse_id: str | None, schema: str | None = None) -> int:
    """Run a job: 2 for an unknown job or a bad parameter, 1 when it fails, 0 with its report printed."""
    from telemetry.jobs import catalog, error_line, runner
    from telemetry.jobs.registry import JobError

    try:
        catalog.get(name).parse_params(raw)
    except JobError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if warehouse_id:
        os.environ["DATABRICKS_WAREHOUSE_ID"] = warehouse_id
    if schema:  # a serverless task has no environment of its own: the bundle passes ${var.schema}
        os.environ["TELEMETRY_SCHEMA"] = schema
    if warehouse_id or schema:
        runtime.use(None)
    settings = _settings_or_exit()
    try:
        report = runner.run(name, raw, settings=settings, log=lambda line: print(line, file=sys.stderr))
    except (JobError, QueryError, OSError) as err:  # OSError: the SDK's DatabricksError, timeouts, network
        print(f"{name} failed: {error_line(err)}", file=sys.stderr)
        return 1
    print(report.line(name))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from telemetry.doctor import run_doctor

    return run_doctor(_settings_or_exit())


def cmd_bench(args: argparse.Namespace) -> int:
    """Embedded tables per scale, or with --latency the page table on a simulated warehouse."""
    from telemetry.bench import run_bench

    if args.tracker:
        from telemetry.bench import tracker

        lines = tracker.run()
        print("\n".join(lines))
        return 0 if not any("MISSED" in line for line in lines) else 1
    if args.traces_ingest:
        from telemetry.bench.traces_ingest import run

        run()  # prints its lines
        return 0
    if args.traces and args.latency is not None:
        from telemetry.bench import traces

        traces.latency([float(s) for s in args.scales.split(",") if s.strip()], args.latency, max(1, args.runs))
        return 0
    if args.traces:
        from telemetry.bench import traces

        for line in traces.run([float(s) for s in args.scales.split(",") if s.strip()], runs=max(1, args.runs)):
            print(line, flush=True)
        return 0
    if args.genie_fetch:
        from telemetry.bench.genie_fetch import TARGET_PER_S, measure

        result = measure()
        print(result.line())
        return 0 if result.per_second >= TARGET_PER_S else 1
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    if any(seconds is not None and seconds < 0 for seconds in (args.latency, args.connect)):
        print("--latency and --connect are seconds, at least 0", file=sys.stderr)
        return 2
    if args.concurrency is not None and args.concurrency < 1:
        print("--concurrency must be at least 1", file=sys.stderr)
        return 2
    return run_bench(scales, runs=args.runs, pages=not args.skip_pages, latency_s=args.latency,
                     connect_s=args.connect, concurrency_limit=args.concurrency, before=not args.no_before)


def cmd_traces(args: argparse.Namespace) -> int:
    """`traces load FILE...` / `traces receive`: OTLP traces into the embedded span table."""
    from telemetry.traces.cli import run

    return run(args)


# --- users add: the self-hosted login's credentials file --------------------------------------------

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_CHARS = 8


def add_users_parser(sub) -> None:
    """`users add EMAIL [--name] [--file] [--password-stdin]` (registered by telemetry/__main__.py)."""
    users = sub.add_parser("users", help="manage the self-hosted login's users (TELEMETRY_AUTH_FILE)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="add a user, or replace their password (stored bcrypt-hashed)")
    add.add_argument("email", help="the user's e-mail; they sign in with it as the username")
    add.add_argument("--name", help="the name shown in the console (default: from the e-mail)")
    add.add_argument("--file", help="the credentials YAML (default: TELEMETRY_AUTH_FILE); created if missing, "
                                    "mode 600, refused inside the git work tree unless git ignores it")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input (scripts) instead of a prompt")


def cmd_users(args: argparse.Namespace) -> int:
    """`users add`: 2 for bad input (with what to do), 0 once the file holds the user's new hash."""
    path = args.file or os.environ.get("TELEMETRY_AUTH_FILE")
    if not path:
        print("error: say which credentials file to write: --file PATH (or set TELEMETRY_AUTH_FILE)", file=sys.stderr)
        return 2
    email = args.email.strip()
    if not _EMAIL_RE.match(email):
        print(f"error: {args.email!r} is not an e-mail address", file=sys.stderr)
        return 2
    password = _read_password(args.password_stdin)
    if password is None:
        return 2
    from telemetry.credentials import CredentialsError, add_user

    target = Path(path).expanduser().resolve()
    try:
        created, username = add_user(target, email, password, args.name)
    except CredentialsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    verb = "Added" if created else "Saved the new password of"
    print(f"{verb} {email} in {target} (mode 600): they sign in with username {username}.")
    if created:
        print(f"Start the console with TELEMETRY_AUTH_FILE={target} to require this login.")
    return 0


def _read_password(from_stdin: bool) -> str | None:
    """The new password (stdin's first line, or typed twice at a prompt); None after saying why not."""
    import getpass

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        print("error: no terminal to ask for the password: pass --password-stdin and pipe it in", file=sys.stderr)
        return None
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("error: the two passwords differ; nothing was written", file=sys.stderr)
            return None
    if len(password) < MIN_PASSWORD_CHARS:
        print(f"error: the password needs at least {MIN_PASSWORD_CHARS} characters; nothing was written",
              file=sys.stderr)
        return None
    return password
