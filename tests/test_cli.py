"""The CLI: sql on the demo (Databricks constructs, parameters, errors), doctor, demo --if-missing."""

import json

import pytest

from telemetry.__main__ import main


def test_sql_runs_databricks_sql_on_the_embedded_engine(demo_env, capsys):
    code = main(["sql", "SELECT action_name, count(*) AS n FROM system.access.audit "
                        "WHERE service_name = \"apps\" GROUP BY ALL ORDER BY n DESC", "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    rows = json.loads(out.out)
    assert rows and {r["action_name"] for r in rows} & {"createApp", "deployApp", "startApp"}
    assert "rows in" in out.err


def test_sql_binds_parameters(demo_env, capsys):
    code = main(["sql", "SELECT :n + 1 AS x, :d AS d", "-p", "n=41", "-p", "d=2026-01-31", "--format", "csv"])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[1] == "42,2026-01-31"


def test_sql_reports_truncation(demo_env, capsys):
    assert main(["sql", "SELECT * FROM system.access.audit", "--max-rows", "3"]) == 0
    assert "truncated at 3" in capsys.readouterr().err


def test_sql_error_is_one_line_not_a_traceback(demo_env, capsys):
    assert main(["sql", "SELECT * FROM system.access.nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_bad_param_syntax(demo_env, capsys):
    assert main(["sql", "SELECT 1", "-p", "oops"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_doctor_passes_on_the_demo(demo_env, capsys):
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert "[FAIL]" not in out, out
    assert code == 0, out
    assert out.count("[ok  ]") >= 15


def test_doctor_names_the_missing_table_and_the_fix(demo_env, monkeypatch, capsys):
    monkeypatch.setenv("TELEMETRY_SPANS_TABLE", "main.ops_console.old_spans")
    from telemetry import runtime

    runtime.use(None)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] spans" in out and "main.ops_console.old_spans" in out and "fix:" in out


def test_doctor_on_an_unreachable_warehouse_is_clear(monkeypatch, capsys):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    monkeypatch.setenv("DATABRICKS_HOST", "http://127.0.0.1:9")
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-test")
    monkeypatch.setenv("TELEMETRY_QUERY_TIMEOUT_SECONDS", "1")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] engine warehouse" in out and "dapi-test" not in out


def test_config_error_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("TELEMETRY_ROW_CAP", "lots")
    with pytest.raises(SystemExit) as exit_info:
        main(["sql", "SELECT 1"])
    assert exit_info.value.code == 2
    assert "TELEMETRY_ROW_CAP" in capsys.readouterr().err


def test_demo_if_missing_skips_a_current_database(demo_env, capsys):
    assert main(["demo", "--if-missing", "--path", str(demo_env)]) == 0
    assert "nothing to do" in capsys.readouterr().err


def test_rollup_refreshes_the_window_idempotently(demo_db, tmp_path, monkeypatch, capsys):
    import shutil

    import duckdb

    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, copy)
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(copy))
    count = "SELECT count(*), sum(logins) FROM main__ops_console.app_logins_hourly"
    with duckdb.connect(str(copy), read_only=True) as con:
        before = con.execute(count).fetchone()
    assert main(["rollup", "--days", "60"]) == 0
    assert main(["rollup", "--days", "60"]) == 0  # twice: same rows, nothing doubled
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute(count).fetchone() == before
    assert "app_logins_hourly" in capsys.readouterr().out


def test_doctor_lists_app_actions_and_flags_configured_names_never_seen(demo_env, monkeypatch, capsys):
    from telemetry import runtime

    monkeypatch.setenv("TELEMETRY_APP_LIFECYCLE_ACTIONS", "deployApp,deployApplication")
    runtime.use(None)
    assert main(["doctor"]) == 0  # one unseen name among several: a warning
    out = capsys.readouterr().out
    assert "changeAppsAcl" in out and "keys: access_control_list" in out
    assert "[warn] TELEMETRY_APP_LIFECYCLE_ACTIONS: not seen in the last 30 days: deployApplication" in out
    monkeypatch.setenv("TELEMETRY_APPS_ACL_ACTION", "changeAppAcl")
    runtime.use(None)
    assert main(["doctor"]) == 1  # the only configured name never occurs: the setting is wrong
    assert "[FAIL] TELEMETRY_APPS_ACL_ACTION" in capsys.readouterr().out
