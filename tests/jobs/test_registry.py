"""The job registry's contract (Param and Job parsing, the report line) and the catalog built on it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from telemetry.config import TABLE_SPECS
from telemetry.jobs import catalog
from telemetry.jobs.registry import Job, JobCancelled, JobContext, JobError, JobReport, Param

DAYS = Param("days", int, 3, "days to recompute", 1, 365)


@pytest.mark.parametrize(("param", "raw", "value"), [
    (DAYS, "7", 7), (DAYS, " 12 ", 12), (DAYS, 5, 5), (DAYS, "", None),
    (Param("rate", float, 0.5, "", 0, 1), "0.25", 0.25),
    (Param("full", bool, False, ""), "yes", True), (Param("full", bool, False, ""), "OFF", False),
    (Param("day", date, None, ""), "2026-11-30", date(2026, 11, 30)),
    (Param("mode", str, "fast", "", choices=("fast", "slow")), "slow", "slow"),
    (Param("note", str, "", ""), "", ""),
])
def test_a_param_parses_text_to_its_type(param, raw, value):
    assert param.parse(raw) == value


@pytest.mark.parametrize(("param", "raw", "message"), [
    (DAYS, "0", "days='0': must be at least 1"), (DAYS, "366", "must be at most 365"),
    (DAYS, "three", "expected a whole number"), (DAYS, "2.5", "expected a whole number"),
    (DAYS, True, "expected a whole number"),
    (Param("full", bool, False, ""), "maybe", "expected true or false"),
    (Param("day", date, None, ""), "30/11/2026", r"expected a date \(YYYY-MM-DD\)"),
    (Param("mode", str, "fast", "", choices=("fast", "slow")), "medium", "choose one of fast, slow"),
])
def test_a_bad_value_is_a_job_error_naming_the_parameter(param, raw, message):
    with pytest.raises(JobError, match=message):
        param.parse(raw)


def _job(**kwargs) -> Job:
    return Job("demo-job", "does things", lambda context, params: JobReport(read=params["days"]),
               params=(DAYS, Param("full", bool, False, "")), **kwargs)


def test_job_params_default_what_is_not_given_and_refuse_unknown_names():
    job = _job()
    assert job.parse_params({}) == {"days": 3, "full": False}
    assert job.parse_params({"full": "true"}) == {"days": 3, "full": True}
    assert job.parse_params({"days": "", "full": None}) == {"days": 3, "full": False}  # empty: the default
    with pytest.raises(JobError, match=r"demo-job has no parameter colour, size \(it accepts days, full\)"):
        job.parse_params({"size": "1", "colour": "red"})


def test_execute_validates_then_runs_and_times_the_run():
    job = _job()
    context = JobContext(engine=None, settings=None, workspace=lambda: None)
    report = job.execute(context, {"days": "9"})
    assert report.read == 9 and report.seconds >= 0
    with pytest.raises(JobError):
        job.execute(context, {"days": "0"})


def test_a_context_is_never_cancelled_unless_its_runner_says_so():
    context = JobContext(engine=None, settings=None, workspace=lambda: None)
    context.check_cancelled()  # the default: never
    asked = []
    context = JobContext(engine=None, settings=None, workspace=lambda: None, cancelled=lambda: bool(asked))
    context.check_cancelled()
    asked.append(True)
    with pytest.raises(JobCancelled, match="cancelled") as caught:
        context.check_cancelled()
    assert isinstance(caught.value, JobError)  # callers that report a JobError report a cancel too


def test_a_job_is_deployable_unless_it_says_embedded_only():
    assert _job().embedded_only is False and _job(embedded_only=True).embedded_only is True


def test_the_report_is_one_line():
    report = JobReport(read=1234, written=56, failed=1, skipped=2, notes=["a", "b"], seconds=1.26)
    assert report.line("x") == "x: read 1,234, written 56, failed 1, skipped 2 in 1.3 s (a; b)"
    assert JobReport().line("y") == "y: read 0, written 0, failed 0, skipped 0 in 0.0 s"


# --- the catalog -------------------------------------------------------------------------------
TABLE_KEYS = {spec.key for spec in TABLE_SPECS}


def test_the_catalog_lists_the_pipeline_in_order():
    assert catalog.names() == ["genie-messages-to-fetch", "genie-messages", "genie-spaces", "apps-inventory",
                               "app-logins-rollup", "demo-append"]
    assert [job.name for job in catalog.JOBS if job.embedded_only] == ["demo-append"]  # not deployed


@pytest.mark.parametrize("job", catalog.JOBS, ids=lambda j: j.name)
def test_every_job_declares_what_it_touches_and_sane_params(job):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", job.name) and job.description.endswith(".")
    assert job.writes and set(job.writes) <= TABLE_KEYS
    assert all(r in TABLE_KEYS or r.startswith("api:") for r in job.reads)
    for param in job.params:
        assert re.fullmatch(r"[a-z_]+", param.name) and param.help
        if param.default is not None:
            assert param.parse(param.default) == param.default  # the default passes its own checks
    assert job.parse_params({}) == {p.name: p.default for p in job.params}


def test_get_finds_a_job_or_lists_the_names():
    assert catalog.get("apps-inventory").name == "apps-inventory"
    with pytest.raises(JobError, match="no job called 'apps-inventroy'; the jobs are: .*apps-inventory"):
        catalog.get("apps-inventroy")
