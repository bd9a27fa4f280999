"""Run history of the registered jobs when the Jobs API does not answer: system.lakeflow.job_run_timeline
(no Streamlit), as the same RunView the API and the local runner give, so the page draws one table.

The timeline is per job run (not per task) and has no parameters or creator; its `result_state`
values (SUCCEEDED, FAILED, TIMED_OUT, CANCELED, ERROR) are mapped onto the Jobs API's states.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from telemetry import queries
from telemetry.engine.base import Result
from telemetry.jobs.remote import RunView

HISTORY_DAYS = 30
RUNS_SHOWN = 10
# timeline result_state → (life-cycle state, result)
_STATES = {"SUCCEEDED": ("TERMINATED", "SUCCESS"), "FAILED": ("TERMINATED", "FAILED"),
           "TIMED_OUT": ("TERMINATED", "TIMEDOUT"), "CANCELED": ("TERMINATED", "CANCELED"),
           "ERROR": ("INTERNAL_ERROR", "FAILED")}
Run = Callable[[queries.Request], Result]


def request(job_ids: Iterable[int] = (), today: date | None = None, limit: int = RUNS_SHOWN, *,
            names: Iterable[str] = ()) -> queries.Request:
    """The timeline query for these deployed job ids, or these job names (never every job: callers pass
    at least one of either)."""
    ids = ",".join(str(i) for i in sorted(set(job_ids)))
    wanted = ",".join(sorted(set(names)))
    if not ids and not wanted:
        raise ValueError("no deployed job id or job name to read the history of")
    start = (today or datetime.now(UTC).date()) - timedelta(days=HISTORY_DAYS)
    return queries.request("admin/job_runs", {"job_ids": ids, "job_names": wanted, "start_date": start,
                                              "limit": limit})


def _aware(value) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    moment = pd.Timestamp(value).to_pydatetime()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_views_by_name(frame: pd.DataFrame) -> dict[str, list[RunView]]:
    """The timeline rows as RunViews by job name, newest first."""
    names = dict(zip(frame["run_id"].astype(int), frame["job_name"].astype(str), strict=True))
    out: dict[str, list[RunView]] = {}
    for runs in run_views(frame).values():
        for run in runs:
            out.setdefault(names[run.run_id], []).append(run)
    return out


def run_views(frame: pd.DataFrame) -> dict[int, list[RunView]]:
    """The timeline rows as RunViews by job id, newest first."""
    out: dict[int, list[RunView]] = {}
    for row in frame.itertuples(index=False):
        raw = None if pd.isna(row.result_state) else str(row.result_state)
        state, result = _STATES.get(raw or "", ("RUNNING", None)) if raw else ("RUNNING", None)
        duration = None if pd.isna(row.duration_seconds) or result is None else float(row.duration_seconds)
        out.setdefault(int(row.job_id), []).append(RunView(
            run_id=int(row.run_id), job_id=int(row.job_id), state=state, result=result, started=_aware(row.started),
            duration_s=duration, trigger=str(row.trigger_type or ""), creator=str(row.run_as or ""),
            message="" if pd.isna(row.termination_code) else str(row.termination_code)))
    return out


def last_success(runs: list[RunView]) -> RunView | None:
    """The newest run that ended in SUCCESS (runs are newest first)."""
    return next((r for r in runs if r.finished and r.result == "SUCCESS"), None)
