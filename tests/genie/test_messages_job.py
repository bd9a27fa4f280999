"""Job genie-messages with the real databricks-sdk against the fake workspace: fetches, faults (403,
404, 429 with Retry-After, 500, timeouts, malformed and partial payloads, unknown enum values),
retries up to the limit, idempotent reruns, and a run killed half-way through (in a subprocess)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.genie import messages_job
from telemetry.jobs import tables
from telemetry.jobs.registry import JobContext, JobError, JobReport
from tests.fakes.genie_routes import FakeGenie
from tests.fakes.server import FakeDatabricks, Reply, error

ROOT = Path(__file__).resolve().parents[2]
DETAILS = "main.ops_console.genie_message_details"
QUEUE = "main.ops_console.genie_messages_to_fetch"
ERRORS = "main.ops_console.genie_fetch_errors"
T0 = datetime(2026, 1, 5, 9, 0)


@pytest.fixture()
def db(tmp_path):
    engine = EmbeddedEngine(tmp_path / "genie.duckdb", read_only=False, row_cap=100_000)
    tables.ensure_tables(engine, load_settings({}), *messages_job.TABLES)
    yield engine
    engine.close()


@pytest.fixture()
def fake():
    with FakeDatabricks() as server:
        yield server


@pytest.fixture()
def genie(fake) -> FakeGenie:
    genie = FakeGenie().install(fake)
    genie.add_space("Sales")
    return genie


def space(genie: FakeGenie) -> str:
    return next(iter(genie.spaces))


def enqueue(engine, genie: FakeGenie, messages: list[dict]) -> None:
    rows = [genie.queue_row(m, event_time=T0 - timedelta(minutes=len(messages) - i), discovered_at=T0,
                            last_attempt_at=None) for i, m in enumerate(messages)]
    tables.merge_rows(engine, load_settings({}), "genie_jobs/merge_queue_rows", rows)


def run(engine, fake, *, at: datetime = T0, attempts: int | None = None, http_timeout_s: float = 5,
        retry_timeout_s: float = 10, **params) -> JobReport:
    env = {"TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS": str(attempts)} if attempts else {}
    client = fake.client(http_timeout_s=http_timeout_s, retry_timeout_s=retry_timeout_s)
    context = JobContext(engine=engine, settings=load_settings(env), workspace=lambda: client,
                         log=lambda _: None, now=lambda: at)
    return messages_job.JOB.execute(context, params)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def rows(engine, sql: str, **params) -> list[dict]:
    """Result rows as plain values (None for NULL, datetimes)."""
    return messages_job.records(engine.run(sql, params).frame)


def queue_state(engine) -> dict[str, tuple]:
    return {r["message_id"]: (r["status"], r["attempts"])
            for r in rows(engine, f"SELECT message_id, status, attempts FROM {QUEUE}")}


def path_of(message: dict) -> str:
    return f"/messages/{message['message_id']}$"


def test_every_queued_message_is_fetched_once_and_a_rerun_writes_nothing(db, fake, genie):
    messages = [genie.add_message(space(genie), failed=i % 4 == 0) for i in range(12)]
    enqueue(db, genie, messages)
    report = run(db, fake)
    assert (report.read, report.written, report.failed) == (12, 12, 0)
    stored = {r["message_id"]: r for r in rows(db, f"SELECT * FROM {DETAILS}")}
    assert set(stored) == {m["message_id"] for m in messages}
    for m in messages:
        row = stored[m["message_id"]]
        assert row["status"] == m["status"] and row["content"] == m["content"]
        assert row["user_email"] == "someone@example.com" and row["workspace_id"] == genie.workspace_id
        if m["status"] == "COMPLETED":
            assert row["generated_sql"] == m["attachments"][0]["query"]["query"]
            assert row["statement_id"] == m["query_result"]["statement_id"]
        else:
            assert row["error_type"] == "SQL_EXECUTION_EXCEPTION"
    assert set(queue_state(db).values()) == {("FETCHED", 1)}
    calls = fake.count("/messages/")
    again = run(db, fake, at=T0 + timedelta(hours=1))
    assert (again.read, again.written) == (0, 0) and fake.count("/messages/") == calls
    assert rows(db, f"SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM {DETAILS}") == [{"n": 12, "d": 12}]


def test_a_message_still_being_answered_stays_pending_without_using_an_attempt(db, fake, genie):
    busy = genie.add_message(space(genie), status="EXECUTING_QUERY")
    enqueue(db, genie, [busy])
    report = run(db, fake)
    assert (report.read, report.written, report.skipped) == (1, 0, 1) and "1 still in progress" in report.notes
    assert queue_state(db)[busy["message_id"]] == ("PENDING", 0)
    busy["status"] = "COMPLETED"
    assert run(db, fake, at=T0 + timedelta(hours=1)).written == 1
    assert queue_state(db)[busy["message_id"]] == ("FETCHED", 1)


def test_enum_values_never_seen_are_stored_as_the_text_received(db, fake, genie):
    odd = genie.add_message(space(genie), failed=True, status="FAILED_IN_A_NEW_WAY",
                            error={"type": "QUANTUM_DECOHERENCE_EXCEPTION", "error": "cosmic rays"},
                            feedback={"rating": "SO_SO"})
    enqueue(db, genie, [odd])
    assert run(db, fake).written == 1
    [row] = rows(db, f"SELECT status, error_type, error_message, feedback_rating FROM {DETAILS}")
    assert row == {"status": "FAILED_IN_A_NEW_WAY", "error_type": "QUANTUM_DECOHERENCE_EXCEPTION",
                   "error_message": "cosmic rays", "feedback_rating": "SO_SO"}


def test_one_bad_message_never_stops_the_batch(db, fake, genie):
    messages = [genie.add_message(space(genie)) for _ in range(8)]
    broken, malformed, forbidden, partial = messages[:4]
    fake.fail(path_of(broken), error(500, "boom"), times=-1)
    fake.fail(path_of(malformed), Reply(200, raw=b'{"message_id": "cut off'), times=-1)
    fake.fail(path_of(forbidden), error(403, "no access to this space"), times=-1)
    genie.messages[(partial["space_id"], partial["conversation_id"], partial["message_id"])] = {"status": "COMPLETED"}
    enqueue(db, genie, messages)
    report = run(db, fake)
    assert (report.read, report.written, report.failed) == (8, 5, 3)
    errors = {r["message_id"]: r for r in rows(db, f"SELECT * FROM {ERRORS}")}
    assert (errors[broken["message_id"]]["http_status"], errors[broken["message_id"]]["error_code"]) == (
        500, "INTERNAL_ERROR")
    assert errors[malformed["message_id"]]["error_code"] == "MALFORMED_RESPONSE"
    assert (errors[forbidden["message_id"]]["http_status"], errors[forbidden["message_id"]]["error_code"]) == (
        403, "PERMISSION_DENIED")
    assert "Config:" not in errors[forbidden["message_id"]]["error_message"]
    assert {r["attempt"] for r in errors.values()} == {1}
    [kept] = rows(db, f"SELECT message_id, content FROM {DETAILS} WHERE message_id = :m", m=partial["message_id"])
    assert kept["content"] is None  # stored with what it had, under the queued ids
    state = queue_state(db)
    assert state[broken["message_id"]] == ("PENDING", 1) and state[partial["message_id"]] == ("FETCHED", 1)


def test_a_message_that_is_gone_is_given_up_at_once(db, fake, genie):
    ghost = {"space_id": space(genie), "conversation_id": "c" * 32, "message_id": "d" * 32}
    enqueue(db, genie, [ghost])
    report = run(db, fake)
    assert (report.failed, report.notes) == (1, ["1 given up"])
    assert queue_state(db)["d" * 32] == ("FAILED", 1)
    [err] = rows(db, f"SELECT http_status, error_code, attempt FROM {ERRORS}")
    assert err == {"http_status": 404, "error_code": "RESOURCE_DOES_NOT_EXIST", "attempt": 1}
    assert run(db, fake, at=T0 + timedelta(hours=1)).read == 0


def test_retries_stop_at_the_limit_and_a_later_success_resolves_its_errors(db, fake, genie):
    hopeless, flaky = genie.add_message(space(genie)), genie.add_message(space(genie))
    enqueue(db, genie, [hopeless, flaky])
    fake.fail(path_of(hopeless), error(500, "always"), times=-1)
    fake.fail(path_of(flaky), error(500, "twice"), times=2)
    runs = [T0 + timedelta(hours=h) for h in range(4)]
    reports = [run(db, fake, at=at, attempts=3) for at in runs]
    assert [r.read for r in reports] == [2, 2, 2, 0]  # the 4th run has nothing left to try
    assert fake.count(path_of(hopeless)) == 3
    assert queue_state(db) == {hopeless["message_id"]: ("FAILED", 3), flaky["message_id"]: ("FETCHED", 3)}
    errors = rows(db, f"SELECT message_id, attempt, resolved_at FROM {ERRORS} ORDER BY message_id, attempt")
    hopeless_errors = [e for e in errors if e["message_id"] == hopeless["message_id"]]
    flaky_errors = [e for e in errors if e["message_id"] == flaky["message_id"]]
    assert [e["attempt"] for e in hopeless_errors] == [1, 2, 3]
    assert [e["resolved_at"] for e in hopeless_errors] == [None, None, None]
    assert [e["attempt"] for e in flaky_errors] == [1, 2]
    assert [e["resolved_at"] for e in flaky_errors] == [runs[2], runs[2]]


def test_429_with_retry_after_is_honoured_inside_the_call(db, fake, genie):
    throttled = genie.add_message(space(genie))
    enqueue(db, genie, [throttled])
    fake.fail(path_of(throttled), error(429, "slow down", **{"Retry-After": "1"}), times=2)
    started = time.perf_counter()
    report = run(db, fake)
    assert time.perf_counter() - started >= 2.0  # waited Retry-After twice (the SDK adds < 1 s jitter)
    assert (report.written, report.failed) == (1, 0) and fake.count(path_of(throttled)) == 3


def test_429_that_outlasts_the_retry_budget_is_tried_again_next_run(db, fake, genie):
    throttled = genie.add_message(space(genie))
    enqueue(db, genie, [throttled])
    fake.fail(path_of(throttled), error(429, "slow down", **{"Retry-After": "2"}), times=-1)
    report = run(db, fake, retry_timeout_s=1)
    assert (report.written, report.failed) == (0, 1)
    [err] = rows(db, f"SELECT http_status, error_code, error_message FROM {ERRORS}")
    assert (err["http_status"], err["error_code"]) == (429, "REQUEST_LIMIT_EXCEEDED")
    assert err["error_message"].startswith("retries exhausted")
    assert queue_state(db)[throttled["message_id"]] == ("PENDING", 1)
    fake.faults.clear()
    assert run(db, fake, at=T0 + timedelta(hours=1)).written == 1
    assert rows(db, f"SELECT resolved_at FROM {ERRORS}")[0]["resolved_at"] == T0 + timedelta(hours=1)


def test_a_reply_slower_than_the_http_timeout_is_a_timeout_error(db, fake, genie):
    slow, fine = genie.add_message(space(genie)), genie.add_message(space(genie))
    enqueue(db, genie, [slow, fine])
    fake.fail(path_of(slow), Reply(200, {"status": "COMPLETED"}, delay_s=3), times=-1)
    report = run(db, fake, http_timeout_s=1, retry_timeout_s=1)
    assert (report.written, report.failed) == (1, 1)
    [err] = rows(db, f"SELECT message_id, http_status, error_code FROM {ERRORS}")
    assert (err["message_id"], err["error_code"]) == (slow["message_id"], "TIMEOUT")
    assert queue_state(db)[slow["message_id"]] == ("PENDING", 1)


def test_max_messages_limits_a_run_and_the_next_run_takes_the_rest(db, fake, genie):
    messages = [genie.add_message(space(genie)) for _ in range(7)]
    enqueue(db, genie, messages)
    assert run(db, fake, max_messages=3).read == 3
    first = {m for m, (s, _) in queue_state(db).items() if s == "FETCHED"}
    assert first == {m["message_id"] for m in messages[:3]}  # oldest events first
    assert run(db, fake, at=T0 + timedelta(hours=1), max_messages=0).read == 4


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_fetches_run_concurrently_up_to_the_bound(db, fake, genie, concurrency):
    genie.message_hold_s = 0.15
    enqueue(db, genie, [genie.add_message(space(genie)) for _ in range(16)])
    started = time.perf_counter()
    assert run(db, fake, concurrency=concurrency).written == 16
    elapsed = time.perf_counter() - started
    assert genie.max_in_flight == concurrency
    assert elapsed >= 16 // concurrency * 0.15  # never more at once than the bound


@pytest.mark.parametrize("raw", [{"concurrency": "0"}, {"concurrency": "33"}, {"max_messages": "-1"},
                                 {"max_messages": "lots"}, {"batch_size": "5"}, {"batch": "50"}])
def test_bad_parameters_are_refused_with_a_message(raw):
    with pytest.raises(JobError, match="concurrency|max_messages|batch"):
        messages_job.JOB.parse_params(raw)


_CHILD = """
import sys
from databricks.sdk import WorkspaceClient
from databricks.sdk.core import Config
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.genie import messages_job
from telemetry.jobs.registry import JobContext

path, url = sys.argv[1], sys.argv[2]
client = WorkspaceClient(config=Config(host=url, token="t", auth_type="pat", retry_timeout_seconds=10))
engine = EmbeddedEngine(path, read_only=False, row_cap=100000)
context = JobContext(engine=engine, settings=load_settings({}), workspace=lambda: client,
                     log=lambda line: print(line, flush=True))
messages_job.JOB.execute(context, {"concurrency": "4"})
print("finished", flush=True)
"""


def test_a_run_killed_half_way_is_finished_by_the_next_without_duplicates(tmp_path, genie):
    path = tmp_path / "crash.duckdb"
    engine = EmbeddedEngine(path, read_only=False)
    tables.ensure_tables(engine, load_settings({}), *messages_job.TABLES)
    messages = [genie.add_message(space(genie)) for _ in range(300)]
    enqueue(engine, genie, messages)
    engine.close()
    with FakeDatabricks(latency_s=0.02) as slow_fake:
        genie.install(slow_fake)
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path), slow_fake.url], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        first_batch = child.stdout.readline()  # printed after the first batch was written
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        assert first_batch.startswith("genie-messages: 100 fetched"), first_batch
        engine = EmbeddedEngine(path, read_only=False, row_cap=100_000)
        try:
            before = rows(engine, f"SELECT count(*) AS n FROM {DETAILS}")[0]["n"]
            assert 100 <= before < 300  # killed half-way: some written, some not
            report = run(engine, slow_fake, at=utc_now())
            assert report.read == 300 - before  # only what was missing is fetched again
            assert rows(engine, f"SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM {DETAILS}") == [
                {"n": 300, "d": 300}]
            assert set(queue_state(engine).values()) == {("FETCHED", 1)}
        finally:
            engine.close()


def test_on_the_demo_only_messages_not_fetched_yet_are_fetched(writable_demo, fake, genie):
    engine = EmbeddedEngine(writable_demo, read_only=False, row_cap=1_000_000, timeout_s=120)
    try:
        waiting = rows(engine, f"SELECT space_id, conversation_id, message_id FROM {QUEUE} q WHERE status = 'PENDING' "
                               f"AND NOT EXISTS (SELECT 1 FROM {DETAILS} d WHERE d.message_id = q.message_id)")
        for w in waiting:  # the demo's own pending messages exist in this fake workspace
            genie.add_message(w["space_id"], w["conversation_id"], message_id=w["message_id"])
        fresh = [genie.add_message(space(genie)) for _ in range(3)]
        enqueue(engine, genie, fresh)
        before = rows(engine, f"SELECT count(*) AS n FROM {DETAILS}")[0]["n"]
        report = run(engine, fake, at=utc_now() + timedelta(days=1))
        assert report.written == len(waiting) + 3 and report.failed == 0
        after = rows(engine, f"SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM {DETAILS}")[0]
        assert after == {"n": before + len(waiting) + 3, "d": before + len(waiting) + 3}
        assert rows(engine, f"SELECT count(*) AS n FROM {ERRORS} e WHERE resolved_at IS NULL AND EXISTS "
                            f"(SELECT 1 FROM {DETAILS} d WHERE d.message_id = e.message_id)") == [{"n": 0}]
        assert run(engine, fake, at=utc_now() + timedelta(days=2)).read == 0
    finally:
        engine.close()


def test_tables_from_an_older_version_are_written_by_column_name(tmp_path, fake, genie):
    engine = EmbeddedEngine(tmp_path / "old.duckdb", read_only=False)
    try:
        engine.run("CREATE SCHEMA IF NOT EXISTS main.ops_console")
        engine.run(f"CREATE TABLE {DETAILS} (message_id STRING, fetched_at TIMESTAMP, status STRING)")
        engine.run(f"CREATE TABLE {ERRORS} (message_id STRING, attempt INT, error_code STRING)")
        tables.ensure_tables(engine, load_settings({}), *messages_job.TABLES)
        good, bad = genie.add_message(space(genie)), genie.add_message(space(genie))
        fake.fail(path_of(bad), error(500, "boom"))
        enqueue(engine, genie, [good, bad])
        assert (run(engine, fake).written, run(engine, fake, at=T0 + timedelta(hours=1)).written) == (1, 1)
        [got] = rows(engine, f"SELECT message_id, status, fetched_at, content FROM {DETAILS} WHERE message_id = :m",
                     m=good["message_id"])
        assert got == {"message_id": good["message_id"], "status": "COMPLETED", "fetched_at": T0,
                       "content": good["content"]}
        [err] = rows(engine, f"SELECT message_id, attempt, error_code, http_status, resolved_at FROM {ERRORS}")
        assert err == {"message_id": bad["message_id"], "attempt": 1, "error_code": "INTERNAL_ERROR",
                       "http_status": 500, "resolved_at": T0 + timedelta(hours=1)}
    finally:
        engine.close()
