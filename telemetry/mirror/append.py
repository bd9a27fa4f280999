"""Job demo-append: fresh synthetic events up to now in the embedded demo, so the numbers move.

A demo built yesterday shows nothing today. This job extends it, with the generators that built it,
from each table's newest event up to now (at most `max_hours` back): app sign-ins, the tracker
sessions and trace spans that follow them, and Genie conversations through every Genie table; then
it refreshes the sign-ins rollup over the days it touched, as the deployed app-logins-rollup job
would, so App usage counts the new sign-ins. Running it twice in a row adds about nothing the second
time (the window then starts at the newest event).

It writes through a cursor on the database's read-write connection, in one transaction: on the
served console that is the console's own connection (the admin page runs it in the console
process); from the command line, the runner's (when no console holds the file).
"""

from __future__ import annotations

from typing import Any

from telemetry.jobs.registry import Job, JobContext, JobError, JobReport, Param

MAX_HOURS = 24 * 14  # a longer gap is left as a gap: a fresh `python -m telemetry demo` is quicker
ROLLUP_KEY = "app_logins_rollup"


def _cursor(context: JobContext):
    """A cursor on the embedded database's read-write connection; JobError when there is none."""
    engine = getattr(context.engine, "engine", context.engine)  # the local runner wraps the engine
    if getattr(engine, "name", "") != "embedded" or not hasattr(engine, "write_cursor"):
        raise JobError("demo-append extends the embedded demo database only; this console reads a warehouse")
    from telemetry.engine.base import QueryError

    try:
        return engine.write_cursor()
    except QueryError as err:
        raise JobError(f"demo-append must write the embedded database, but {err.cause}: run it from the served "
                       "console (`python -m telemetry serve`), or stop the console and use `python -m "
                       "telemetry jobs run demo-append`") from None


def run(context: JobContext, params: dict[str, Any]) -> JobReport:
    """Append, refresh the rollup over the appended days, and report the rows per table."""
    from telemetry.apps import rollups
    from telemetry.mirror.append_events import append

    now = context.now().replace(microsecond=0)
    cur = _cursor(context)
    try:
        cur.execute("SET TimeZone = 'UTC'")
        done = append(cur, dict(context.settings.tables), now, params["max_hours"], context.check_cancelled)
    finally:
        cur.close()
    for family, (start, end) in done.windows.items():
        context.log(f"demo-append: {family} {start:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S} UTC")
    first = min(start for start, _ in done.windows.values())
    days = (now.date() - first.date()).days + 1
    rollup = rollups.refresh(context.engine, context.settings, days=days, end_date=now.date())
    notes = [f"{key} +{rows:,}" for key, rows in done.rows.items()]
    notes.append(f"{ROLLUP_KEY} refreshed {rollup.from_date} – {rollup.end_date}")
    return JobReport(read=0, written=done.total, notes=notes)


JOB = Job(
    name="demo-append",
    description="Append synthetic events from each demo table's newest event up to now (app sign-ins, tracker "
                "events, trace spans, Genie messages with their statements and details) and refresh the sign-ins "
                "rollup, so the embedded demo shows today's activity.",
    run=run,
    params=(Param("max_hours", int, 48, "hours back from now an append reaches at most (an older demo keeps a "
                  "gap before them)", 1, MAX_HOURS),),
    reads=("audit", "apps_inventory"),
    writes=("audit", "query_history", "genie_messages_to_fetch", "genie_fetch_errors", "genie_message_details",
            "tracker", "spans", ROLLUP_KEY),
    embedded_only=True,
)
