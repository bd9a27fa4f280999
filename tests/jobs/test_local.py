"""The local runner (telemetry.jobs.local) on a real, writable copy of the demo, owned as the served
console owns it: trigger and follow, failure, cancel, one run per token, a reload mid-run, runs a
stopped console left behind, and a process that may not write the file."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import threading
import time
from typing import Any

import pytest

from telemetry import runtime
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.jobs import catalog, local
from telemetry.jobs.registry import Job, JobContext, JobError, JobReport, Param

GATE = threading.Event()  # the "slow" job runs until a test opens it


def _slow(context: JobContext, params: dict[str, Any]) -> JobReport:
    """Counts rows of the audit log (through the console's engine), then waits for the gate."""
    rows = int(context.engine.run("SELECT count(*) AS n FROM system.access.audit").frame.iloc[0, 0])
    context.log(f"slow: {rows:,} audit rows")
    while not GATE.wait(0.01):
        context.check_cancelled()
    return JobReport(read=rows, notes=[f"tag {params['tag']}"])


def _broken(context: JobContext, params: dict[str, Any]) -> JobReport:
    context.log("broken: starting")
    raise JobError("the source table main.nowhere.events does not exist")


SLOW = Job("test-slow", "Waits for the test.", _slow, params=(Param("tag", str, "", "a label"),),
           reads=("audit",), writes=("audit",))
BROKEN = Job("test-broken", "Always fails.", _broken, reads=("audit",), writes=("audit",))


@pytest.fixture()
def jobs(monkeypatch):
    """The two test jobs registered beside the real ones; the gate closed."""
    monkeypatch.setattr(catalog, "JOBS", (*catalog.JOBS, SLOW, BROKEN))
    GATE.clear()
    yield
    GATE.set()


@pytest.fixture()
def console(writable_demo, jobs):
    """(settings, engine) as `python -m telemetry serve` has them: the engine owns the file."""
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(writable_demo), "TELEMETRY_EMBEDDED_OWNER": "1"})
    engine = EmbeddedEngine.from_settings(settings)
    yield settings, engine
    GATE.set()
    engine.close()


@pytest.fixture()
def runner(console):
    made = local.LocalRunner(*console)
    yield made
    GATE.set()
    made.close()


def follow(runner: local.LocalRunner, run_id: int, until: str = "TERMINATED", timeout_s: float = 30.0) -> list[str]:
    """Poll as the page's fragment does; the distinct states seen, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = runner.run(run_id).state
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == until:
            return seen
        time.sleep(0.005)
    raise AssertionError(f"run {run_id} never reached {until}: {seen}")


def test_a_run_goes_queued_running_terminated_with_its_report(runner):
    run_id = runner.trigger("test-slow", {"tag": "first"}, token="t-1", user="ada@example.com")
    view = runner.run(run_id)
    assert view.state in ("QUEUED", "RUNNING") and view.result is None and not view.finished
    assert follow(runner, run_id, "RUNNING") in (["QUEUED", "RUNNING"], ["RUNNING"])
    assert runner.run(run_id).duration_s is not None  # running: the time so far
    GATE.set()
    assert follow(runner, run_id) == ["RUNNING", "TERMINATED"]  # the job waits for the gate
    view = runner.run(run_id)
    assert view.result == "SUCCESS" and view.outcome == "success" and view.finished
    assert view.creator == "ada@example.com" and view.trigger == "ONE_TIME" and view.parameters == {"tag": "first"}
    assert view.message.startswith("test-slow: read ") and "(tag first)" in view.message
    assert view.started is not None and view.started.tzinfo is not None and view.duration_s >= 0
    log = runner.log(run_id)
    assert "audit rows" in log and view.message in log
    assert [v.run_id for v in runner.recent("test-slow")] == [run_id]


def test_the_states_follow_in_order_for_runs_queued_behind_each_other(runner):
    first = runner.trigger("test-slow", {"tag": "a"}, token="a", user="u@x.com")
    second = runner.trigger("test-slow", {"tag": "b"}, token="b", user="u@x.com")
    follow(runner, first, "RUNNING")
    assert runner.run(second).state == "QUEUED"  # one writer: the second waits
    GATE.set()
    assert follow(runner, second)[-1] == "TERMINATED"
    assert runner.run(first).result == runner.run(second).result == "SUCCESS"
    assert [v.run_id for v in runner.recent("test-slow")] == [second, first]  # newest first
    assert len(runner.recent("test-slow", limit=1)) == 1


def test_a_failing_job_ends_failed_with_its_message(runner):
    run_id = runner.trigger("test-broken", {}, token="b-1", user="u@x.com")
    follow(runner, run_id)
    view = runner.run(run_id)
    assert view.result == "FAILED" and view.outcome == "failed"
    assert view.message == "test-broken failed: the source table main.nowhere.events does not exist"
    assert "broken: starting" in runner.log(run_id) and view.message in runner.log(run_id)


def test_bad_parameters_and_unknown_jobs_or_runs_are_refused_before_anything_runs(runner):
    with pytest.raises(JobError, match="has no parameter colour"):
        runner.trigger("test-slow", {"colour": "red"}, token="x", user="u@x.com")
    with pytest.raises(JobError, match="no job called 'nope'"):
        runner.trigger("nope", {}, token="y", user="u@x.com")
    with pytest.raises(JobError, match="max_hours='0': must be at least 1"):
        runner.trigger("demo-append", {"max_hours": "0"}, token="z", user="u@x.com")
    assert runner.recent("test-slow") == [] and runner.store.ids() == []
    with pytest.raises(JobError, match="there is no local run 99"):
        runner.run(99)
    with pytest.raises(JobError, match="there is no local run 99"):
        runner.log(99)


def test_the_same_token_twice_is_one_run(runner):
    first = runner.trigger("test-slow", {"tag": "x"}, token="double-click", user="u@x.com")
    again = runner.trigger("test-slow", {"tag": "x"}, token="double-click", user="u@x.com")
    other = runner.trigger("test-slow", {"tag": "x"}, token="another-form", user="u@x.com")
    assert first == again != other
    GATE.set()
    follow(runner, other)
    assert len(runner.recent("test-slow")) == 2


def test_cancel_a_queued_run_at_once_and_a_running_one_at_its_next_check(runner):
    running = runner.trigger("test-slow", {}, token="r", user="u@x.com")
    queued = runner.trigger("test-slow", {}, token="q", user="u@x.com")
    follow(runner, running, "RUNNING")
    runner.cancel(queued)
    view = runner.run(queued)
    assert (view.state, view.result, view.duration_s) == ("TERMINATED", "CANCELED", None)
    runner.cancel(running)
    follow(runner, running)
    view = runner.run(running)
    assert view.result == "CANCELED" and view.outcome == "canceled" and view.message == "cancelled while running"
    runner.cancel(running)  # cancelling a finished run changes nothing
    assert runner.run(running).result == "CANCELED"


def test_a_reload_mid_run_and_after_sees_the_same_runs(console, runner):
    run_id = runner.trigger("test-slow", {"tag": "r"}, token="reload", user="u@x.com")
    follow(runner, run_id, "RUNNING")
    reloaded = local.LocalRunner(*console)  # a new session of the same console, over the same folder
    try:
        assert reloaded.run(run_id).state == "RUNNING"  # not taken for a stopped console's run
        assert reloaded.trigger("test-slow", {"tag": "r"}, token="reload", user="u@x.com") == run_id
        GATE.set()
        follow(reloaded, run_id)
        assert reloaded.run(run_id) == runner.run(run_id) and reloaded.run(run_id).result == "SUCCESS"
        assert reloaded.log(run_id) == runner.log(run_id) != ""
    finally:
        reloaded.close()


def test_a_cancel_from_another_session_stops_the_run(console, runner):
    run_id = runner.trigger("test-slow", {}, token="c", user="u@x.com")
    follow(runner, run_id, "RUNNING")
    other = local.LocalRunner(*console)
    try:
        other.cancel(run_id)
        follow(other, run_id)
        assert other.run(run_id).result == "CANCELED"
    finally:
        other.close()


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_runs_left_running_or_queued_by_a_stopped_console_read_as_failed(console):
    folder = local.default_state_dir(console[0])
    folder.mkdir()
    for run_id, state in ((1, "RUNNING"), (2, "QUEUED")):
        record = local.Record(run_id, "test-slow", {}, f"old-{run_id}", "u@x.com", time.time() - 60, state=state,
                              started_at=time.time() - 50 if state == "RUNNING" else None, pid=_dead_pid())
        (folder / f"{run_id}.json").write_text(json.dumps(dataclasses.asdict(record)))
    restarted = local.LocalRunner(*console)
    try:
        for run_id in (1, 2):
            view = restarted.run(run_id)
            assert (view.state, view.result, view.message) == ("TERMINATED", "FAILED", local.STOPPED)
        assert json.loads((folder / "1.json").read_text())["result"] == "FAILED"  # stored so
        new = restarted.trigger("test-broken", {}, token="new", user="u@x.com")
        assert new == 3  # ids go on after the old runs
    finally:
        restarted.close()


def test_a_process_that_only_reads_the_file_fails_the_run_with_what_to_do(writable_demo, jobs):
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(writable_demo)})
    reader = EmbeddedEngine.from_settings(settings)  # not the owner: a Streamlit run without `serve`
    made = local.LocalRunner(settings, reader)
    try:
        run_id = made.trigger("demo-append", {}, token="ro", user="u@x.com")
        follow(made, run_id)
        view = made.run(run_id)
        assert view.result == "FAILED" and "python -m telemetry serve" in view.message
        assert "which this process only reads" in view.message and "Traceback" not in made.log(run_id)
    finally:
        made.close()
        reader.close()


def test_after_a_run_the_engine_data_version_moves(runner, console):
    engine = console[1]
    before = engine.data_version
    GATE.set()
    follow(runner, runner.trigger("test-slow", {}, token="dv", user="u@x.com"))
    assert engine.data_version == before + 1


def test_local_runner_is_one_per_process_on_the_runtime_engine(writable_demo, jobs, monkeypatch):
    monkeypatch.setenv("TELEMETRY_EMBEDDED_OWNER", "1")
    runtime.use(None)
    first = local.local_runner()
    assert local.local_runner() is first and first.engine is runtime.engine()
    assert first.store.folder == writable_demo.with_name(writable_demo.name + ".runs")
    runtime.use(None)  # tests (and `use`) replace the engine: the runner follows it
    second = local.local_runner()
    assert second is not first and second.engine is runtime.engine()
    second.close()


def test_an_embedded_only_job_is_refused_on_a_warehouse_before_anything_opens():
    from telemetry.jobs import runner as cli_runner

    settings = load_settings({"TELEMETRY_ENGINE": "warehouse", "DATABRICKS_WAREHOUSE_ID": "abc123"})
    with pytest.raises(JobError, match="demo-append runs on the embedded demo database only"):
        cli_runner.run("demo-append", {}, settings=settings)
