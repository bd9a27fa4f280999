"""Job genie-messages: fetch every queued Genie message from the Genie API into the message details.

Reads genie_messages_to_fetch (filled by genie-messages-to-fetch from the audit log), calls
get-message for each message not yet in genie_message_details and not given up, and writes as it
goes, one batch (`batch_size`, 100 by default) at a time: the details (merged by message_id), the fetch errors
(merged by message and attempt number), the errors a fetch has now resolved, and the queue rows'
status, attempts and last attempt. Every write is keyed, so a run killed half-way loses at most the
batch it had not written yet, and the next run fetches exactly what is missing and duplicates nothing.

Messages are fetched as raw JSON through the SDK's own client (`api_client.do`): it keeps the SDK's
auth, retries and `Retry-After` handling (429/503 are retried inside the call, honouring the
header), while the dataclasses would turn enum values they do not know into None. A thread pool of
`concurrency` workers does the HTTP; only the job's thread touches the engine. One bad message (an
error status, a timeout, a payload that is not JSON) becomes a fetch-errors row and a retry on a
later run (up to `settings.genie.max_fetch_attempts`); it never stops the batch. A message Genie is
still answering (a non-terminal status) stays pending without using up an attempt.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from telemetry import queries
from telemetry.genie import fetch_errors
from telemetry.genie.message_rows import message_row, still_in_progress
from telemetry.jobs import tables
from telemetry.jobs.registry import Job, JobContext, JobReport, Param

TABLES = ("genie_messages_to_fetch", "genie_message_details", "genie_fetch_errors")
PENDING = "genie_jobs/pending_messages"
MERGE_DETAILS = "genie_jobs/merge_message_details"
MERGE_ERRORS = "genie_jobs/merge_fetch_errors"
MERGE_QUEUE = "genie_jobs/merge_queue_status"
RESOLVE_ERRORS = "genie_jobs/resolve_fetch_errors"
MARK_FETCHED = "genie_jobs/mark_fetched_queue"
BATCH = 100  # default messages per write: a crash loses at most this many fetches (plus those in flight)
READ_CHUNK = 1000  # queue rows read at a time


@dataclass
class Outcome:
    """What one fetch gave: a details row, a fetch error, or a message still being answered."""

    queued: dict[str, Any]
    row: dict[str, Any] | None = None
    error: fetch_errors.FetchError | None = None
    in_progress: bool = False
    at: Any = None  # when it was attempted (naive UTC, the run's clock)


@dataclass
class Totals:
    read: int = 0
    written: int = 0
    failed: int = 0
    in_progress: int = 0
    given_up: int = 0


def message_path(queued: dict[str, Any]) -> str:
    """The get-message path; ids are quoted, so an odd id from the audit log cannot change the path."""
    space, conv, msg = (quote(str(queued[k]), safe="") for k in ("space_id", "conversation_id", "message_id"))
    return f"/api/2.0/genie/spaces/{space}/conversations/{conv}/messages/{msg}"


def fetch(client: Any, queued: dict[str, Any], now: Any) -> Outcome:
    """GET one message as raw JSON through the SDK client; never raises."""
    at = now()
    headers = {"Accept": "application/json"}
    if getattr(client.config, "workspace_id", None):
        headers["X-Databricks-Workspace-Id"] = str(client.config.workspace_id)
    try:
        payload = client.api_client.do("GET", message_path(queued), headers=headers)
    except Exception as err:  # one bad message never stops the batch
        return Outcome(queued, error=fetch_errors.classify(err), at=at)
    if not isinstance(payload, dict) or not payload:
        return Outcome(queued, error=fetch_errors.malformed(payload), at=at)
    if still_in_progress(payload):
        return Outcome(queued, in_progress=True, at=at)
    return Outcome(queued, row=message_row(payload, queued, at), at=at)


def _queue_row(o: Outcome, max_attempts: int) -> dict[str, Any]:
    attempts = int(o.queued.get("attempts") or 0) + (0 if o.in_progress else 1)
    gone = o.error is not None and (o.error.permanent or attempts >= max_attempts)
    status = "FETCHED" if o.row is not None else "FAILED" if gone else "PENDING"
    return {**o.queued, "status": status, "attempts": attempts, "last_attempt_at": o.at}


def _error_row(o: Outcome) -> dict[str, Any]:
    q, e = o.queued, o.error
    return {"workspace_id": q.get("workspace_id"), "space_id": q.get("space_id"),
            "conversation_id": q.get("conversation_id"), "message_id": q.get("message_id"),
            "attempted_at": o.at, "attempt": int(q.get("attempts") or 0) + 1, "http_status": e.http_status,
            "error_code": e.code, "error_message": e.message, "resolved_at": None}


def write_batch(context: JobContext, outcomes: list[Outcome], totals: Totals) -> None:
    """Details, errors, resolutions, then queue statuses: each write is keyed (a rerun repeats it
    harmlessly), and the queue goes last, so a crash before it only means the batch is fetched again
    (mark_fetched_queue heals the statuses of messages whose details were already written)."""
    engine, settings = context.engine, context.settings
    max_attempts = settings.genie.max_fetch_attempts
    details = [o.row for o in outcomes if o.row is not None]
    errors = [_error_row(o) for o in outcomes if o.error is not None]
    queue = [_queue_row(o, max_attempts) for o in outcomes]
    tables.merge_rows(engine, settings, MERGE_DETAILS, details)
    tables.merge_rows(engine, settings, MERGE_ERRORS, errors)
    if any(o.row is not None and int(o.queued.get("attempts") or 0) > 0 for o in outcomes):
        queries.run(RESOLVE_ERRORS, engine=engine, settings=settings, resolved_at=context.now())
    tables.merge_rows(engine, settings, MERGE_QUEUE, queue)
    totals.read += len(outcomes)
    totals.written += len(details)
    totals.failed += len(errors)
    totals.in_progress += sum(o.in_progress for o in outcomes)
    totals.given_up += sum(q["status"] == "FAILED" for q in queue)


def pending(context: JobContext, run_started: Any, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` queue rows still to fetch (one per message id), oldest first."""
    result = queries.run(PENDING, engine=context.engine, settings=context.settings, row_cap=limit,
                         max_attempts=context.settings.genie.max_fetch_attempts, run_started=run_started)
    rows = {r["message_id"]: r for r in records(result.frame)}
    return list(rows.values())[:limit]


def records(frame: Any) -> list[dict[str, Any]]:
    """Frame rows as plain Python values (None for NaN/NaT, datetimes, ints) ready for `:rows`."""
    import pandas as pd

    def plain(value: Any) -> Any:
        if not pd.api.types.is_scalar(value):  # arrays (ARRAY columns), lists, dicts
            return [plain(v) for v in value] if not isinstance(value, dict) else value
        if pd.isna(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
        return value.item() if hasattr(value, "item") else value

    return [{k: plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def _fetch_and_write(pool: ThreadPoolExecutor, context: JobContext, rows: list[dict[str, Any]],
                     totals: Totals, batch_size: int) -> None:
    """Fetch `rows` on the pool, writing each `batch_size` outcomes as they complete."""
    client = context.workspace()
    futures: list[Future[Outcome]] = [pool.submit(fetch, client, row, context.now) for row in rows]
    batch: list[Outcome] = []
    for future in as_completed(futures):
        batch.append(future.result())
        if len(batch) >= batch_size:
            write_batch(context, batch, totals)
            context.log(f"genie-messages: {totals.read:,} fetched, {totals.written:,} written, "
                        f"{totals.failed:,} failed")
            batch = []
    if batch:
        write_batch(context, batch, totals)


def run(context: JobContext, params: dict[str, Any]) -> JobReport:
    """Fetch the pending messages in batches until none is left (or `max_messages` were tried)."""
    engine, settings = context.engine, context.settings
    tables.ensure_tables(engine, settings, *TABLES)
    run_started = context.now()
    queries.run(MARK_FETCHED, engine=engine, settings=settings)  # heal a run stopped mid-batch
    queries.run(RESOLVE_ERRORS, engine=engine, settings=settings, resolved_at=run_started)
    budget = params["max_messages"] or float("inf")
    totals, seen = Totals(), set()
    with ThreadPoolExecutor(max_workers=params["concurrency"], thread_name_prefix="genie-fetch") as pool:
        while budget > 0:
            context.check_cancelled()  # a cancel from the admin page stops between batches
            rows = [r for r in pending(context, run_started, int(min(budget, READ_CHUNK)))
                    if r["message_id"] not in seen]  # never twice in a run, whatever the queue says
            if not rows:
                break
            seen.update(r["message_id"] for r in rows)
            budget -= len(rows)
            _fetch_and_write(pool, context, rows, totals, params["batch_size"])
    notes = [f"{totals.in_progress:,} still in progress"] if totals.in_progress else []
    notes += [f"{totals.given_up:,} given up"] if totals.given_up else []
    return JobReport(read=totals.read, written=totals.written, failed=totals.failed,
                     skipped=totals.in_progress, notes=notes)


JOB = Job(
    name="genie-messages",
    description="Fetch each queued Genie message (prompt, status, SQL, answer, feedback) from the Genie API "
                "into the message details; failures are recorded and retried on later runs.",
    run=run,
    params=(
        Param("max_messages", int, None, "most messages to fetch this run (empty or 0: all pending)", 0, None),
        Param("concurrency", int, 8, "messages fetched at once", 1, 32),
        Param("batch_size", int, BATCH, "messages per write (a crash loses at most one batch); larger batches "
                                        "cost a warehouse fewer statements", 10, 1000),
    ),
    reads=("genie_messages_to_fetch", "genie_message_details", "api:genie"),
    writes=TABLES,
)
