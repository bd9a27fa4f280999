"""Small hand-built Genie tables whose answers are known by construction, for the prompt, message,
privacy and pipeline tests (queries and AppTest pages).

The tables are created with the mirror's DDL (the Databricks columns and nested types), filled with
a few rows relative to today (the pages' period ends today), and read through the production path:
named query → translation → DuckDB.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from telemetry import queries
from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.schema import create_table_sql

KEYS = ("audit", "workspaces", "query_history", "job_run_timeline", "jobs", "genie_messages_to_fetch",
        "genie_message_details", "genie_space_details", "genie_fetch_errors")
TODAY = datetime.now(UTC).date()
START, END = TODAY - timedelta(days=29), TODAY


def at(days_ago: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    """A moment `days_ago` days before today (UTC, naive as in the tables)."""
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time()) + timedelta(
        hours=hour, minutes=minute, seconds=second)


def attachments(sql: str, thoughts: list[tuple[str, str]], answer: str, suggested: list[str]) -> str:
    """An attachments JSON in the GenieMessage shape (query with thoughts, a text answer, suggestions)."""
    return json.dumps([
        {"attachment_id": "a1", "query": {"query": sql, "title": "t", "description": "d", "statement_id": "s",
                                          "thoughts": [{"thought_type": k, "content": c} for k, c in thoughts],
                                          "parameters": [{"keyword": "top_n", "sql_type": "INT", "value": "10"}]}},
        {"text": {"content": answer, "purpose": "TEXT_ATTACHMENT_PURPOSE_ANSWER"}},
        {"attachment_id": "a2", "suggested_questions": {"questions": suggested}},
    ])


class GenieDb:
    """A DuckDB file with empty mirror tables and helpers that add Genie rows."""

    def __init__(self, path: Path):
        self.path = path
        self.settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
        self.con = duckdb.connect(str(path))
        for key in KEYS:
            schema = mirror_table_name(self.settings.table(key)).rsplit(".", 1)[0]
            self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.con.execute(create_table_sql(key, self.settings.table(key)))
        self.con.execute("INSERT INTO system__access.workspaces_latest (workspace_id, workspace_name) "
                         "VALUES ('ws1', 'prod')")

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        names = ", ".join(f'"{k}"' for k in row)
        marks = ", ".join("?" for _ in row)
        self.con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))

    def space(self, space_id: str, title: str, creator: str) -> None:
        self._insert("main__ops_console.genie_space_details",
                     {"workspace_id": "ws1", "space_id": space_id, "title": title, "creator": creator})

    def message(self, message_id: str, space_id: str, user: str, content: str, when: datetime, *,
                status: str = "COMPLETED", sql: str | None = None, description: str | None = None,
                title: str | None = None, feedback: str | None = None, statement_id: str | None = None,
                error_type: str | None = None, error_message: str | None = None, **extra: Any) -> None:
        self._insert("main__ops_console.genie_message_details", {
            "workspace_id": "ws1", "space_id": space_id, "conversation_id": f"c-{message_id}",
            "message_id": message_id, "user_email": user, "content": content, "status": status,
            "error_type": error_type, "error_message": error_message, "created_timestamp": when,
            "last_updated_timestamp": when + timedelta(seconds=5), "generated_sql": sql, "query_title": title,
            "query_description": description, "statement_id": statement_id, "feedback_rating": feedback,
            "fetched_at": when + timedelta(hours=1), **extra})

    def statement(self, statement_id: str, space_id: str, status: str, duration_ms: int, read_rows: int,
                  produced_rows: int, when: datetime, error: str | None = None) -> None:
        self.con.execute(
            "INSERT INTO system__query.history (workspace_id, statement_id, execution_status, total_duration_ms,"
            " read_rows, produced_rows, start_time, error_message, query_source) VALUES ('ws1', ?, ?, ?, ?, ?, ?, ?,"
            " {'job_info': NULL, 'legacy_dashboard_id': NULL, 'dashboard_id': NULL, 'alert_id': NULL,"
            " 'notebook_id': NULL, 'sql_query_id': NULL, 'genie_space_id': ?, 'pipeline_info': NULL})",
            [statement_id, status, duration_ms, read_rows, produced_rows, when, error, space_id])

    def audit(self, action: str, user: str, when: datetime, params: dict[str, str], status: int = 200) -> None:
        self.con.execute(
            "INSERT INTO system__access.audit (workspace_id, event_id, event_time, event_date, service_name,"
            " action_name, user_identity, request_params, response) VALUES ('ws1', ?, ?, ?, 'aibiGenie', ?,"
            " {'email': ?, 'subject_name': NULL}, MAP(?, ?), {'status_code': ?, 'error_message': NULL,"
            " 'result': NULL})",
            [f"e-{action}-{when.isoformat()}-{params.get('message_id', '')}", when, when.date(), action, user,
             list(params), list(params.values()), status])

    def queued(self, message_id: str, space_id: str, user: str, when: datetime, status: str = "FETCHED",
               attempts: int = 1, last_attempt: datetime | None = None) -> None:
        self._insert("main__ops_console.genie_messages_to_fetch", {
            "workspace_id": "ws1", "space_id": space_id, "conversation_id": f"c-{message_id}",
            "message_id": message_id, "user_email": user, "source_action": "createConversationMessage",
            "event_time": when, "discovered_at": when + timedelta(minutes=30), "status": status,
            "attempts": attempts, "last_attempt_at": last_attempt})

    def fetch_error(self, message_id: str, when: datetime, attempt: int, http: int, code: str, text: str,
                    resolved: datetime | None = None) -> None:
        self._insert("main__ops_console.genie_fetch_errors", {
            "workspace_id": "ws1", "space_id": "s1", "conversation_id": f"c-{message_id}", "message_id": message_id,
            "attempted_at": when, "attempt": attempt, "http_status": http, "error_code": code,
            "error_message": text, "resolved_at": resolved})

    def job(self, job_id: str, name: str, changed: datetime) -> None:
        self._insert("system__lakeflow.jobs", {"workspace_id": "ws1", "job_id": job_id, "name": name,
                                               "change_time": changed})

    def run_slice(self, job_id: str, run_id: str, start: datetime, end: datetime, state: str | None) -> None:
        self._insert("system__lakeflow.job_run_timeline", {
            "workspace_id": "ws1", "job_id": job_id, "run_id": run_id, "period_start_time": start,
            "period_end_time": end, "result_state": state, "trigger_type": "CRON",
            "termination_code": None if state is None else ("SUCCESS" if state == "SUCCEEDED" else state)})

    def close(self) -> None:
        self.con.close()

    def run(self, name: str, **params: Any):
        """Run named query `name` with exactly `params` (through the production path)."""
        self.con.close()
        engine = EmbeddedEngine(self.path)
        try:
            return queries.run(name, engine=engine, settings=self.settings, **params).frame
        finally:
            engine.close()
            self.con = duckdb.connect(str(self.path))


def base_params(start: date = START, end: date = END) -> dict[str, Any]:
    """Every parameter the prompt, message and pipeline queries declare, with neutral values."""
    return {"start_date": start, "end_date": end, "prev_start_date": start - (end - start) - timedelta(days=1),
            "workspace_id": "", "space_id": "", "exclude_service_principals": False,
            "genie_service_name": "aibiGenie", "message_actions": "createConversationMessage",
            "feedback_action": "updateConversationMessageFeedback",
            "comment_action": "createConversationMessageComment", "content_scope": "all", "viewer_email": "",
            "search": "", "status": "", "user_email": "", "feedback": "", "problems_only": False, "page": 1,
            "page_size": 50, "rephrase_minutes": 5, "message_id": "", "bucket": "day",
            "genie_job_names": "ops-console-genie-ingest,ops-console-genie-space-sync", "max_fetch_attempts": 5}


def params_for(name: str, **overrides: Any) -> dict[str, Any]:
    """The parameters query `name` declares, from base_params with `overrides`."""
    values = {**base_params(), **overrides}
    return {key: values[key] for key in queries.params_of(name)}
