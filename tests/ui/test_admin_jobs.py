"""The admin Jobs page under AppTest. On the embedded demo (a writable copy the console owns, as `serve`
has it): Run now asks for a confirmation, then the run is followed until it ends; a second submit of the
same form starts no second run; cancel; a failing job says why and offers a rerun, with its log. Deployed
(a warehouse console on a fake Jobs API, the real databricks-sdk): 403 on run-now, an unknown job id and a
failed run are messages, not tracebacks; a job with no deployed id shows how to deploy it and no button."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import runtime
from telemetry.jobs import catalog, local
from telemetry.jobs.registry import Job, JobContext, JobError, JobReport, Param
from tests.admin.deployed_env import GENIE_JOB, deployed_console, no_warehouse

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
GATE = threading.Event()  # the slow job runs until a test opens it


def _slow(context: JobContext, params: dict[str, Any]) -> JobReport:
    context.log(f"slow: waiting ({params['tag']})")
    while not GATE.wait(0.01):
        context.check_cancelled()
    return JobReport(read=1, notes=[f"tag {params['tag']}"])


def _broken(context: JobContext, params: dict[str, Any]) -> JobReport:
    context.log("broken: starting")
    raise JobError("the source table main.nowhere.events does not exist")


SLOW = Job("test-slow", "Waits for the test.", _slow, params=(Param("tag", str, "first", "a label"),))
BROKEN = Job("test-broken", "Always fails.", _broken)


@pytest.fixture()
def console(writable_demo, monkeypatch):
    """The embedded console owning its demo copy, with the two test jobs registered beside the real ones."""
    monkeypatch.setenv("TELEMETRY_EMBEDDED_OWNER", "1")
    monkeypatch.setattr(catalog, "JOBS", (*catalog.JOBS, SLOW, BROKEN))
    runtime.use(None)
    GATE.clear()
    yield
    GATE.set()


def _jobs_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/admin/jobs.py").run()
    assert not at.exception, at.exception
    return at


def _run_now(at: AppTest, job: str) -> AppTest:
    """Submit the job's form, then confirm in the dialog."""
    at.button(key=f"run_now_{job}").click().run()
    assert f"confirm_{job}" in [b.key for b in at.button], "no confirmation dialog"
    return at.button(key=f"confirm_{job}").click().run()


def _wait(job: str, predicate, timeout_s: float = 20.0):
    runner = local.local_runner()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        runs = runner.recent(job)
        if runs and predicate(runs[0]):
            return runs[0]
        time.sleep(0.05)
    raise AssertionError(f"{job}: the run did not get there in {timeout_s} s: {runner.recent(job)}")


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def _outcomes(at: AppTest) -> list[str]:
    """The State column of every runs table on the page."""
    return [v for d in at.dataframe if "outcome" in d.value.columns for v in d.value["outcome"]]


def test_run_now_is_confirmed_then_followed_until_it_succeeds(console):
    at = _jobs_page()
    assert {"test-slow", "demo-append", "genie-messages"} <= {e.label.split("**")[1] for e in at.expander
                                                               if e.label.startswith("**")}
    at.button(key="run_now_test-slow").click().run()
    assert any("tag" in str(t.value) for t in at.table), "the dialog lists the parameters"
    assert not local.local_runner().recent("test-slow"), "nothing starts before the confirmation"
    at.button(key="confirm_test-slow").click().run()
    run = _wait("test-slow", lambda r: r.state == "RUNNING")
    assert any(f"Run {run.run_id} of test-slow started" in s for s in _texts(at.success))
    at.run()
    assert any(f"Run {run.run_id}: **running**" in m for m in _texts(at.markdown))
    assert f"cancel_test-slow_{run.run_id}" in [b.key for b in at.button]
    GATE.set()
    _wait("test-slow", lambda r: r.finished)
    at.run()
    assert any("**success**" in s and "tag first" in s for s in _texts(at.success)), _texts(at.success)
    assert not at.error and not at.exception
    assert "success" in _outcomes(at)


def test_a_second_submit_of_the_same_form_starts_no_second_run(console):
    at = _jobs_page()
    _run_now(at, "test-slow")
    first = _wait("test-slow", lambda r: True)
    at.run()  # a rerun of the page
    _run_now(at, "test-slow")  # the same form, the same values, submitted again while the run goes on
    assert [r.run_id for r in local.local_runner().recent("test-slow")] == [first.run_id]
    GATE.set()
    _wait("test-slow", lambda r: r.finished)
    at.run()  # the run ended: the form is a new instance, so the next submit is a new run
    _run_now(at, "test-slow")
    assert len(local.local_runner().recent("test-slow")) == 2


def test_a_running_run_is_cancelled(console):
    at = _jobs_page()
    _run_now(at, "test-slow")
    run = _wait("test-slow", lambda r: r.state == "RUNNING")
    at.run()
    at.button(key=f"cancel_test-slow_{run.run_id}").click().run()
    said = _texts(at.error)  # the end is said once: on this run if the job stopped in time, else the next
    done = _wait("test-slow", lambda r: r.finished)
    assert done.result == "CANCELED"
    at.run()
    assert any("**canceled**" in e for e in said + _texts(at.error)), said
    assert "canceled" in _outcomes(at) and not at.exception


def test_a_failing_job_says_why_offers_a_rerun_and_shows_its_log(console):
    at = _jobs_page()
    _run_now(at, "test-broken")
    failed = _wait("test-broken", lambda r: r.finished)
    assert failed.result == "FAILED"
    at.run()
    assert any("**failed**" in e and "main.nowhere.events does not exist" in e for e in _texts(at.error))
    assert not at.exception
    assert any("broken: starting" in c for c in _texts(at.code)), "the local log is shown"
    at.button(key=f"repair_test-broken_{failed.run_id}").click().run()
    rerun = _wait("test-broken", lambda r: r.run_id != failed.run_id)
    assert rerun.run_id != failed.run_id


@pytest.fixture()
def deployed(monkeypatch):
    with deployed_console(monkeypatch) as (fake, ws):
        yield fake, ws


def _as_admin(monkeypatch):
    """Signed in through the Apps proxy as the admin; the warehouse (the Overview on the way) refuses at once."""
    from telemetry.ui import session

    no_warehouse(monkeypatch)
    monkeypatch.setattr(session, "request_headers", lambda: {"X-Forwarded-Email": "admin@corp.com"})


def test_deployed_403_on_run_now_is_a_message(deployed, monkeypatch):
    _as_admin(monkeypatch)
    at = _run_now(_jobs_page(), "apps-inventory")
    assert any("CAN_MANAGE_RUN" in e for e in _texts(at.error)), _texts(at.error)
    assert not at.exception and not deployed[1].runs


def test_deployed_job_without_an_id_shows_how_to_deploy_and_no_button(deployed, monkeypatch):
    _as_admin(monkeypatch)
    at = _jobs_page()
    assert any("TELEMETRY_JOB_ID_GENIE_SPACES" in i and "databricks bundle deploy" in i for i in _texts(at.info))
    keys = [b.key for b in at.button]
    assert "run_now_genie-spaces" not in keys and "run_now_genie-messages" in keys
    assert "demo-append" not in " ".join(e.label for e in at.expander)


def test_deployed_unknown_job_id_is_a_message(monkeypatch):
    with deployed_console(monkeypatch, GENIE_MESSAGES=999) as (_, ws):
        _as_admin(monkeypatch)
        at = _run_now(_jobs_page(), "genie-messages")
        assert any("not found" in e and "databricks bundle deploy" in e for e in _texts(at.error)), _texts(at.error)
        assert not at.exception and not ws.runs


def test_deployed_run_follows_its_states_and_a_failed_one_is_repaired(deployed, monkeypatch):
    fake, ws = deployed
    _as_admin(monkeypatch)
    at = _run_now(_jobs_page(), "genie-messages")
    (run_id,) = ws.runs
    assert ws.runs[run_id].only == ["genie_messages"] and ws.runs[run_id].job_id == GENIE_JOB
    assert any(f"Run {run_id}: **pending**" in m for m in _texts(at.markdown))
    ws.advance(run_id, "RUNNING")
    at.run()
    assert any(f"Run {run_id}: **running**" in m for m in _texts(at.markdown))
    ws.advance(run_id, "TERMINATED", "FAILED", "Task genie_messages failed: 429 from the Genie API")
    at.run()
    assert any("**failed**" in e and "429" in e for e in _texts(at.error)), _texts(at.error)
    at.button(key=f"repair_genie-messages_{run_id}").click().run()
    assert ws.runs[run_id].repairs and not at.exception
    assert any(f"Run {run_id}: **pending**" in m for m in _texts(at.markdown))


def test_data_health_shows_the_gap_and_the_jobs_and_clears_one_source(writable_demo):
    from telemetry.admin import generations

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/admin/health.py").run()
    assert not at.exception and not at.error
    labels = {m.label for m in at.metric}
    assert {"Audit events", "Ingested", "Gap", "Given up"} <= labels
    summary = next(d.value for d in at.dataframe if "last_success" in d.value.columns)
    assert {"genie-messages", "demo-append"} <= set(summary["job"])
    before = generations.of_query("app_usage/kpis")
    audit_before = generations.of_query("genie/pipeline_gap")
    at.selectbox(key="clear_cache_source").select("Apps inventory")
    at.button(key="clear_cache_submit").click().run()
    assert any("Apps inventory" in s for s in _texts(at.success)), _texts(at.success)
    assert generations.of_query("app_usage/kpis") != before  # reads the apps inventory
    assert generations.of_query("genie/pipeline_gap") == audit_before  # does not


def test_a_viewer_cannot_open_the_jobs_page(demo_env, monkeypatch):
    monkeypatch.setenv("TELEMETRY_ADMINS", "someone.else@example.com")
    runtime.use(None)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    with pytest.raises(ValueError):  # not in the viewer's navigation (the page and every action re-check too)
        at.switch_page("pages/admin/jobs.py").run()
