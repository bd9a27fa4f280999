"""Job genie-messages-to-fetch: queue every Genie message the audit log saw, for the Genie API fetch.

The audit log holds only ids (space, conversation, message), never the prompt; genie-messages reads
this queue and fetches each message from the Genie API. The move is one MERGE from
`system.access.audit` into `genie_messages_to_fetch` (genie_jobs/merge_messages_to_fetch.sql): no
rows pass through Python, so it costs one statement on a warehouse however many messages there are.

Incremental: a first run (empty queue) reads `lookback_days` of audit; later runs start at the
watermark (the newest event_time already queued) minus `overlap_hours`, because audit rows arrive
late ("updated throughout the day"). Rereading the overlap is safe: the merge is keyed by
message_id and inserts only messages not queued yet, so a rerun writes no duplicate and never
resets the status of a message genie-messages has already fetched or given up on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from telemetry import queries
from telemetry.jobs import tables
from telemetry.jobs.registry import Job, JobContext, JobReport, Param

TABLE = "genie_messages_to_fetch"
WATERMARK = "genie_jobs/queue_watermark"
MERGE = "genie_jobs/merge_messages_to_fetch"
COUNTS = "genie_jobs/queue_run_counts"


def window_start(watermark: Any, now: datetime, lookback_days: int, overlap_hours: int) -> datetime:
    """Where this run starts reading the audit log: the watermark less the overlap, or (first run,
    no watermark) `lookback_days` before now."""
    if watermark is None or pd.isna(watermark):
        return now - timedelta(days=lookback_days)
    return pd.Timestamp(watermark).to_pydatetime() - timedelta(hours=overlap_hours)


def run(context: JobContext, params: dict[str, Any]) -> JobReport:
    """Merge the Genie message-creating audit events since the window start into the queue."""
    engine, settings = context.engine, context.settings
    tables.ensure_tables(engine, settings, TABLE)
    mark = queries.run(WATERMARK, engine=engine, settings=settings).frame.iloc[0]
    now = context.now()
    since = window_start(mark["watermark"], now, params["lookback_days"], params["overlap_hours"])
    values = {"since": since, "genie_service_name": settings.genie.service_name,
              "message_actions": ",".join(settings.genie.message_actions)}
    context.log(f"reading {settings.genie.service_name} audit events since {since:%Y-%m-%d %H:%M} "
                f"({'first run' if mark['queued'] == 0 else 'from the watermark'})")
    queries.run(MERGE, engine=engine, settings=settings, discovered_at=now, **values)
    counts = queries.run(COUNTS, engine=engine, settings=settings, discovered_at=now, **values).frame.iloc[0]
    events, queued = int(counts["events"]), int(counts["queued"])
    return JobReport(read=events, written=queued, skipped=events - queued,
                     notes=[f"since {since:%Y-%m-%d %H:%M}", f"{int(mark['queued']) + queued:,} queued in all"])


JOB = Job(
    name="genie-messages-to-fetch",
    description="Queue the Genie messages the audit log saw (message-creating aibiGenie events) for the "
                "Genie API fetch; incremental from a watermark, merged by message id.",
    run=run,
    params=(
        Param("lookback_days", int, 30, "days of audit log a first run (empty queue) reads", 1, 365),
        Param("overlap_hours", int, 24, "hours before the watermark a later run rereads (late audit rows)", 0, 168),
    ),
    reads=("audit",),
    writes=(TABLE,),
)
