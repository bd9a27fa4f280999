"""The bundle's job tasks run registered jobs through jobs_entry.py, under the names the demo's job
history uses, chained in the order the data flows."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from telemetry.__main__ import _parser
from telemetry.jobs import catalog
from telemetry.mirror.jobs import CONSOLE_JOBS

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = yaml.safe_load((ROOT / "databricks.yml").read_text())["resources"]["jobs"]
TASKS = [(job, task) for job in BUNDLE.values() for task in job["tasks"]]


def test_every_registered_job_is_scheduled_under_a_known_job_name():
    scheduled = [task["spark_python_task"]["parameters"][2] for _, task in TASKS]
    assert sorted(scheduled) == sorted(catalog.names())
    assert {job["name"] for job in BUNDLE.values()} <= {name for name, *_ in CONSOLE_JOBS}


@pytest.mark.parametrize(("job", "task"), TASKS, ids=lambda x: x.get("task_key", x.get("name", "")))
def test_each_task_is_a_valid_jobs_run_command(job, task):
    python = task["spark_python_task"]
    assert (ROOT / python["python_file"]).resolve() == ROOT / "telemetry" / "jobs_entry.py"
    args = _parser().parse_args(python["parameters"])
    assert (args.command, args.jobs_command) == ("jobs", "run")
    raw = dict(item.split("=", 1) for item in args.param)
    catalog.get(args.name).parse_params(raw)  # declared parameters with valid values
    assert args.warehouse_id == "${var.warehouse_id}", shlex.join(python["parameters"])
    assert task["environment_key"] in {env["environment_key"] for env in job["environments"]}


def test_a_job_that_feeds_another_runs_first():
    order = {job["name"]: [t["spark_python_task"]["parameters"][2] for t in job["tasks"]] for job in BUNDLE.values()}
    assert order["ops-console-genie-ingest"] == ["genie-messages-to-fetch", "genie-messages"]
    assert order["ops-console-apps-inventory"] == ["apps-inventory", "app-logins-rollup"]
    for job in BUNDLE.values():
        for before, after in zip(job["tasks"], job["tasks"][1:], strict=False):
            assert [d["task_key"] for d in after["depends_on"]] == [before["task_key"]]
