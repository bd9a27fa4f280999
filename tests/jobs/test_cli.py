"""`python -m telemetry jobs list/run` (and the `rollup` alias) through `telemetry.__main__.main`, on a
writable copy of the demo: what is printed, and the exit codes (0 done, 1 the job failed, 2 bad input)."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from telemetry.__main__ import main
from telemetry.jobs import catalog
from tests.fakes.apps_routes import LIST, FakeApps, app_json
from tests.fakes.server import FakeDatabricks, error

REPORT = r"read [\d,]+, written [\d,]+, failed [\d,]+, skipped [\d,]+ in [\d.]+ s"


def test_list_shows_every_job_with_its_parameters_and_tables(capsys):
    assert main(["jobs", "list"]) == 0
    out = capsys.readouterr().out
    for job in catalog.JOBS:
        assert f"\n{job.name}\n" in f"\n{out}" and job.description in out
    assert "  reads audit → writes genie_messages_to_fetch\n" in out
    assert "  --param lookback_days=30  (int, 1–365) days of audit log a first run (empty queue) reads" in out
    assert "  reads api:apps → writes apps_inventory\n" in out
    assert "  --param days=3  (int, 1–365)" in out


def test_run_prints_one_line_and_a_rerun_queues_nothing_new(writable_demo, capsys):
    import re

    assert main(["jobs", "run", "genie-messages-to-fetch", "--param", "overlap_hours=48"]) == 0
    first = capsys.readouterr()
    assert re.fullmatch(rf"genie-messages-to-fetch: {REPORT} \(since .*\)\n", first.out), first.out
    assert "reading aibiGenie audit events since" in first.err  # progress goes to stderr
    assert main(["jobs", "run", "genie-messages-to-fetch", "-p", "overlap_hours=48"]) == 0
    assert ", written 0, " in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["jobs", "run", "genie-messages-to-fetch", "--param", "lookback_days=0"], "lookback_days='0': must be at least 1"),
    (["jobs", "run", "genie-messages-to-fetch", "--param", "lookback_days=soon"], "expected a whole number"),
    (["jobs", "run", "genie-messages-to-fetch", "--param", "colour=red"], "has no parameter colour"),
    (["jobs", "run", "genie-messages-to-fetch", "--param", "lookback_days"], "write it as NAME=VALUE"),
    (["jobs", "run", "no-such-job"], "no job called 'no-such-job'; the jobs are: genie-messages-to-fetch"),
    (["rollup", "--days", "0"], "days='0': must be at least 1"),
])
def test_bad_input_exits_2_with_the_reason(writable_demo, capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_a_failed_api_job_exits_1_with_one_line_and_no_traceback(writable_demo, monkeypatch, capsys):
    with FakeDatabricks() as fake:
        FakeApps([app_json("alpha", 1)]).install(fake)
        fake.fail(f"^{LIST}$", error(403, "Forbidden for this principal"), times=-1)
        monkeypatch.setenv("DATABRICKS_HOST", fake.url)
        monkeypatch.setenv("DATABRICKS_TOKEN", "fake-token")
        assert main(["jobs", "run", "apps-inventory"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("apps-inventory failed: the job's identity may not list apps (Forbidden for this")
    assert "Config:" not in err[-1] and "Traceback" not in "\n".join(err)


def test_an_api_job_without_credentials_says_how_to_sign_in(writable_demo, capsys):
    assert main(["jobs", "run", "apps-inventory"]) == 1
    err = capsys.readouterr().err
    assert "apps-inventory failed: cannot sign in to the Databricks workspace" in err and "DATABRICKS_HOST" in err


def test_an_inventory_run_on_the_demo_then_the_rollup(writable_demo, monkeypatch, capsys):
    with FakeDatabricks() as fake:
        FakeApps([app_json("alpha", 1)]).install(fake)
        monkeypatch.setenv("DATABRICKS_HOST", fake.url)
        monkeypatch.setenv("DATABRICKS_TOKEN", "fake-token")
        assert main(["jobs", "run", "apps-inventory", "--param", "page_size=10"]) == 0
    assert capsys.readouterr().out.startswith("apps-inventory: read 1, written 1, failed 0, skipped 0 in ")
    assert main(["jobs", "run", "app-logins-rollup", "--param", "days=2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("app-logins-rollup: read ") and "main.ops_console.app_logins_hourly" in out


def test_rollup_is_an_alias_of_the_job(writable_demo, capsys):
    assert main(["rollup", "--days", "2"]) == 0
    assert capsys.readouterr().out.startswith("app-logins-rollup: read ")


def test_a_database_held_by_a_running_console_is_a_clear_error(writable_demo, capsys):
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], "
                               "read_only=True); print('ready', flush=True); time.sleep(60)", str(writable_demo)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert main(["jobs", "run", "app-logins-rollup"]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "app-logins-rollup failed: " in err and "held by another process" in err and "Traceback" not in err
    time.sleep(0.1)
    with duckdb.connect(str(writable_demo), read_only=True):
        pass  # the failed run left the file closed


def test_schema_option_points_the_job_at_another_schema(writable_demo, monkeypatch, capsys):
    """The bundle's serverless tasks have no environment: `--schema ${var.schema}` is how they learn where
    the console's tables are. The queue then lands in that schema, not in the default one."""
    from telemetry import runtime
    from telemetry.engine.dialect import mirror_table_name

    monkeypatch.setenv("TELEMETRY_SCHEMA", "main.ops_console")  # restored after the test (the CLI sets it)
    assert main(["jobs", "run", "genie-messages-to-fetch", "--schema", "elsewhere.console"]) == 0
    con = duckdb.connect(str(writable_demo), read_only=True)
    moved = con.execute(f"SELECT count(*) FROM {mirror_table_name('elsewhere.console.genie_messages_to_fetch')}")
    assert moved.fetchone()[0] > 0
    con.close()
    with pytest.raises(SystemExit) as stopped:
        main(["jobs", "run", "genie-messages-to-fetch", "--schema", "not a schema"])
    said = capsys.readouterr().err
    assert stopped.value.code == 2 and "TELEMETRY_SCHEMA='not a schema' must be catalog.schema" in said
    monkeypatch.setenv("TELEMETRY_SCHEMA", "main.ops_console")
    runtime.use(None)
