"""Registered jobs on Databricks through the real databricks-sdk against a fake Jobs API: a double click
starts one run, states move from pending to a result, cancel, and 403 / unknown job / a failed run are
said in words."""

from __future__ import annotations

import pytest

from telemetry.jobs.remote import RemoteJobError, RemoteJobs, idempotency_token
from tests.fakes import jobs_routes
from tests.fakes.server import FakeDatabricks, error

JOB = 123


@pytest.fixture()
def workspace():
    with FakeDatabricks() as fake:
        ws = jobs_routes.install(fake, jobs_routes.JobsWorkspace(jobs={JOB, 456}, forbidden={456}))
        yield fake, ws, RemoteJobs(fake.client(retry_timeout_s=5))


def test_a_double_click_starts_one_run(workspace):
    fake, ws, jobs = workspace
    token = idempotency_token("genie-messages", {"batch_size": 50}, "Admin@corp.com", nonce="form-1")
    first = jobs.trigger(JOB, {"batch_size": 50}, token)
    again = jobs.trigger(JOB, {"batch_size": 50}, token)  # the same form submitted twice
    assert first == again and len(ws.runs) == 1 and fake.count("/jobs/run-now") == 2
    other = jobs.trigger(JOB, {"batch_size": 50}, idempotency_token("genie-messages", {"batch_size": 50},
                                                                    "admin@corp.com", nonce="form-2"))
    assert other != first and len(ws.runs) == 2
    assert ws.runs[first].params == {"batch_size": "50"}
    assert len(token) <= 64


def test_a_run_is_followed_from_pending_to_its_result(workspace):
    _, ws, jobs = workspace
    run_id = jobs.trigger(JOB, {}, "t1")
    seen = [jobs.run(run_id)]
    ws.advance(run_id, "RUNNING")
    seen.append(jobs.run(run_id))
    ws.advance(run_id, "TERMINATED", "SUCCESS")
    seen.append(jobs.run(run_id))
    assert [(v.state, v.result, v.finished) for v in seen] == [
        ("PENDING", None, False), ("RUNNING", None, False), ("TERMINATED", "SUCCESS", True)]
    done = seen[-1]
    assert done.outcome == "success" and done.duration_s == 42 and done.url.endswith(f"/runs/{run_id}")
    assert done.started is not None and done.creator == "app-sp"


def test_a_failed_run_and_a_cancelled_one_say_so(workspace):
    _, ws, jobs = workspace
    failed, running = jobs.trigger(JOB, {}, "a"), jobs.trigger(JOB, {}, "b")
    ws.advance(failed, "TERMINATED", "FAILED", "Task genie_messages failed: 429 from the Genie API")
    ws.advance(running, "RUNNING")
    jobs.cancel(running)
    views = {v.run_id: v for v in jobs.recent(JOB)}
    assert views[failed].outcome == "failed" and "429" in views[failed].message
    assert views[running].outcome == "canceled"
    assert [v.run_id for v in jobs.recent(JOB)] == sorted(views, reverse=True)  # newest first


def test_permission_denied_and_unknown_jobs_are_explained(workspace):
    _, ws, jobs = workspace
    with pytest.raises(RemoteJobError, match="CAN_MANAGE_RUN"):
        jobs.trigger(456, {}, "x")
    with pytest.raises(RemoteJobError, match="not found.*databricks bundle deploy"):
        jobs.trigger(999, {}, "y")
    with pytest.raises(RemoteJobError, match="run 77"):
        jobs.run(77)
    assert not ws.runs


def test_only_runs_the_named_task_of_a_chained_job(workspace):
    fake, ws, jobs = workspace
    ws.tasks[JOB] = {"genie_messages_to_fetch", "genie_messages"}
    run_id = jobs.trigger(JOB, {"max_messages": None, "concurrency": 4}, "only-1", only=["genie_messages"])
    assert ws.runs[run_id].only == ["genie_messages"]
    assert ws.runs[run_id].params == {"max_messages": "", "concurrency": "4"}  # unset → empty text
    assert ws.runs[jobs.trigger(JOB, {}, "all-1")].only is None  # without `only` every task runs
    with pytest.raises(RemoteJobError, match="genie_mesages does not exist"):
        jobs.trigger(JOB, {}, "only-2", only=["genie_mesages"])


def test_repairing_a_failed_run_makes_it_run_again(workspace):
    _, ws, jobs = workspace
    run_id = jobs.trigger(JOB, {}, "r1")
    ws.advance(run_id, "TERMINATED", "FAILED", "Task genie_messages failed")
    repair_id = jobs.repair(run_id)
    assert ws.repair_requests == [{"run_id": run_id, "rerun_all_failed_tasks": True}]
    again = jobs.run(run_id)
    assert (again.state, again.result, again.finished) == ("PENDING", None, False)
    assert repair_id != run_id and ws.runs[run_id].repairs == [repair_id]
    ws.advance(run_id, "TERMINATED", "SUCCESS")
    assert jobs.run(run_id).outcome == "success"


def test_a_run_that_succeeded_or_is_running_is_not_repaired(workspace):
    _, ws, jobs = workspace
    done, running = jobs.trigger(JOB, {}, "s1"), jobs.trigger(JOB, {}, "s2")
    ws.advance(done, "TERMINATED", "SUCCESS")
    ws.advance(running, "RUNNING")
    with pytest.raises(RemoteJobError, match="succeeded: there is nothing to repair"):
        jobs.repair(done)
    with pytest.raises(RemoteJobError, match="still running"):
        jobs.repair(running)
    with pytest.raises(RemoteJobError, match="run 4242"):
        jobs.repair(4242)
    assert ws.repair_requests == []  # nothing was sent


def test_a_repair_the_api_refuses_is_explained(workspace):
    fake, ws, jobs = workspace
    run_id = jobs.trigger(JOB, {}, "p1")
    ws.advance(run_id, "TERMINATED", "FAILED")
    fake.fail("/jobs/runs/repair", error(403, "no Manage Run permission"))
    with pytest.raises(RemoteJobError, match=f"may not manage run {run_id}.*CAN_MANAGE_RUN"):
        jobs.repair(run_id)
