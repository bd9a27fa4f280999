"""Genie summary, spaces, space, quality, adoption and configuration under AppTest, on hand-built
tables whose answers are known by construction: the workspace filter and the period change the
numbers, links open the per-space page, a space with a failure spike is flagged, and a hostile or
unknown ?space= is refused with a message (never a traceback or an SQL error)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from telemetry import runtime
from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror.schema import DATABRICKS_SCHEMAS, create_table_sql

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TODAY = datetime.now(UTC).date()
TRICKY_TITLE = "Finance **bold** [click](http://evil.example)"
HOSTILE = "x' OR '1'='1'; DROP TABLE main.ops_console.genie_message_details; --"


def at(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time()) + timedelta(hours=hour,
                                                                                                 minutes=minute)


class Tables:
    """Empty mirror tables (the Databricks columns and nested types) and helpers adding Genie rows."""

    def __init__(self, path: Path):
        settings = load_settings({})
        self.con = duckdb.connect(str(path))
        self.name = {key: mirror_table_name(settings.table(key)) for key in DATABRICKS_SCHEMAS}
        for key in DATABRICKS_SCHEMAS:
            self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {self.name[key].rsplit('.', 1)[0]}")
            self.con.execute(create_table_sql(key, settings.table(key)))
        self.con.execute(f"INSERT INTO {self.name['workspaces']} (workspace_id, workspace_name) "
                         "VALUES ('1001', 'analytics'), ('1002', 'operations')")
        self.n = 0

    def insert(self, key: str, row: dict) -> None:
        names = ", ".join(f'"{k}"' for k in row)
        self.con.execute(f"INSERT INTO {self.name[key]} ({names}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))

    def space(self, space_id: str, title: str, ws: str, **parsed) -> None:
        self.insert("genie_space_details", {"workspace_id": ws, "space_id": space_id, "title": title,
                                            "warehouse_id": "wh1", "creator": "owner@corp.com",
                                            "fetched_at": at(0, 2), **parsed})

    def audit(self, action: str, user: str, when: datetime, ws: str, params: dict[str, str]) -> None:
        self.n += 1
        self.con.execute(
            f"INSERT INTO {self.name['audit']} (workspace_id, event_id, event_time, event_date, service_name,"
            " action_name, user_identity, request_params, response) VALUES (?, ?, ?, ?, 'aibiGenie', ?,"
            " {'email': ?, 'subject_name': NULL}, MAP(?, ?), {'status_code': 200, 'error_message': NULL,"
            " 'result': NULL})", [ws, f"e{self.n}", when, when.date(), action, user, list(params),
                                   list(params.values())])

    def message(self, space_id: str, ws: str, conversation: str, user: str, when: datetime,
                status: str = "COMPLETED", error_type: str | None = None) -> str:
        """A message: its create event in the audit log and its fetched details row."""
        self.n += 1
        message_id = f"m{self.n}"
        self.audit("createConversationMessage", user, when, ws,
                   {"space_id": space_id, "conversation_id": conversation, "message_id": message_id})
        self.insert("genie_message_details", {
            "workspace_id": ws, "space_id": space_id, "conversation_id": conversation, "message_id": message_id,
            "user_email": user, "content": f"secret prompt {message_id}", "status": status,
            "error_type": error_type, "created_timestamp": when, "statement_id": f"st-{message_id}",
            "generated_sql": "SELECT secret FROM t", "fetched_at": when + timedelta(hours=1)})
        return message_id

    def statement(self, space_id: str, message_id: str, duration_ms: int, when: datetime) -> None:
        self.con.execute(
            f"INSERT INTO {self.name['query_history']} (workspace_id, statement_id, execution_status,"
            " total_duration_ms, start_time, compute, query_source) VALUES ('1001', ?, 'FINISHED', ?, ?,"
            " {'type': 'WAREHOUSE', 'cluster_id': NULL, 'warehouse_id': 'wh1'}, {'job_info': NULL,"
            " 'legacy_dashboard_id': NULL, 'dashboard_id': NULL, 'alert_id': NULL, 'notebook_id': NULL,"
            " 'sql_query_id': NULL, 'genie_space_id': ?, 'pipeline_info': NULL})",
            [f"st-{message_id}", duration_ms, when, space_id])


def _build(path: Path) -> None:
    """Sales (ws 1001): alice asks 5 questions a day for 8 days, then bob's 12 of which 8 fail (the
    spike); the tricky-titled Finance space (ws 1001): carol's 2; Ops (ws 1002): dave's 1."""
    t = Tables(path)
    t.space("s1", "Sales insights", "1001", tables=["main.sales.orders", "main.sales.dim_date"],
            instructions="Use order_date for dates.", sample_questions=["Revenue by region?"],
            instruction_count=1, sample_question_count=1, example_sql_count=0, benchmark_count=0,
            serialized_space=json.dumps({"version": 2}), space_version=2)
    t.space("s2", TRICKY_TITLE, "1001")
    t.space("s3", "Ops", "1002")
    first = []
    for days_ago in range(9, 1, -1):
        for i in range(5):
            first.append(t.message("s1", "1001", f"c{days_ago}", "alice@corp.com", at(days_ago, 9, i)))
    for i in range(12):
        t.message("s1", "1001", "cbob", "bob@corp.com", at(1, 11, i),
                  status="FAILED" if i < 8 else "COMPLETED", error_type="TABLES_MISSING_EXCEPTION" if i < 8 else None)
    t.message("s2", "1001", "ccarol", "carol@corp.com", at(3))
    t.message("s2", "1001", "ccarol", "carol@corp.com", at(3, 11), status="CANCELLED")
    t.message("s3", "1002", "cdave", "dave@corp.com", at(2))
    for message_id, duration in zip(first[:3], (1000, 2000, 3000), strict=True):
        t.statement("s1", message_id, duration, at(5))
    for message_id, rating in ((first[0], "POSITIVE"), (first[1], "POSITIVE"), (first[2], "NEGATIVE")):
        t.audit("updateConversationMessageFeedback", "alice@corp.com", at(4), "1001",
                {"space_id": "s1", "message_id": message_id, "feedback_rating": rating})
    t.audit("createConversationMessageComment", "alice@corp.com", at(4, 12), "1001",
            {"space_id": "s1", "message_id": first[2]})
    t.con.close()


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("genie_h3") / "genie.duckdb"
    _build(path)
    return path


@pytest.fixture()
def hand_env(hand_db, monkeypatch) -> Path:
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(hand_db))
    runtime.use(None)
    return hand_db


def _open(page: str, state: dict | None = None, query: dict | None = None) -> AppTest:
    at_ = AppTest.from_file(APP, default_timeout=60)
    at_.run()
    at_.switch_page(page)
    for key, value in (query or {}).items():
        at_.query_params[key] = value
    for key, value in (state or {}).items():
        at_.session_state[key] = value
    at_.run()
    assert not at_.exception, at_.exception
    assert not at_.error, [e.value for e in at_.error]
    return at_


def _metrics(at_: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at_.metric}


def _text(at_: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "title", "info", "warning")
                    for e in at_.get(kind))


def test_summary_counts_every_message_and_the_workspace_filter_narrows_them(hand_env):
    summary = _metrics(_open("pages/genie/summary.py"))
    # 40 + 12 Sales, 2 Finance, 1 Ops; 4 people; 9 + 1 + 1 conversations; 46 of 55 answered; 2 of 3 rated up.
    assert summary["Messages"] == "55" and summary["Users"] == "4" and summary["Conversations"] == "11"
    assert summary["Active spaces"] == "3" and summary["Success rate"] == "84%"
    assert summary["Positive feedback"] == "67%"
    narrowed = _metrics(_open("pages/genie/summary.py", {"ws": "1002"}))
    assert narrowed["Messages"] == "1" and narrowed["Users"] == "1" and narrowed["Active spaces"] == "1"


def test_a_short_period_leaves_older_messages_out(hand_env):
    week = _metrics(_open("pages/genie/summary.py", {"range": "7 days"}))
    # Days 6..2 of Sales (5 × 5), bob's 12, carol's 2, dave's 1; the 7 days before: days 9..7 of Sales.
    assert week["Messages"] == "40"
    assert _open("pages/genie/summary.py", {"range": "7 days"}).metric[0].delta == "+167% vs previous period"


def test_spaces_ranks_every_space_and_links_each_to_its_page(hand_env):
    at_ = _open("pages/genie/spaces.py")
    table = at_.dataframe[0].value
    assert list(table["title"]) == ["Sales insights", TRICKY_TITLE, "Ops"]
    assert list(table["messages"]) == [52, 2, 1]
    assert table["details"].iloc[0] == "genie-space?space=s1"
    assert table["messages_per_conversation"].iloc[0] == pytest.approx(52 / 9)
    assert list(table["workspace"]) == ["analytics", "analytics", "operations"]  # names, not ids


def test_space_page_shows_one_space_and_escapes_its_title(hand_env):
    at_ = _open("pages/genie/space.py", {"space": "s2"})
    assert at_.title[0].value == r"Genie space: Finance \*\*bold\*\* \[click\]\(http\://evil\.example\)"
    metrics = _metrics(at_)
    assert metrics["Messages"] == "2" and metrics["Users"] == "1" and metrics["Success rate"] == "50%"


def test_space_page_lists_failures_users_and_configuration(hand_env):
    at_ = _open("pages/genie/space.py", {"space": "s1"})
    tables = [d.value for d in at_.dataframe]
    errors = next(t for t in tables if "error_type" in t.columns)
    assert list(errors["error_type"]) == ["TABLES_MISSING_EXCEPTION"] and list(errors["messages"]) == [8]
    users = next(t for t in tables if "user_email" in t.columns)
    assert list(users["user_email"]) == ["alice@corp.com", "bob@corp.com"]
    items = next(t for t in tables if "kind" in t.columns)
    assert ("Sample question", "Revenue by region?") in set(zip(items["kind"], items["text"], strict=True))
    assert "secret prompt" not in _text(at_) and not any("content" in t.columns for t in tables)


@pytest.mark.parametrize("value", [HOSTILE, "no-such-space", "<script>alert(1)</script>"])
def test_an_unknown_or_hostile_space_is_refused_with_a_message(hand_env, value):
    at_ = _open("pages/genie/space.py", query={"space": value})
    assert at_.warning and "does not know" in at_.warning[0].value
    assert not at_.metric and not at_.dataframe  # nothing ran for it
    assert at_.title[0].value == "Genie space"


def test_quality_flags_the_space_whose_failures_spiked(hand_env):
    at_ = _open("pages/genie/quality.py", {"view": "Failure spikes"})
    table = at_.dataframe[0].value
    assert table["title"].iloc[0] == "Sales insights" and bool(table["flagged"].iloc[0])
    assert table["day_rate"].iloc[0] == pytest.approx(100 * 8 / 12)
    assert not table["flagged"].iloc[1:].any()
    assert "at least 1.5× its own failure rate over the 7 days before" in _text(at_)
    assert len(at_.get("vega_lite_chart")) == 1  # the flagged spaces' days


def test_quality_latency_percentiles_come_from_query_history(hand_env):
    at_ = _open("pages/genie/quality.py", {"view": "Latency"})
    table = at_.dataframe[0].value
    assert list(table["title"]) == ["Sales insights"]
    assert table["p50_s"].iloc[0] == pytest.approx(2.0) and table["matched"].iloc[0] == 3


def test_adoption_counts_feedback_and_review_requests(hand_env):
    at_ = _open("pages/genie/adoption.py", {"view": "Feedback"})
    assert _metrics(at_)["Review requests"] == "1"
    table = at_.dataframe[0].value
    assert list(table["title"]) == ["Sales insights"]
    assert (table["positive"].iloc[0], table["negative"].iloc[0], table["review_requests"].iloc[0]) == (2, 1, 1)


def test_configuration_lists_each_space_with_its_counts(hand_env):
    at_ = _open("pages/genie/configuration.py")
    assert _metrics(at_) == {"Spaces": "3", "Used in the period": "3", "Unused in the period": "0", "Trashed": "0"}
    table = at_.dataframe[0].value
    assert set(table["title"]) == {"Sales insights", TRICKY_TITLE, "Ops"}
    sales = table[table["space_id"] == "s1"].iloc[0]  # counts missing elsewhere: shown as text, blanks for gaps
    assert sales["table_count"] == "2" and sales["messages"] == 52 and sales["state"] == "Active"


def test_a_deep_link_by_space_id_opens_that_space_and_picking_another_rewrites_it(hand_env):
    at_ = _open("pages/genie/space.py", query={"space": "s1"})
    assert at_.title[0].value == "Genie space: Sales insights"
    assert _metrics(at_)["Messages"] == "52"
    at_.selectbox(key="space").select("s3").run()
    assert at_.title[0].value == "Genie space: Ops" and at_.query_params["space"] == "s3"
