"""demo-append on a real demo built a day and a half ago: run from the console's local runner it adds
sign-ins, tracker events and Genie rows up to now, App usage's KPI query counts the new sign-ins, a
second run adds about nothing, the same window always gives the same rows, and a cancel (or any
failure) between tables leaves the database as it was."""

from __future__ import annotations

import re
import shutil
import time
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from telemetry import queries
from telemetry.apps import usage
from telemetry.config import load_settings
from telemetry.demo import build
from telemetry.engine.dialect import mirror_table_name
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.jobs import local
from telemetry.jobs.registry import JobCancelled, JobContext, JobError
from telemetry.mirror import append
from telemetry.mirror.build import default_now

HOURS_OLD = 30
KEYS = ("audit", "tracker", "query_history", "genie_message_details", "genie_messages_to_fetch", "spans")


@pytest.fixture(scope="module")
def old_demo(tmp_path_factory):
    """A small demo whose newest events are HOURS_OLD hours old (as a demo built yesterday). 30 days:
    a shorter build at this scale can have no export request at all, which the span generator cannot
    build (telemetry.mirror.ids.keyed_hex of no keys)."""
    path = tmp_path_factory.mktemp("old-demo") / "demo.duckdb"
    build(path, load_settings({}), scale=0.05, days=30, seed=11, now=default_now() - timedelta(hours=HOURS_OLD))
    return path


@pytest.fixture()
def copy(old_demo, tmp_path):
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(old_demo, target)
    return target


def _counts(path) -> dict[str, int]:
    tables = load_settings({}).tables
    with duckdb.connect(str(path), read_only=True) as con:
        return {k: con.execute(f"SELECT count(*) FROM {mirror_table_name(tables[k])}").fetchall()[0][0] for k in KEYS}


def _sign_ins(engine, settings) -> int:
    """App usage's KPI query for yesterday and today (UTC): the current period's sign-ins."""
    today = datetime.now(UTC).date()
    request = usage.request("kpis", usage.Filters(today - timedelta(days=1), today), settings)
    frame = queries.run(request.name, engine=engine, settings=settings, **request.params).frame
    current = frame[frame["period"] == "current"]
    return int(current["logins"].iloc[0]) if len(current) else 0


def _written(message: str) -> int:
    return int(re.search(r"written ([\d,]+)", message).group(1).replace(",", ""))


def _follow(runner, run_id, timeout_s: float = 120.0):
    deadline = time.monotonic() + timeout_s
    while not runner.run(run_id).finished:
        assert time.monotonic() < deadline, runner.run(run_id)
        time.sleep(0.05)
    return runner.run(run_id)


def test_the_console_appends_up_to_now_and_app_usage_counts_the_new_sign_ins(copy, capsys):
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(copy), "TELEMETRY_EMBEDDED_OWNER": "1"})
    engine = EmbeddedEngine.from_settings(settings)
    runner = local.LocalRunner(settings, engine)
    try:
        before, signed_in = _counts_live(engine, settings), _sign_ins(engine, settings)
        started = time.perf_counter()
        first = _follow(runner, runner.trigger("demo-append", {}, token="one", user="newcomer@example.com"))
        seconds = time.perf_counter() - started
        assert first.result == "SUCCESS", first.message
        after = _counts_live(engine, settings)
        assert after["audit"] > before["audit"] and after["tracker"] > before["tracker"]
        assert _sign_ins(engine, settings) > signed_in  # the rollup was refreshed: the page's number moved
        assert f"audit +{after['audit'] - before['audit']:,}" in first.message
        assert "app_logins_rollup refreshed" in first.message
        second = _follow(runner, runner.trigger("demo-append", {}, token="two", user="newcomer@example.com"))
        assert second.result == "SUCCESS" and _written(second.message) <= max(20, _written(first.message) // 50)
        with capsys.disabled():
            print(f"\ndemo-append (scale 0.05, {HOURS_OLD} h old): {first.message} [{seconds:.1f} s]; "
                  f"again: {second.message}")
    finally:
        runner.close()
        engine.close()


def _counts_live(engine, settings) -> dict[str, int]:
    return {k: int(engine.run(f"SELECT count(*) AS n FROM {settings.table(k)}").frame.iloc[0, 0]) for k in KEYS}


def _run_job(path, now: datetime, cancelled=lambda: False):
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
    engine = EmbeddedEngine(path, read_only=False, timeout_s=600)
    try:
        context = JobContext(engine=engine, settings=settings, workspace=lambda: None, log=lambda line: None,
                             now=lambda: now, cancelled=cancelled)
        return append.JOB.execute(context, {"max_hours": "48"})
    finally:
        engine.close()


def _fingerprint(path, since: datetime) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*), sum(hash(event_id)), max(event_time) FROM system__access.audit "
                           "WHERE event_time > $since", {"since": since}).fetchall()[0]


def test_the_same_window_gives_the_same_rows(old_demo, tmp_path):
    now = default_now() + timedelta(minutes=7)
    paths = [tmp_path / f"{name}.duckdb" for name in ("a", "b")]
    reports = []
    for path in paths:
        shutil.copyfile(old_demo, path)
        reports.append(_run_job(path, now))
    since = now - timedelta(hours=HOURS_OLD + 1)
    assert reports[0].written == reports[1].written > 0 and reports[0].notes == reports[1].notes
    assert _fingerprint(paths[0], since) == _fingerprint(paths[1], since)
    assert _fingerprint(paths[0], since)[2] <= now  # nothing in the future


def test_a_cancel_between_tables_leaves_the_database_as_it_was(copy):
    before = _counts(copy)
    checks = iter([False, True])  # let the sign-ins through, then cancel before Genie
    with pytest.raises(JobCancelled):
        _run_job(copy, default_now(), cancelled=lambda: next(checks, True))
    assert _counts(copy) == before  # one transaction: the sign-ins written before the cancel are gone


def test_a_database_the_demo_did_not_build_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(JobError, match="not built by `python -m telemetry demo`"):
        _run_job(path, default_now())
