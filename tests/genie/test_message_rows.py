"""GenieMessage JSON → details row: real shapes, partial and odd payloads, values never seen."""

from __future__ import annotations

import json
import random
from datetime import datetime

import pytest

from telemetry.genie.message_rows import message_row, still_in_progress, utc_time
from telemetry.jobs.tables import columns
from tests.fakes.genie_routes import completed_message, failed_message

FETCHED = datetime(2026, 1, 2, 3, 4, 5)
QUEUED = {"workspace_id": "ws1", "space_id": "sp1", "conversation_id": "cv1", "message_id": "m1",
          "user_email": "ana@example.com"}


def _completed() -> dict:
    return completed_message(random.Random(1), "sp1", "cv1", "m1", "Total sales by region?", 1_767_225_600_000)


def test_a_completed_message_fills_every_answer_column():
    message = _completed()
    row = message_row(message, QUEUED, FETCHED)
    query = message["attachments"][0]["query"]
    assert set(row) == {name for name, _ in columns("genie_message_details")}
    assert row["status"] == "COMPLETED" and row["content"] == "Total sales by region?"
    assert row["generated_sql"] == query["query"] and row["query_title"] == "Total amount by region"
    assert row["query_description"] == query["description"]
    assert row["statement_id"] == query["statement_id"]
    assert row["attachment_id"] == message["attachments"][0]["attachment_id"]
    assert row["row_count"] == query["query_result_metadata"]["row_count"]
    assert row["is_truncated"] is False  # only the deprecated query_result says so
    assert row["text_response"].startswith("Here are the results")
    assert row["suggested_questions"] == ["Break it down by month", "Only the EMEA region"]
    assert row["created_timestamp"] == datetime(2026, 1, 1, 0, 0, 0)
    assert row["last_updated_timestamp"] == datetime(2026, 1, 1, 0, 0, 5)
    assert row["user_id"] == str(message["user_id"]) and row["user_email"] == "ana@example.com"
    assert row["workspace_id"] == "ws1" and row["fetched_at"] == FETCHED
    assert json.loads(row["attachments"])[0]["query"]["thoughts"][0]["thought_type"] == "THOUGHT_TYPE_UNDERSTANDING"


def test_a_failed_message_keeps_its_error_type_and_text():
    row = message_row(failed_message(random.Random(2), "sp1", "cv1", "m1", "q", 1_767_225_600_000), QUEUED, FETCHED)
    assert row["status"] == "FAILED" and row["error_type"] == "SQL_EXECUTION_EXCEPTION"
    assert "cannot be found" in row["error_message"]
    assert row["generated_sql"] is None and row["attachments"] is None and row["suggested_questions"] == []


def test_enum_values_never_seen_are_stored_as_text():
    message = {**_completed(), "status": "THINKING_HARDER", "error": {"type": "BRAND_NEW_EXCEPTION", "error": "x"},
               "feedback": {"rating": "MIXED", "comment": "half right"}}
    row = message_row(message, QUEUED, FETCHED)
    assert (row["status"], row["error_type"], row["feedback_rating"]) == ("THINKING_HARDER", "BRAND_NEW_EXCEPTION",
                                                                          "MIXED")
    assert row["feedback_comment"] == "half right"
    assert not still_in_progress(message)  # unknown: stored as final, not retried forever


@pytest.mark.parametrize("status", ["SUBMITTED", "ASKING_AI", "EXECUTING_QUERY", "PENDING_WAREHOUSE"])
def test_known_in_progress_statuses_wait(status):
    assert still_in_progress({"status": status})


@pytest.mark.parametrize("status", ["COMPLETED", "FAILED", "CANCELLED", "QUERY_RESULT_EXPIRED", None])
def test_terminal_or_missing_statuses_do_not_wait(status):
    assert not still_in_progress({"status": status})


def test_a_partial_payload_gives_a_row_under_the_queued_ids():
    row = message_row({"status": "COMPLETED"}, QUEUED, FETCHED)
    assert (row["space_id"], row["conversation_id"], row["message_id"]) == ("sp1", "cv1", "m1")
    assert row["content"] is None and row["created_timestamp"] is None and row["suggested_questions"] == []


def test_keys_of_the_wrong_type_and_unknown_keys_are_tolerated():
    message = {"message_id": "m1", "status": "COMPLETED", "attachments": "oops", "error": [1], "feedback": "x",
               "query_result": 7, "created_timestamp": "not a time", "user_id": {"nested": 1},
               "brand_new_key": {"a": 1}}
    row = message_row(message, QUEUED, FETCHED)
    assert row["status"] == "COMPLETED" and row["user_id"] is None and row["created_timestamp"] is None
    assert row["attachments"] == '"oops"'  # as received
    assert row["generated_sql"] is None and row["error_type"] is None


def test_the_deprecated_query_result_fills_in_what_the_attachment_lacks():
    message = _completed()
    query = message["attachments"][0]["query"]
    del query["statement_id"], query["query_result_metadata"]
    message["query_result"] = {"statement_id": "legacy-stmt", "row_count": 42, "is_truncated": True}
    row = message_row(message, QUEUED, FETCHED)
    assert (row["statement_id"], row["row_count"], row["is_truncated"]) == ("legacy-stmt", 42, True)


def test_text_attachments_split_into_answer_and_follow_up_questions():
    message = {"status": "COMPLETED", "attachments": [
        {"text": {"content": "Looking at the tables…", "phase": "RESPONSE_PHASE_THINKING"}},
        {"text": {"content": "Sales grew 4%.", "purpose": "TEXT_ATTACHMENT_PURPOSE_ANSWER"}},
        {"text": {"content": "Which quarter?", "purpose": "FOLLOW_UP_QUESTION"}},
        {"suggested_questions": {"questions": ["Which quarter?", "By region"]}},
    ]}
    row = message_row(message, QUEUED, FETCHED)
    assert row["text_response"] == "Sales grew 4%."
    assert row["suggested_questions"] == ["Which quarter?", "By region"]  # once each
    assert row["attachment_id"] is None and row["generated_sql"] is None


def test_the_query_with_sql_wins_over_an_empty_query_attachment():
    message = {"status": "COMPLETED", "attachments": [{"attachment_id": "a0", "query": {"title": "empty"}},
                                                      {"attachment_id": "a1", "query": {"query": "SELECT 1"}}]}
    row = message_row(message, QUEUED, FETCHED)
    assert (row["attachment_id"], row["generated_sql"]) == ("a1", "SELECT 1")


@pytest.mark.parametrize("value,expected", [
    (1_767_225_600_000, datetime(2026, 1, 1)), ("1767225600000", datetime(2026, 1, 1)),
    ("2026-01-01T01:00:00+01:00", datetime(2026, 1, 1)), ("2026-01-01T00:00:00Z", datetime(2026, 1, 1)),
    (None, None), ("soon", None), (True, None), (10**20, None),
])
def test_timestamps_become_naive_utc(value, expected):
    assert utc_time(value) == expected
