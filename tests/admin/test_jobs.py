"""The admin Jobs model against a fake Jobs API through the real databricks-sdk: a viewer is refused on the
server side and nothing runs; a double click starts one run of only the job's task; states move; cancel and
repair; 403, unknown jobs, bad parameters and undeployed jobs are said in words; the history falls back to
system.lakeflow.job_run_timeline when the API does not answer."""

from __future__ import annotations

import pytest

from telemetry import identity, queries
from telemetry.admin import generations, history
from telemetry.admin import jobs as model
from telemetry.admin.jobs import ActionError
from tests.admin.deployed_env import ADMIN, APPS_JOB, GENIE_JOB, VIEWER, deployed_console, user
from tests.fakes.server import error


@pytest.fixture()
def console(monkeypatch):
    with deployed_console(monkeypatch) as (fake, ws):
        yield fake, ws


def test_a_viewer_calling_the_actions_directly_is_refused_and_nothing_runs(console):
    fake, ws = console
    viewer = user(VIEWER)
    before = generations.key_of(generations.source_keys())
    with pytest.raises(identity.NotAllowed, match="not an admin"):
        model.trigger(viewer, "genie-messages", {}, "nonce-1")
    with pytest.raises(identity.NotAllowed):
        model.cancel(viewer, "genie-messages", 1001)
    with pytest.raises(identity.NotAllowed):
        model.repair(viewer, "genie-messages", 1001)
    with pytest.raises(identity.NotAllowed):
        model.clear_cache(viewer)
    with pytest.raises(identity.NotAllowed):
        model.clear_cache(viewer, "audit")
    assert not ws.runs and fake.count("/jobs/") == 0
    assert generations.key_of(generations.source_keys()) == before


def test_a_double_click_starts_one_run_of_only_the_jobs_task(console):
    fake, ws = console
    admin = user(ADMIN)
    first = model.trigger(admin, "genie-messages", {"max_messages": "50"}, "form-1")
    again = model.trigger(admin, "genie-messages", {"max_messages": 50}, "form-1")  # the same form, clicked twice
    assert first == again and len(ws.runs) == 1 and fake.count("/jobs/run-now") == 2
    run = ws.runs[first]
    assert run.job_id == GENIE_JOB and run.only == ["genie_messages"]
    assert run.params["max_messages"] == "50"
    other = model.trigger(admin, "genie-messages", {"max_messages": 50}, "form-2")  # a new form instance
    assert other != first and len(ws.runs) == 2


def test_the_run_is_followed_to_its_result_then_cancel_and_repair(console):
    _, ws = console
    admin = user(ADMIN)
    run_id = model.trigger(admin, "genie-messages-to-fetch", {}, "n")
    seen = [model.run("genie-messages-to-fetch", run_id).state]
    ws.advance(run_id, "RUNNING")
    seen.append(model.run("genie-messages-to-fetch", run_id).state)
    model.cancel(admin, "genie-messages-to-fetch", run_id)
    done = model.run("genie-messages-to-fetch", run_id)
    assert seen == ["PENDING", "RUNNING"] and done.finished and done.outcome == "canceled"
    assert model.repair(admin, "genie-messages-to-fetch", run_id) == run_id  # repaired in place
    assert ws.runs[run_id].repairs and model.run("genie-messages-to-fetch", run_id).state == "PENDING"


def test_refusals_and_bad_input_are_messages_and_send_nothing_bad(console):
    fake, ws = console
    admin = user(ADMIN)
    with pytest.raises(ActionError, match="CAN_MANAGE_RUN"):  # 403 on run-now
        model.trigger(admin, "apps-inventory", {}, "n")
    with pytest.raises(ActionError, match="no job called 'no-such-job'"):
        model.trigger(admin, "no-such-job", {}, "n")
    with pytest.raises(ActionError, match="at least 1"):  # validated before anything is sent
        model.trigger(admin, "apps-inventory", {"page_size": "0"}, "n")
    with pytest.raises(ActionError, match="has no parameter"):
        model.trigger(admin, "apps-inventory", {"nope": "1"}, "n")
    with pytest.raises(ActionError, match="has no deployed job id.*TELEMETRY_JOB_ID_GENIE_SPACES"):
        model.trigger(admin, "genie-spaces", {}, "n")
    with pytest.raises(ActionError, match="run 4242"):
        model.cancel(admin, "genie-messages", 4242)
    assert fake.count("/jobs/run-now") == 1 and not ws.runs  # only the 403 call reached the API


def test_an_unknown_deployed_job_id_says_what_to_check(monkeypatch):
    with deployed_console(monkeypatch, GENIE_MESSAGES=999) as (_, ws):
        with pytest.raises(ActionError, match="not found.*databricks bundle deploy"):
            model.trigger(user(ADMIN), "genie-messages", {}, "n")
        assert not ws.runs


def test_rows_say_where_each_job_runs_and_show_the_api_history(console):
    _, ws = console
    admin = user(ADMIN)
    run_id = model.trigger(admin, "genie-messages", {}, "n")
    ws.advance(run_id, "TERMINATED", "FAILED", "Task genie_messages failed: 429 from the Genie API")
    rows = {r.job.name: r for r in model.rows()}
    assert "demo-append" not in rows  # the embedded demo's own job is not offered on a warehouse
    genie = rows["genie-messages"]
    assert genie.mode == model.DEPLOYED and genie.job_id == GENIE_JOB and genie.source == model.SOURCE_API
    assert [(r.run_id, r.outcome) for r in genie.runs] == [(run_id, "failed")] and "429" in genie.runs[0].message
    spaces = rows["genie-spaces"]
    assert spaces.mode == model.NOT_DEPLOYED and not spaces.can_run and "TELEMETRY_JOB_ID_GENIE_SPACES" in spaces.how_to
    assert rows["apps-inventory"].job_id == APPS_JOB and rows["apps-inventory"].runs == ()


def test_history_falls_back_to_the_run_timeline_when_the_api_does_not_answer(demo_env, monkeypatch):
    from telemetry.engine.embedded import EmbeddedEngine

    demo = EmbeddedEngine(demo_env)
    try:
        ids = queries.run("admin/job_runs", engine=demo, job_ids="", job_names="", start_date=_long_ago(),
                           limit=1).frame
        job_id = int(ids.loc[ids["job_name"] == "ops-console-genie-ingest", "job_id"].iloc[0])
        with deployed_console(monkeypatch, GENIE_MESSAGES=job_id) as (fake, _):
            fake.fail("/jobs/runs/list", error(500, "the control plane is down"), times=-1)
            rows = {r.job.name: r for r in model.rows(run_query=lambda r: queries.run(r.name, engine=demo,
                                                                                     **r.params))}
    finally:
        demo.close()
    genie = rows["genie-messages"]
    assert genie.source == model.SOURCE_TIMELINE and "job_run_timeline" in genie.note and "down" in genie.note
    assert 0 < len(genie.runs) <= history.RUNS_SHOWN and {r.job_id for r in genie.runs} == {job_id}
    assert all(r.finished for r in genie.runs) and genie.runs[0].started >= genie.runs[-1].started
    assert {r.result for r in genie.runs} <= {"SUCCESS", "FAILED", "TIMEDOUT", "CANCELED"}
    assert fake.count("/jobs/runs/list") >= 1


def test_jobs_never_run_here_show_the_embedded_databases_own_job_history(demo_env):
    """On the embedded demo a job nobody ran from this console shows its bundle job's runs from the
    mirrored run timeline (so Data health's "last success" is not empty), saying so; demo-append,
    which has no bundle job, has no history until it runs."""
    from telemetry import runtime
    from telemetry.jobs.deployed import BUNDLE_JOBS

    runtime.use(None)
    rows = {r.job.name: r for r in model.rows(runtime.settings())}
    for name in ("apps-inventory", "app-logins-rollup"):  # one bundle job, hourly: more runs than are shown
        row = rows[name]
        assert row.mode == model.LOCAL and row.source == model.SOURCE_TIMELINE, row
        assert BUNDLE_JOBS[name] in row.note and "Run now runs the job here" in row.note
        assert len(row.runs) == history.RUNS_SHOWN and row.runs[0].started >= row.runs[-1].started
    assert rows["apps-inventory"].runs == rows["app-logins-rollup"].runs  # the same bundle job's runs
    assert rows["genie-spaces"].runs != rows["apps-inventory"].runs
    assert rows["demo-append"].source == model.SOURCE_LOCAL and not rows["demo-append"].runs


def _long_ago():
    from datetime import date

    return date(2000, 1, 1)


def test_clear_cache_bumps_only_the_sources_generation(console):
    admin = user(ADMIN)
    assert generations.tables_of("app_usage/kpis") == {"apps_inventory", "app_logins_rollup"}
    audit_q, tracker_q = generations.of_query("app_usage/kpis"), generations.of_query("tracker/kpis")
    model.clear_cache(admin, "app_logins_rollup")
    assert generations.of_query("app_usage/kpis") != audit_q and generations.of_query("tracker/kpis") == tracker_q
    model.clear_cache(admin)
    assert generations.of_query("tracker/kpis") != tracker_q
    with pytest.raises(ActionError, match="no source called 'nope'"):
        model.clear_cache(admin, "nope")
