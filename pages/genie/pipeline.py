"""Genie pipeline (platform admins, space owners): do the messages the audit log saw reach the console?"""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import pipeline
from telemetry.genie import prompt_columns as columns

st.title("Genie pipeline")
settings = runtime.settings()
# A real wait: the workspace picker validates ?ws= against the workspaces that exist.
options = ui.start(pipeline.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
bucket = pipeline.bucket(st.segmented_control("Time step", list(pipeline.BUCKETS), default="Daily", key="every",
                                              bind="query-params", required=True, label_visibility="collapsed"))
# Everything below depends only on the filters: every panel's query starts now, together.
data = ui.start(pipeline.requests(f, bucket, settings))

with ui.panel():
    ui.freshness([data["pipeline_gap"], data["pipeline_job_runs"]],
                 data_as_of=pipeline.latest(data.frame("pipeline_job_runs")))
    ui.kpi_row(pipeline.totals(data.frame("pipeline_gap"), data.frame("pipeline_stuck")), columns_per_row=6)

with ui.panel("Audit events vs messages queued, ingested and failed"):
    ui.chart(pipeline.gap_chart(data.frame("pipeline_gap"), bucket),
             "No Genie message events in this period.")
    st.caption(pipeline.GAP_RULE)

with ui.panel("Console job runs", help="system.lakeflow.job_run_timeline for " + ", ".join(pipeline.GENIE_JOB_NAMES)):
    runs = data.frame("pipeline_job_runs")
    ui.table(pipeline.job_summary(runs), key="job_summary", preset=columns.JOB_SUMMARY,
             why_empty="No run of the console's Genie jobs in this period: are they deployed and scheduled?")
    ui.chart(pipeline.runs_chart(runs), "No runs to draw.")
    with st.expander("Every run in the period"):
        ui.table(runs, key="job_runs", preset=columns.JOB_RUNS, truncated=data["pipeline_job_runs"].truncated,
                 why_empty="No runs in this period.")

left, right = st.columns([2, 3])
with left, ui.panel("Fetch errors by type"):
    ui.chart(pipeline.errors_chart(data.frame("pipeline_errors")), "No Genie API fetch failed in this period.")
with right, ui.panel("Fetch errors by type and HTTP status"):
    ui.table(data.frame("pipeline_errors"), key="fetch_errors", preset=columns.FETCH_ERRORS,
             why_empty="No Genie API fetch failed in this period.")

with ui.panel("Messages stuck in retry", help="Queued, not fetched, with a fetch error no later attempt resolved"):
    ui.table(pipeline.stuck_rows(data.frame("pipeline_stuck")), key="stuck", preset=columns.STUCK,
             truncated=data["pipeline_stuck"].truncated, why_empty="No message is stuck: every queued message "
             "was fetched or is waiting for its first attempt.")
    st.caption(f"'given up': the queue marked it FAILED or it reached {settings.genie.max_fetch_attempts} attempts "
               "(TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS); the genie-messages job no longer retries it.")
