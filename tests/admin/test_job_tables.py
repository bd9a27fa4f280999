"""What the Jobs page draws from the registry and the runs: one form field per declared parameter with the
widget kind its type asks for, the runs table, and which runs offer a rerun."""

from __future__ import annotations

from datetime import UTC, date, datetime

from telemetry.admin import job_tables
from telemetry.admin.jobs import LOCAL, JobRow
from telemetry.jobs.registry import Job, JobReport, Param
from telemetry.jobs.remote import RunView

JOB = Job("test-form", "Every kind of field.", lambda c, p: JobReport(), params=(
    Param("batch", int, 10, "rows per batch", 1, 100), Param("ratio", float, None, "a share", 0, 1),
    Param("dry_run", bool, False, "write nothing"), Param("since", date, None, "first day"),
    Param("mode", str, "fast", "how", choices=("fast", "full")), Param("tag", str, "", "a label")))


def _run(run_id: int, state: str, result: str | None, **kw) -> RunView:
    return RunView(run_id, 0, state, result, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), 42.0, "ONE_TIME",
                   "a@corp.com", **kw)


def test_the_form_has_one_field_per_parameter_of_the_right_kind():
    fields = {f.name: f for f in job_tables.fields(JOB)}
    assert {n: f.kind for n, f in fields.items()} == {"batch": "int", "ratio": "float", "dry_run": "bool",
                                                       "since": "date", "mode": "choice", "tag": "text"}
    assert (fields["batch"].minimum, fields["batch"].maximum, fields["batch"].default) == (1, 100, 10)
    assert fields["mode"].choices == ("fast", "full") and fields["dry_run"].label == "Dry run"


def test_runs_table_and_which_runs_offer_a_rerun():
    runs = (_run(3, "RUNNING", None), _run(2, "TERMINATED", "FAILED", parameters={"b": "2", "a": "1"},
                                            message="boom", url="https://x/run/2"), _run(1, "TERMINATED", "SUCCESS"))
    frame = job_tables.runs_frame(runs)
    assert list(frame["outcome"]) == ["running", "failed", "success"]
    assert frame.loc[1, "parameters"] == "a=1, b=2" and frame.loc[1, "url"] == "https://x/run/2"
    assert frame["started"].iloc[0] == datetime(2026, 1, 2, 3, 4, 5)  # naive UTC, as the tables show times
    assert [job_tables.failed(r) for r in runs] == [False, True, False]
    assert job_tables.failed(_run(4, "TERMINATED", "CANCELED")) and job_tables.failed(_run(5, "INTERNAL_ERROR", None))
    assert job_tables.status_line(runs[1]) == "Run 2: **failed** · started 03:04:05 UTC · 42 s · boom"
    summary = job_tables.summary([JobRow(JOB, LOCAL, runs=runs, source="local runner")])
    assert summary.loc[0, "last_outcome"] == "running"
    assert summary.loc[0, "last_success"] == datetime(2026, 1, 2, 3, 4, 5)


def test_a_local_api_job_says_it_needs_workspace_credentials():
    from telemetry.admin.jobs import DEPLOYED
    from telemetry.jobs import catalog

    inventory, rollup = catalog.get("apps-inventory"), catalog.get("app-logins-rollup")
    said = job_tables.needs_workspace(JobRow(inventory, LOCAL))
    assert "Apps API" in said and "DATABRICKS_HOST" in said
    assert job_tables.needs_workspace(JobRow(rollup, LOCAL)) == ""  # reads tables only
    assert job_tables.needs_workspace(JobRow(inventory, DEPLOYED, 1)) == ""  # the job's own identity signs in
