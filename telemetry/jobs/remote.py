"""Registered jobs on Databricks: trigger, follow, list, cancel and repair runs through the Jobs API (the SDK's
own auth, retries and error mapping), as the app's service principal, which holds CAN_MANAGE_RUN on
each job resource (user authorization has no jobs scope).

A run is triggered with an idempotency token derived from who asked, what, and the form instance, so a
double click or a page rerun returns the run already started instead of starting a second one.
Failures come back as RemoteJobError with a message that says what to fix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

TERMINAL = frozenset({"TERMINATED", "SKIPPED", "INTERNAL_ERROR"})


class RemoteJobError(RuntimeError):
    """A Jobs API call failed; the message is for the admin page."""


@dataclass(frozen=True)
class RunView:
    """What the admin page shows of one run."""

    run_id: int
    job_id: int
    state: str  # life-cycle state: QUEUED, PENDING, RUNNING, TERMINATING, TERMINATED, SKIPPED, INTERNAL_ERROR
    result: str | None  # SUCCESS, FAILED, CANCELED, TIMEDOUT, … once terminal
    started: datetime | None
    duration_s: float | None
    trigger: str
    creator: str
    parameters: dict[str, str] = field(default_factory=dict)
    url: str = ""
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.state in TERMINAL

    @property
    def outcome(self) -> str:
        """One word for the page: the result once finished, else the state."""
        return (self.result or self.state).lower() if self.finished else self.state.lower()


def _enum(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def run_view(run: Any) -> RunView:
    """A RunView from the SDK's Run/BaseRun (fields it does not know stay empty, never raise)."""
    state = getattr(run, "state", None)
    start, end = getattr(run, "start_time", None) or 0, getattr(run, "end_time", None) or 0
    params = {p.name: p.value if p.value is not None else (p.default or "")
              for p in (getattr(run, "job_parameters", None) or []) if getattr(p, "name", None)}
    return RunView(
        run_id=int(run.run_id), job_id=int(getattr(run, "job_id", 0) or 0),
        state=_enum(getattr(state, "life_cycle_state", None)) or "UNKNOWN",
        result=_enum(getattr(state, "result_state", None)),
        started=datetime.fromtimestamp(start / 1000, UTC) if start else None,
        duration_s=(end - start) / 1000 if start and end else None,
        trigger=_enum(getattr(run, "trigger", None)) or "", creator=getattr(run, "creator_user_name", None) or "",
        parameters=params, url=getattr(run, "run_page_url", None) or "",
        message=getattr(state, "state_message", None) or "")


def idempotency_token(job: str, params: dict[str, Any], user: str, nonce: str) -> str:
    """≤ 64 characters (the API's limit), the same for the same form submitted twice."""
    key = json.dumps([job, sorted((k, str(v)) for k, v in params.items()), user.lower(), nonce])
    return hashlib.sha256(key.encode()).hexdigest()


def _text(value: Any) -> str:
    """A parameter value as the Jobs API takes it: text, None as empty (a parameter left unset)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _explain(err: Exception, job_id: int | None = None, run_id: int | None = None) -> RemoteJobError:
    from databricks.sdk import errors

    what = f"job {job_id}" if job_id is not None else f"run {run_id}"
    if isinstance(err, errors.PermissionDenied):
        verb = "run" if job_id is not None else "manage"
        return RemoteJobError(f"The app's service principal may not {verb} {what}: grant it CAN_MANAGE_RUN on the "
                              "job (the bundle's app resource does), then try again.")
    if isinstance(err, errors.NotFound | errors.InvalidParameterValue | errors.ResourceDoesNotExist):
        return RemoteJobError(f"{what} was not found in the workspace ({err}). Is the job id bound in app.yaml "
                              "the one `databricks bundle deploy` created?")
    return RemoteJobError(f"The Jobs API failed for {what}: {type(err).__name__}: {str(err).splitlines()[0]}")


class RemoteJobs:
    """The Jobs API calls of the admin page (`client` is a databricks-sdk WorkspaceClient)."""

    def __init__(self, client: Any):
        self.client = client

    def trigger(self, job_id: int, params: dict[str, Any], token: str, *, only: list[str] | None = None) -> int:
        """Start the job (or return the run this token already started).

        `only` runs just those tasks of a chained bundle job (the registered job's task_key), so
        triggering genie-messages does not rerun the queue task before it."""
        try:
            waiter = self.client.jobs.run_now(job_id, job_parameters={k: _text(v) for k, v in params.items()},
                                              idempotency_token=token[:64], only=list(only) if only else None)
            return int(waiter.run_id)
        except Exception as err:  # noqa: BLE001 - every SDK failure becomes a message
            raise _explain(err, job_id=job_id) from None

    def run(self, run_id: int) -> RunView:
        try:
            return run_view(self.client.jobs.get_run(run_id))
        except Exception as err:  # noqa: BLE001
            raise _explain(err, run_id=run_id) from None

    def recent(self, job_id: int, limit: int = 10) -> list[RunView]:
        """The job's latest runs, newest first (the API allows fewer than 25 per page)."""
        try:
            runs = self.client.jobs.list_runs(job_id=job_id, limit=min(limit, 24))
            return [run_view(r) for _, r in zip(range(limit), runs, strict=False)]
        except Exception as err:  # noqa: BLE001
            raise _explain(err, job_id=job_id) from None

    def repair(self, run_id: int) -> int:
        """Rerun the failed tasks of a finished run (and those after them); returns the repair id.

        The run keeps its id and goes back to pending. A run still going or one that succeeded has
        nothing to repair: that is said before anything is sent."""
        view = self.run(run_id)
        if not view.finished:
            raise RemoteJobError(f"Run {run_id} is still {view.state.lower()}: wait for it to end, or cancel it.")
        if view.result == "SUCCESS":
            raise RemoteJobError(f"Run {run_id} succeeded: there is nothing to repair (use Run now for a new run).")
        try:
            waiter = self.client.jobs.repair_run(run_id, rerun_all_failed_tasks=True)
            return int(waiter.response.repair_id)
        except Exception as err:  # noqa: BLE001
            raise _explain(err, run_id=run_id) from None

    def cancel(self, run_id: int) -> None:
        try:
            self.client.jobs.cancel_run(run_id)
        except Exception as err:  # noqa: BLE001
            raise _explain(err, run_id=run_id) from None
