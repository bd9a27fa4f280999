"""Job genie-messages-to-fetch on a writable copy of the demo: first load, reruns, the watermark, ids
found only in response.result, and the configured actions.

The demo's queue is full already (it models the job having run hourly), so the tests empty it or
delete part of it and watch what a run puts back; counts are checked against the audit log itself.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest

from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.genie import queue
from telemetry.jobs.registry import JobContext, JobReport
from telemetry.mirror.build import META_TABLE

QUEUE = "main.ops_console.genie_messages_to_fetch"
AUDIT = "system.access.audit"
CREATE_ACTIONS = ("createConversationMessage", "genieStartConversationMessage", "genieCreateConversationMessage",
                  "regenerateConversationMessage")


@pytest.fixture()
def engine(writable_demo):
    engine = EmbeddedEngine(writable_demo, read_only=False, row_cap=1_000_000, timeout_s=120)
    yield engine
    engine.close()


@pytest.fixture()
def now(engine) -> datetime:
    """The demo's clock: the end of its data window."""
    return pd.Timestamp(engine.run(f"SELECT window_end FROM {META_TABLE}").frame["window_end"].iloc[0]).to_pydatetime()


def run(engine, now: datetime, env: dict | None = None, **params) -> JobReport:
    context = JobContext(engine=engine, settings=load_settings(env or {}), workspace=_no_workspace,
                         log=lambda _: None, now=lambda: now)
    return queue.JOB.execute(context, params)


def _no_workspace():
    raise AssertionError("genie-messages-to-fetch must not call the Genie API")


def one(engine, sql: str, **params):
    return engine.run(sql, params).frame.iloc[0, 0]


def audit_messages(engine, since: datetime, actions=CREATE_ACTIONS) -> set[str]:
    """Message ids of successful message-creating Genie events since `since`, straight from the audit."""
    frame = engine.run(
        f"SELECT DISTINCT request_params['message_id'] AS m FROM {AUDIT} WHERE service_name = 'aibiGenie' "
        "AND array_contains(split(:actions, ','), action_name) AND response.status_code = 200 AND event_time >= :since",
        {"since": since, "actions": ",".join(actions)}).frame
    return set(frame["m"].dropna())


def queued(engine) -> pd.DataFrame:
    return engine.run(f"SELECT * FROM {QUEUE}").frame


def test_first_load_reads_the_lookback_and_queues_each_message_once(engine, now):
    engine.run(f"DELETE FROM {QUEUE}")
    report = run(engine, now, lookback_days=14)
    rows = queued(engine)
    expected = audit_messages(engine, now - timedelta(days=14))
    assert len(expected) > 100  # the demo has Genie traffic every day
    assert set(rows["message_id"]) == expected and rows["message_id"].is_unique
    assert report.written == report.read == len(expected) and report.skipped == 0
    assert (rows["status"] == "PENDING").all() and (rows["attempts"] == 0).all()
    assert (rows["discovered_at"] == pd.Timestamp(now)).all() and rows["last_attempt_at"].isna().all()
    assert rows[["workspace_id", "space_id", "conversation_id", "user_email", "event_time"]].notna().all().all()
    assert set(rows["source_action"]) <= set(CREATE_ACTIONS)


def test_a_rerun_writes_no_duplicate_and_keeps_every_status(engine, now):
    before = queued(engine).sort_values("message_id", ignore_index=True)
    assert set(before["status"]) >= {"FETCHED", "FAILED"}
    first = run(engine, now)
    second = run(engine, now + timedelta(minutes=5))
    after = queued(engine)
    assert second.written == 0 and second.skipped == second.read > 0
    assert after["message_id"].is_unique and len(after) == len(before) + first.written
    kept = after[after["message_id"].isin(before["message_id"])].sort_values("message_id", ignore_index=True)
    pd.testing.assert_frame_equal(kept, before)  # statuses, attempts and times untouched


def test_a_later_run_reads_from_the_watermark_less_the_overlap(engine, now):
    run(engine, now)  # catch up with the demo's last hour
    rows = queued(engine).sort_values("event_time", ascending=False, ignore_index=True)
    watermark = rows["event_time"].iloc[0].to_pydatetime()
    late = rows[rows["event_time"] < watermark].head(5)  # queued late: the newest row keeps the watermark
    old = rows[rows["event_time"] < watermark - timedelta(days=5)]["message_id"].iloc[0]
    engine.run(f"DELETE FROM {QUEUE} WHERE array_contains(split(:ids, ','), message_id)",
               {"ids": ",".join([*late["message_id"], old])})
    # no overlap: what lies before the watermark stays unread (a later clock: `written` counts this run's rows)
    assert run(engine, now + timedelta(minutes=1), overlap_hours=0).written == 0
    hours = int((watermark - late["event_time"].min().to_pydatetime()) / timedelta(hours=1)) + 1
    report = run(engine, now + timedelta(hours=1), overlap_hours=hours)
    assert report.written == len(late) == 5  # the rows inside the overlap come back, once
    assert report.notes[0] == f"since {watermark - timedelta(hours=hours):%Y-%m-%d %H:%M}"
    ids = set(queued(engine)["message_id"])
    assert set(late["message_id"]) <= ids and old not in ids  # older than the overlap: not reread


def _audit_event(engine, when: datetime, action: str, *, params: dict, result: dict | None = None,
                 status: int = 200, event_id: str) -> None:
    keys, values = list(params), list(params.values())
    engine.run(
        f"INSERT INTO {AUDIT} (event_id, event_time, event_date, workspace_id, service_name, action_name, "
        "request_params, response, user_identity) VALUES (:id, :t, CAST(:t AS DATE), '1111', 'aibiGenie', :action, "
        "map_from_arrays(split(:param_keys, ','), split(:param_values, ',')), named_struct('status_code', :status, "
        "'error_message', CAST(NULL AS STRING), 'result', :body), "
        "named_struct('email', 'new.user@example.com', 'subject_name', CAST(NULL AS STRING)))",
        {"id": event_id, "t": when, "action": action, "param_keys": ",".join(keys), "param_values": ",".join(values),
         "status": status, "body": json.dumps(result) if result else None})


def test_new_audit_rows_queue_only_those_with_ids_from_request_params_or_response_result(engine, now):
    run(engine, now)
    before = set(queued(engine)["message_id"])
    later = now + timedelta(minutes=30)
    # UI chat: the ids only in response.result (the space in request_params).
    _audit_event(engine, later, "createConversationMessage", params={"space_id": "sp-new"},
                 result={"conversation_id": "conv-new", "message_id": "msg-from-result"}, event_id="e1")
    _audit_event(engine, later, "createConversationMessage", params={"space_id": "sp-new"},  # logged twice
                 result={"conversation_id": "conv-new", "message_id": "msg-from-result"}, event_id="e2")
    _audit_event(engine, later, "genieCreateConversationMessage", event_id="e3",
                 params={"space_id": "sp-api", "conversation_id": "conv-api", "message_id": "msg-api"},
                 result={"message_id": "ignored-request-params-win"})
    _audit_event(engine, later, "genieStartConversationMessage", event_id="e4",  # nested GenieMessage
                 params={"space_id": "sp-api"}, result={"message": {"id": "msg-nested", "conversation_id": "c9"}})
    _audit_event(engine, later, "genieCreateConversationMessage", status=429, event_id="e5",
                 params={"space_id": "sp-api", "conversation_id": "conv-api", "message_id": "msg-throttled"})
    _audit_event(engine, later, "getConversationMessage", event_id="e6",
                 params={"space_id": "sp-api", "conversation_id": "conv-api", "message_id": "msg-poll"})
    report = run(engine, later + timedelta(minutes=5))
    new = queued(engine)
    new = new[~new["message_id"].isin(before)].set_index("message_id")
    assert sorted(new.index) == ["msg-api", "msg-from-result", "msg-nested"] and report.written == 3
    assert new.loc["msg-from-result", ["space_id", "conversation_id"]].tolist() == ["sp-new", "conv-new"]
    assert new.loc["msg-api", "conversation_id"] == "conv-api"
    assert new.loc["msg-nested", "conversation_id"] == "c9"
    assert (new["user_email"] == "new.user@example.com").all() and (new["status"] == "PENDING").all()


def test_the_configured_actions_decide_what_is_a_message(engine, now):
    engine.run(f"DELETE FROM {QUEUE}")
    run(engine, now, env={"TELEMETRY_GENIE_MESSAGE_ACTIONS": "genieStartConversationMessage"}, lookback_days=7)
    rows = queued(engine)
    assert len(rows) > 0 and set(rows["source_action"]) == {"genieStartConversationMessage"}
    assert set(rows["message_id"]) == audit_messages(engine, now - timedelta(days=7),
                                                     ("genieStartConversationMessage",))


def test_the_queue_table_is_created_on_a_new_workspace(tmp_path, demo_db, now):
    """A first run where the table does not exist yet: only the audit log is there."""
    import duckdb

    path = tmp_path / "fresh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"ATTACH '{demo_db}' AS demo (READ_ONLY)")
        con.execute("CREATE SCHEMA system__access")
        con.execute("CREATE TABLE system__access.audit AS SELECT * FROM demo.system__access.audit")
    fresh = EmbeddedEngine(path, read_only=False)
    try:
        report = run(fresh, now, lookback_days=1)
        assert report.written == one(fresh, f"SELECT count(*) FROM {QUEUE}") > 0
        assert report.notes[0] == f"since {now - timedelta(days=1):%Y-%m-%d %H:%M}"
    finally:
        fresh.close()
