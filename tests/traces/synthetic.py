"""Traces of known shape written straight into a demo database copy (Arrow → SQL INSERT), so the
trace page's tests know every answer by construction:

* `big_trace_rows(n)`: root → agent → turns of [LLM call (10 ms), tool (20 ms) → 3 sequential HTTP
  calls (5 ms each)], one after another, until n spans. Every 50th tool fails. All of it is on the
  critical path (nothing runs in parallel).
* `agent_trace_rows()`: an 9-span agent trace with everything the span detail shows: an LLM call with
  gen_ai.input/output messages and tokens, two retrievals in parallel (the shorter is off the
  critical path), a failed tool with an exception event and stack trace, an orphan (its parent was
  never written), JSON-valued attributes, and a link to the big trace.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name

BIG_TRACE = "b16b16b16b16b16b16b16b16b16b16b1"
AGENT_TRACE = "a9e47a9e47a9e47a9e47a9e47a9e47a9"
T0 = 1_795_000_000_000_000_000 + 123  # ns; the page is given it as &t=
AGENT_T0 = T0 + 3_600 * 1_000_000_000
MS = 1_000_000
STACK = ('Traceback (most recent call last):\n  File "agent/tools.py", line 42, in run_sql_query\n'
         '    cursor.execute(sql)\ndatabricks.sql.exc.ServerOperationError: [TABLE_OR_VIEW_NOT_FOUND] orders_v2')
PROMPT = [{"role": "system", "parts": [{"type": "text", "content": "You are a sales analyst."}]},
          {"role": "user", "parts": [{"type": "text", "content": "What were EMEA sales last week?"}]}]
COMPLETION = [{"role": "assistant", "parts": [{"type": "tool_call", "name": "run_sql_query",
                                                "arguments": {"sql": "SELECT sum(amount) FROM orders_v2"}}],
               "finish_reason": "tool_call"}]


def spans_table() -> str:
    return mirror_table_name(load_settings({}).table("spans"))


def span(trace: str, span_id: str, parent: str, name: str, start: int, end: int, service: str, *,
         status: str = "STATUS_CODE_OK", message: str | None = None, attrs: dict[str, str] | None = None,
         kind: str = "SPAN_KIND_INTERNAL", events: list[dict] | None = None, links: list[dict] | None = None
         ) -> dict[str, Any]:
    return {"trace_id": trace, "span_id": span_id, "parent_span_id": parent, "name": name, "kind": kind,
            "start_ns": start, "end_ns": end, "attributes": list((attrs or {}).items()), "code": status,
            "message": message, "service": service, "events": events or [], "links": links or []}


def big_trace_rows(spans: int = 5000, trace: str = BIG_TRACE, t0: int = T0) -> list[dict[str, Any]]:
    """See the module docstring: a deep, long agent loop of exactly `spans` spans."""
    rows = [span(trace, "r0", "", "POST /api/agent", t0, 0, "gateway", kind="SPAN_KIND_SERVER"),
            span(trace, "a0", "r0", "invoke_agent", t0 + MS, 0, "agent")]
    cursor, n = t0 + 2 * MS, 0
    while len(rows) < spans:
        rows.append(span(trace, f"l{n}", "a0", "chat big-model", cursor, cursor + 10 * MS, "agent",
                         attrs={"gen_ai.request.model": "databricks-claude-sonnet-4",
                                "gen_ai.usage.input_tokens": "1000", "gen_ai.usage.output_tokens": "100"},
                         kind="SPAN_KIND_CLIENT"))
        cursor += 11 * MS
        tool = f"t{n}"
        rows.append(span(trace, tool, "a0", "execute_tool search", cursor, cursor + 20 * MS, "tools",
                         status="STATUS_CODE_ERROR" if n % 50 == 49 else "STATUS_CODE_OK"))
        for k in range(3):
            rows.append(span(trace, f"h{n}_{k}", tool, "GET /search", cursor + (1 + 6 * k) * MS,
                             cursor + (6 + 6 * k) * MS, "search-api", kind="SPAN_KIND_CLIENT"))
        cursor += 21 * MS
        n += 1
    rows = rows[:spans]
    end = max(r["end_ns"] for r in rows[2:])
    rows[1]["end_ns"], rows[0]["end_ns"] = end + MS, end + 2 * MS
    return rows


def agent_trace_rows(trace: str = AGENT_TRACE, t0: int = AGENT_T0) -> list[dict[str, Any]]:
    """See the module docstring. Times in ms from t0: root 0–100, agent 1–99, retrievals 2–12 and
    2–30 (parallel), LLM 31–60, tool 61–90 (fails), its HTTP call 62–89, orphan 70–75."""
    def at(ms: float) -> int:
        return t0 + int(ms * MS)

    llm_attrs = {"gen_ai.request.model": "databricks-claude-sonnet-4", "gen_ai.usage.input_tokens": "1200",
                 "gen_ai.usage.output_tokens": "80", "gen_ai.input.messages": json.dumps(PROMPT),
                 "gen_ai.output.messages": json.dumps(COMPLETION), "mlflow.spanType": "CHAT_MODEL"}
    failure = {"time_unix_nano": at(89.5), "name": "exception", "dropped_attributes_count": 0,
               "attributes": [("exception.type", "databricks.sql.exc.ServerOperationError"),
                              ("exception.message", "[TABLE_OR_VIEW_NOT_FOUND] orders_v2"),
                              ("exception.stacktrace", STACK), ("exception.escaped", "False")]}
    link = {"trace_id": BIG_TRACE, "span_id": "a0", "trace_state": "", "dropped_attributes_count": 0, "flags": 1,
            "attributes": [("link.reason", "follows the nightly batch")]}
    return [
        span(trace, "root", "", "POST /api/chat", at(0), at(100), "chat-gateway", kind="SPAN_KIND_SERVER",
             attrs={"http.route": "/api/chat", "enduser.id": "ana@example.com"}, links=[link]),
        span(trace, "agent", "root", "invoke_agent", at(1), at(99), "sales-agent",
             attrs={"agent.config": json.dumps({"max_turns": 4, "tools": ["run_sql_query"]})}),
        span(trace, "ret_fast", "agent", "retrieve_documents", at(2), at(12), "sales-agent"),
        span(trace, "ret_slow", "agent", "retrieve_policies", at(2), at(30), "sales-agent"),
        span(trace, "llm", "agent", "chat databricks-claude-sonnet-4", at(31), at(60), "sales-agent",
             attrs=llm_attrs, kind="SPAN_KIND_CLIENT"),
        span(trace, "tool", "agent", "execute_tool run_sql_query", at(61), at(90), "sales-agent",
             status="STATUS_CODE_ERROR", message="[TABLE_OR_VIEW_NOT_FOUND] orders_v2", events=[failure]),
        span(trace, "http", "tool", "POST /api/2.0/sql/statements", at(62), at(89), "sql-warehouse",
             kind="SPAN_KIND_CLIENT", status="STATUS_CODE_ERROR"),
        span(trace, "orphan", "lost-parent", "cache.lookup", at(70), at(75), "cache"),
        span(trace, "answer", "agent", "format_answer", at(91), at(98), "sales-agent"),
    ]


_MAP = pa.map_(pa.string(), pa.string())
_EVENT = pa.struct([("time_unix_nano", pa.int64()), ("name", pa.string()), ("attributes", _MAP),
                    ("dropped_attributes_count", pa.int32())])
_LINK = pa.struct([("trace_id", pa.string()), ("span_id", pa.string()), ("trace_state", pa.string()),
                   ("attributes", _MAP), ("dropped_attributes_count", pa.int32()), ("flags", pa.int32())])
_TYPES = {"trace_id": pa.string(), "span_id": pa.string(), "parent_span_id": pa.string(), "name": pa.string(),
          "kind": pa.string(), "start_ns": pa.int64(), "end_ns": pa.int64(), "attributes": _MAP,
          "code": pa.string(), "message": pa.string(), "service": pa.string(), "events": pa.list_(_EVENT),
          "links": pa.list_(_LINK)}


def insert(path: Path, rows: list[dict[str, Any]]) -> None:
    """Append span rows (see `span`) to the spans table of the database at `path`."""
    new_spans = pa.table({name: pa.array([r[name] for r in rows], kind) for name, kind in _TYPES.items()})
    con = duckdb.connect(str(path))
    try:
        con.register("new_spans", new_spans)
        con.execute(
            f"INSERT INTO {spans_table()} (trace_id, span_id, parent_span_id, name, kind, start_time_unix_nano,"
            " end_time_unix_nano, attributes, events, links, status, resource) SELECT trace_id, span_id,"
            " parent_span_id, name, kind, start_ns, end_ns, attributes, events, links,"
            " {'message': message, 'code': code}, {'attributes': MAP(['service.name'], [service]),"
            " 'dropped_attributes_count': 0} FROM new_spans")
    finally:
        con.close()
