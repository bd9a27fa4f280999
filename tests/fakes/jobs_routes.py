"""Fake Jobs API 2.2 routes (run-now, runs/get, runs/list, runs/cancel, runs/repair) over an in-memory
workspace.

Runs advance only when the test says so (`advance`), so state transitions are asserted one by one.
run-now honours `idempotency_token` as the Jobs API does: the same token returns the same run; it
records `only` (the tasks to run) and refuses a task the job does not have when the job's tasks are
declared. runs/repair puts a finished, unsuccessful run back to PENDING under the same run id.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeDatabricks, Request, error


@dataclass
class FakeRun:
    run_id: int
    job_id: int
    params: dict[str, str]
    creator: str
    start_ms: int
    life_cycle: str = "PENDING"
    result: str | None = None
    end_ms: int = 0
    message: str = ""
    only: list[str] | None = None  # the tasks run-now was asked to run (None: all)
    repairs: list[int] = field(default_factory=list)

    def json(self, host: str) -> dict[str, Any]:
        state = {"life_cycle_state": self.life_cycle, "state_message": self.message}
        if self.result:
            state["result_state"] = self.result
        return {"job_id": self.job_id, "run_id": self.run_id, "number_in_job": self.run_id,
                "creator_user_name": self.creator, "start_time": self.start_ms, "end_time": self.end_ms,
                "run_page_url": f"{host}/jobs/{self.job_id}/runs/{self.run_id}", "trigger": "ONE_TIME",
                "run_type": "JOB_RUN", "state": state,
                "job_parameters": [{"name": k, "value": v} for k, v in self.params.items()],
                "repair_history": [{"id": r, "type": "REPAIR"} for r in self.repairs]}


@dataclass
class JobsWorkspace:
    jobs: set[int]
    runs: dict[int, FakeRun] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    forbidden: set[int] = field(default_factory=set)  # run-now answers 403 (no CAN_MANAGE_RUN)
    tasks: dict[int, set[str]] = field(default_factory=dict)  # job id → its task keys (checked against `only`)
    repair_requests: list[dict[str, Any]] = field(default_factory=list)  # runs/repair bodies, in order
    ids: itertools.count = field(default_factory=lambda: itertools.count(1001))

    def advance(self, run_id: int, life_cycle: str, result: str | None = None, message: str = "") -> None:
        run = self.runs[run_id]
        run.life_cycle, run.result, run.message = life_cycle, result, message
        if life_cycle in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR"):
            run.end_ms = run.start_ms + 42_000


def install(fake: FakeDatabricks, workspace: JobsWorkspace) -> JobsWorkspace:
    def run_now(req: Request):
        job_id = int(req.body["job_id"])
        if job_id not in workspace.jobs:
            return error(400, f"Job {job_id} does not exist.", "INVALID_PARAMETER_VALUE")
        if job_id in workspace.forbidden:
            return error(403, f"User does not have Manage Run permission on job {job_id}.")
        only = req.body.get("only")
        unknown = sorted(set(only or ()) - workspace.tasks[job_id]) if job_id in workspace.tasks else []
        if unknown:
            return error(400, f"Task {unknown[0]} does not exist in job {job_id}.", "INVALID_PARAMETER_VALUE")
        token = req.body.get("idempotency_token")
        if token and token in workspace.tokens:
            run_id = workspace.tokens[token]
        else:
            run_id = next(workspace.ids)
            workspace.runs[run_id] = FakeRun(run_id, job_id, dict(req.body.get("job_parameters") or {}),
                                             "app-sp", int(time.time() * 1000), only=only)
            if token:
                workspace.tokens[token] = run_id
        return {"run_id": run_id, "number_in_job": run_id}

    def get_run(req: Request):
        run = workspace.runs.get(int(req.query["run_id"]))
        return run.json(fake.url) if run else error(400, "Run does not exist.", "INVALID_PARAMETER_VALUE")

    def list_runs(req: Request):
        job_id = int(req.query.get("job_id", 0))
        runs = sorted((r for r in workspace.runs.values() if not job_id or r.job_id == job_id),
                      key=lambda r: -r.run_id)[: int(req.query.get("limit", 20))]
        return {"runs": [r.json(fake.url) for r in runs], "has_more": False} if runs else {"has_more": False}

    def cancel(req: Request):
        run = workspace.runs.get(int(req.body["run_id"]))
        if run is None:
            return error(400, "Run does not exist.", "INVALID_PARAMETER_VALUE")
        workspace.advance(run.run_id, "TERMINATED", "CANCELED", "Run cancelled by the user")
        return {}

    def repair(req: Request):
        workspace.repair_requests.append(dict(req.body))
        run = workspace.runs.get(int(req.body["run_id"]))
        if run is None:
            return error(400, "Run does not exist.", "INVALID_PARAMETER_VALUE")
        if run.life_cycle not in ("TERMINATED", "INTERNAL_ERROR") or run.result == "SUCCESS":
            return error(400, f"Run {run.run_id} cannot be repaired: it is {run.life_cycle} {run.result or ''}",
                         "INVALID_STATE")
        repair_id = next(workspace.ids)
        run.repairs.append(repair_id)
        run.life_cycle, run.result, run.message, run.end_ms = "PENDING", None, "", 0
        return {"repair_id": repair_id}

    fake.route("POST", "/api/2.[12]/jobs/run-now", run_now)
    fake.route("POST", "/api/2.[12]/jobs/runs/repair", repair)
    fake.route("GET", "/api/2.[12]/jobs/runs/get", get_run)
    fake.route("GET", "/api/2.[12]/jobs/runs/list", list_runs)
    fake.route("POST", "/api/2.[12]/jobs/runs/cancel", cancel)
    return workspace
