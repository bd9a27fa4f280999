"""Genie pipeline health: does every message the audit log saw reach the message details?

The funnel per hour or day: message-creating audit events → queued (genie-messages-to-fetch) →
ingested (genie-messages) — the gap is what is missing, by the message's own time — and the fetch
errors beside it. Then the console's Genie job runs, errors by type and HTTP status, and the
messages stuck in retry (with what went wrong last).
"""

from __future__ import annotations

from datetime import datetime

import altair as alt
import pandas as pd

from telemetry import charts, queries
from telemetry.config import Settings
from telemetry.genie import filters as genie_filters
from telemetry.genie.filters import GenieFilters
from telemetry.genie.prompts import message_link
from telemetry.metrics.kpi import Kpi

# The console's Genie jobs as the bundle names them (the demo's lakeflow tables use the same names).
GENIE_JOB_NAMES = ("ops-console-genie-ingest", "ops-console-genie-space-sync")
BUCKETS = {"Daily": "day", "Hourly": "hour"}  # the picker's labels (also its URL values) → the SQL's :bucket
QUERIES = ("pipeline_gap", "pipeline_job_runs", "pipeline_errors", "pipeline_stuck")
SERIES = {"audit_events": "Audit message events", "queued": "Queued", "ingested": "Ingested",
          "fetch_errors": "Fetch errors"}
GAP_RULE = ("Audit message events are the successful message-creating aibiGenie actions; queued and ingested count "
            "the same messages by the time they were asked, so the gap (audit − ingested) is what has not reached "
            "the message details yet. Fetch errors count failed API attempts by attempt time.")


def filter_requests() -> dict[str, queries.Request]:
    """The workspace picker's options (the filter bar waits for them)."""
    return {"workspaces_list": queries.request("app_usage/workspaces_list", {})}


def requests(f: GenieFilters, bucket: str, settings: Settings) -> dict[str, queries.Request]:
    """Every panel's query; they depend only on the filters, so they start together."""
    return genie_filters.requests(QUERIES, f, settings, bucket=bucket if bucket in BUCKETS.values() else "day",
                                  genie_job_names=",".join(GENIE_JOB_NAMES),
                                  max_fetch_attempts=settings.genie.max_fetch_attempts)


def bucket(label: str | None) -> str:
    """The SQL's :bucket for the picker's label (daily when none)."""
    return BUCKETS.get(label or "", "day")


def totals(gap: pd.DataFrame, stuck: pd.DataFrame) -> list[Kpi]:
    """The period's funnel in four numbers, and how many messages are stuck now (retrying, given up)."""
    sums = gap[list(SERIES)].sum() if not gap.empty else pd.Series(0, index=list(SERIES))
    gave_up = int(stuck["gave_up"].astype(bool).sum()) if not stuck.empty else 0
    return [
        Kpi("Audit events", sums["audit_events"], help="Successful message-creating aibiGenie events"),
        Kpi("Queued", sums["queued"], help="Messages in genie_messages_to_fetch (by the time they were asked)"),
        Kpi("Ingested", sums["ingested"], help="Messages in genie_message_details (by the time they were asked)"),
        Kpi("Gap", int(sums["audit_events"]) - int(sums["ingested"]),
            help="Audit message events − ingested: messages not (yet) fetched"),
        Kpi("Retrying", len(stuck) - gave_up, help="Not fetched, with an open fetch error; the job tries again"),
        Kpi("Given up", gave_up, help="Not fetched; the queue marked them FAILED or they reached the attempt limit"),
    ]


def gap_chart(gap: pd.DataFrame, bucket: str) -> alt.Chart | None:
    """Audit events, queued and ingested as lines; the gap (audit − ingested) and the fetch errors as
    bars beneath them, per hour or day."""
    if gap.empty:
        return None
    frame = gap.assign(gap=gap["audit_events"] - gap["ingested"])
    labels = {**SERIES, "gap": "Gap (audit − ingested)"}
    long = frame.melt(id_vars=["period_start"], value_vars=list(labels), var_name="series",
                      value_name="messages").assign(series=lambda d: d["series"].map(labels))
    when = "Hour (UTC)" if bucket == "hour" else "Day (UTC)"
    x = alt.X("period_start:T", title=when, axis=alt.Axis(format="%b %d" if bucket == "day" else "%b %d %H:%M"))
    tooltip = [alt.Tooltip("period_start:T", title=when, format="%a %b %d %H:%M"), alt.Tooltip("series:N"),
               alt.Tooltip("messages:Q", format=",.0f")]
    order = [labels[k] for k in ("audit_events", "queued", "ingested", "gap", "fetch_errors")]
    colours = [charts.PALETTE[0], charts.PALETTE[4], charts.PALETTE[2], charts.PALETTE[3], charts.PALETTE[1]]
    base = alt.Chart(long).encode(x=x, tooltip=tooltip, color=alt.Color(
        "series:N", sort=order, scale=alt.Scale(domain=order, range=colours)))
    is_bar = alt.FieldOneOfPredicate(field="series", oneOf=[labels["gap"], labels["fetch_errors"]])
    lines = base.transform_filter(~is_bar).mark_line(point=bucket == "day").encode(
        y=alt.Y("messages:Q", title="Messages"),
        strokeDash=alt.condition(alt.datum.series == SERIES["queued"], alt.value([5, 3]), alt.value([1, 0])))
    bars = base.transform_filter(is_bar).mark_bar(opacity=0.85).encode(
        y="messages:Q", xOffset=alt.XOffset("series:N", sort=order))
    return charts.style(alt.layer(bars, lines))


def job_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per console job: its last run (state, start, duration), runs in the period, how many did not
    succeed, and the median duration."""
    if runs.empty:
        return runs
    ordered = runs.sort_values(["job_name", "started"], ascending=[True, False])
    grouped = ordered.groupby("job_name", sort=True)
    last = grouped.first()
    return pd.DataFrame({
        "job_name": last.index, "last_state": last["state"].to_numpy(), "last_started": last["started"].to_numpy(),
        "last_duration_seconds": last["duration_seconds"].to_numpy(), "runs": grouped.size().to_numpy(),
        "failed": grouped["state"].apply(lambda s: int((~s.isin(["SUCCEEDED", "RUNNING"])).sum())).to_numpy(),
        "median_duration_seconds": grouped["duration_seconds"].median().to_numpy(),
    })


STATE_COLOURS = {"SUCCEEDED": charts.PALETTE[2], "FAILED": charts.PALETTE[1], "ERROR": charts.PALETTE[5],
                 "TIMED_OUT": charts.PALETTE[3], "CANCELED": charts.PALETTE[6], "RUNNING": charts.PALETTE[4]}


def runs_chart(runs: pd.DataFrame) -> alt.Chart | None:
    """Each run's duration at its start time, coloured by its state, one mark shape per job."""
    if runs.empty:
        return None
    states = sorted(set(runs["state"]))
    colours = [STATE_COLOURS.get(s, charts.PALETTE[0]) for s in states]
    return charts.style(alt.Chart(runs).mark_point(size=40, filled=True, opacity=0.8).encode(
        x=alt.X("started:T", title="Run start (UTC)", axis=alt.Axis(format="%b %d")),
        y=alt.Y("duration_seconds:Q", title="Duration (s)"),
        color=alt.Color("state:N", scale=alt.Scale(domain=states, range=colours)),
        shape=alt.Shape("job_name:N", title="Job"),
        tooltip=[alt.Tooltip("job_name:N", title="Job"), alt.Tooltip("run_id:N", title="Run"),
                 alt.Tooltip("state:N"), alt.Tooltip("started:T", format="%a %b %d %H:%M"),
                 alt.Tooltip("duration_seconds:Q", title="Duration (s)", format=",.0f"),
                 alt.Tooltip("termination_code:N", title="Termination")]))


def errors_chart(errors: pd.DataFrame) -> alt.Chart | None:
    """Failed fetch attempts by error code, split by HTTP status."""
    if errors.empty:
        return None
    frame = errors.assign(label=errors["error_code"] + " (HTTP " + errors["http_status"].astype("Int64").astype(str)
                          + ")")
    return charts.ranking(frame, "label", "attempts", "Failed attempts", extra=["messages", "unresolved"],
                          label_title="Error")


def stuck_rows(stuck: pd.DataFrame) -> pd.DataFrame:
    """Stuck messages with their state in words and a link to the message page (which says why)."""
    if stuck.empty:
        return stuck
    return stuck.assign(state=stuck["gave_up"].map({True: "given up", False: "retrying"}),
                        open=stuck["message_id"].map(message_link))


def latest(runs: pd.DataFrame) -> datetime | None:
    """The newest job run behind the page (its 'data as of')."""
    if runs.empty or runs["ended"].isna().all():
        return None
    return pd.Timestamp(runs["ended"].max()).to_pydatetime()
