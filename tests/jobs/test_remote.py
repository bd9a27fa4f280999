"""Registered jobs on Databricks through the real databricks-sdk against a fake Jobs API: a double click
starts one run, states move from pending to a result, cancel, and 403 / unknown job / a failed run are
said in words."""

from __future__ import annotations

import pytest

from telemetry.jobs.remote import RemoteJobError, RemoteJobs, idempotency_token
from tests.fakes import jobs_routes
from tests.fakes.server import FakeDatabricks

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
