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


# --- users add: the self-hosted login's credentials file ---------------------------------------------

import argparse  # noqa: E402
import io  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

import bcrypt  # noqa: E402
import yaml  # noqa: E402

from telemetry import cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _users(argv: list[str], password: str | None = None, monkeypatch=None) -> int:
    """`python -m telemetry users …` (the subcommand's own parser; __main__ registers the same one)."""
    parser = argparse.ArgumentParser(prog="python -m telemetry")
    cli.add_users_parser(parser.add_subparsers(dest="command", required=True))
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.cmd_users(parser.parse_args(["users", *argv]))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_users_add_creates_a_private_file_that_signs_in_through_the_gate(demo_env, tmp_path, monkeypatch, capsys):
    from tests.ui.test_gate import _app, _sign_in, _use_environment

    path = tmp_path / "auth.yaml"
    code = _users(["add", "Ops.Lead@corp.com", "--name", "Ops Lead", "--file", str(path), "--password-stdin"],
                  "a long enough password", monkeypatch)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "ops.lead@corp.com" in out.out and "TELEMETRY_AUTH_FILE=" in out.out
    assert path.stat().st_mode & 0o777 == 0o600
    cfg = _load(path)
    entry = cfg["credentials"]["usernames"]["ops.lead@corp.com"]
    assert entry["email"] == "Ops.Lead@corp.com" and entry["name"] == "Ops Lead"
    assert entry["password"].startswith("$2") and "a long enough password" not in path.read_text()
    assert len(cfg["cookie"]["key"]) >= 32
    _use_environment(monkeypatch, TELEMETRY_AUTH_FILE=str(path), TELEMETRY_ADMINS="ops.lead@corp.com")
    at = _sign_in(_app(), "ops.lead@corp.com", "a long enough password")
    assert at.session_state["login_email"] == "Ops.Lead@corp.com"
    assert at.title[0].value == "Overview" and any("Ops.Lead@corp.com · admin" in c.value for c in at.sidebar.caption)


def test_users_add_again_replaces_only_that_password(tmp_path, monkeypatch, capsys):
    path = tmp_path / "auth.yaml"
    assert _users(["add", "ann@corp.com", "--file", str(path), "--password-stdin"], "first password", monkeypatch) == 0
    assert _users(["add", "bob@corp.com", "--file", str(path), "--password-stdin"], "bob's password", monkeypatch) == 0
    before = _load(path)
    monkeypatch.setenv("TELEMETRY_AUTH_FILE", str(path))  # the default file
    assert _users(["add", "ANN@corp.com", "--password-stdin"], "second password", monkeypatch) == 0
    assert "Saved the new password" in capsys.readouterr().out
    after = _load(path)
    assert sorted(after["credentials"]["usernames"]) == ["ann@corp.com", "bob@corp.com"]
    ann = after["credentials"]["usernames"]["ann@corp.com"]["password"].encode()
    assert bcrypt.checkpw(b"second password", ann) and not bcrypt.checkpw(b"first password", ann)
    assert after["credentials"]["usernames"]["bob@corp.com"] == before["credentials"]["usernames"]["bob@corp.com"]
    assert after["cookie"]["key"] == before["cookie"]["key"]  # signed-in sessions stay valid
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_users_add_refuses_a_file_git_would_commit(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    (repo / "secrets").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("secrets/\n")
    assert _users(["add", "a@corp.com", "--file", str(repo / "auth.yaml"), "--password-stdin"], "password1",
                  monkeypatch) == 2
    err = capsys.readouterr().err
    assert "git work tree" in err and "does not ignore" in err and not (repo / "auth.yaml").exists()
    assert _users(["add", "a@corp.com", "--file", str(repo / "secrets" / "auth.yaml"), "--password-stdin"],
                  "password1", monkeypatch) == 0  # ignored by git: fine
    assert _users(["add", "a@corp.com", "--file", str(ROOT / "auth.yaml"), "--password-stdin"], "password1",
                  monkeypatch) == 2  # this repository's root
    assert not (ROOT / "auth.yaml").exists()


@pytest.mark.parametrize("argv, password, says", [
    (["add", "not-an-email", "--file", "{tmp}/a.yaml", "--password-stdin"], "password1", "not an e-mail"),
    (["add", "a@corp.com", "--file", "{tmp}/a.yaml", "--password-stdin"], "short", "at least 8 characters"),
    (["add", "a@corp.com", "--password-stdin"], "password1", "--file PATH"),
    (["add", "a@corp.com", "--file", "{tmp}/missing/a.yaml", "--password-stdin"], "password1", "does not exist"),
    (["add", "a@corp.com", "--file", "{tmp}/a.yaml"], None, "--password-stdin"),  # no terminal to prompt on
], ids=["bad-email", "short-password", "no-file", "no-folder", "no-terminal"])
def test_users_add_bad_input_is_one_clear_line(tmp_path, monkeypatch, capsys, argv, password, says):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if password is None:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert _users(argv, password, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and says in err and "Traceback" not in err, err
    assert not (tmp_path / "a.yaml").exists()


def test_users_add_refuses_a_file_that_is_not_a_credentials_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "a.yaml"
    path.write_text("- just\n- a list\n")
    assert _users(["add", "a@corp.com", "--file", str(path), "--password-stdin"], "password1", monkeypatch) == 2
    assert "not a streamlit-authenticator credentials file" in capsys.readouterr().err
    assert path.read_text() == "- just\n- a list\n"
