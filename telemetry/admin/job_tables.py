"""What the admin Jobs page draws (no Streamlit): the jobs summary, each job's runs table, the Run now
form's fields from the job's declared parameters, and a run's one-line status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from telemetry.admin import history
from telemetry.admin.jobs import LOCAL, NOT_DEPLOYED, JobRow
from telemetry.columns import Col, link, number, text, when
from telemetry.jobs.registry import Job, Param
from telemetry.jobs.remote import RunView

RUNS = {"run_id": text("Run"), "outcome": text("State"), "result": text("Result"), "started": when("Started (UTC)"),
        "duration_s": number("Duration (s)", "%.0f"), "creator": text("Who"), "parameters": text("Parameters"),
        "message": text("Message"), "url": link("Run page", "Open")}
SUMMARY = {"job": text("Job"), "where": text("Runs on"), "last_outcome": text("Last run"),
           "last_started": when("Last started (UTC)"), "last_success": when("Last success (UTC)"),
           "runs": text("Runs shown"), "history": text("History from")}


def where(row: JobRow) -> str:
    if row.mode == LOCAL:
        return "local runner (embedded engine)"
    if row.mode == NOT_DEPLOYED:
        return "not deployed"
    return f"Databricks job {row.job_id}"


def needs_workspace(row: JobRow) -> str:
    """What a local run of an API job needs (the embedded engine has no workspace of its own), or ''."""
    apis = [r.removeprefix("api:") for r in row.job.reads if r.startswith("api:")]
    if row.mode != LOCAL or not apis:
        return ""
    return (f"Reads the Databricks {' and '.join(apis).title()} API: run locally, it needs workspace credentials "
            "(DATABRICKS_HOST with DATABRICKS_TOKEN, or DATABRICKS_CONFIG_PROFILE); without them the run fails "
            "and says so.")


def _params_text(params: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(params.items()))


def runs_frame(runs: tuple[RunView, ...] | list[RunView]) -> pd.DataFrame:
    """One row per run, newest first, as the runs table shows them."""
    return pd.DataFrame([{
        "run_id": str(r.run_id), "outcome": r.outcome, "result": r.result or "", "started": _naive(r.started),
        "duration_s": r.duration_s, "creator": r.creator, "parameters": _params_text(r.parameters),
        "message": r.message, "url": r.url or None} for r in runs], columns=list(RUNS))


def _naive(moment):
    return None if moment is None else pd.Timestamp(moment).tz_convert("UTC").tz_localize(None)


def summary(rows: list[JobRow]) -> pd.DataFrame:
    """One row per job: where it runs, its last run and its last successful run."""
    out = []
    for row in rows:
        last = row.runs[0] if row.runs else None
        success = history.last_success(list(row.runs))
        out.append({"job": row.job.name, "where": where(row), "last_outcome": last.outcome if last else "no runs",
                    "last_started": _naive(last.started) if last else None,
                    "last_success": _naive(success.started) if success else None,
                    "runs": str(len(row.runs)), "history": row.source or "—"})
    frame = pd.DataFrame(out, columns=list(SUMMARY))
    for column in ("last_started", "last_success"):  # times, blank where a job has none (not 'None')
        frame[column] = pd.to_datetime(frame[column])
    return frame


def status_line(run: RunView) -> str:
    """'Run 1001: running · started 12:03 UTC · 42 s' for the live panel."""
    parts = [f"Run {run.run_id}: **{run.outcome}**"]
    if run.started:
        parts.append(f"started {run.started:%H:%M:%S} UTC")
    if run.duration_s is not None:
        parts.append(f"{run.duration_s:.0f} s")
    if run.message:
        parts.append(run.message)
    return " · ".join(parts)


@dataclass(frozen=True)
class Field:
    """One Run now form field (the UI picks the widget from `kind`)."""

    name: str
    kind: str  # int, float, bool, date, choice, text
    label: str
    help: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


def _kind(param: Param) -> str:
    if param.choices:
        return "choice"
    return {int: "int", float: "float", bool: "bool", date: "date"}.get(param.type, "text")


def fields(job: Job) -> list[Field]:
    """The form of a job: one field per declared parameter, with its default and range."""
    return [Field(p.name, _kind(p), p.name.replace("_", " ").capitalize(), p.help, p.default, p.minimum,
                  p.maximum, tuple(p.choices)) for p in job.params]


def failed(run: RunView) -> bool:
    """A finished run that did not succeed (Repair / Rerun is offered)."""
    return run.finished and run.result not in ("SUCCESS", None) or run.state == "INTERNAL_ERROR"


def presets(frame: pd.DataFrame) -> dict[str, Col]:
    return {k: v for k, v in RUNS.items() if k in frame.columns}
