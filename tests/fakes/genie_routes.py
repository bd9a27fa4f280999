"""Genie routes for the fake workspace: spaces, conversations and messages in the API's shapes.

`FakeGenie` holds a workspace's Genie state (spaces with their serialized_space, messages keyed by
space/conversation/message id) and answers the REST paths the SDK calls (databricks-apis.md §1.1):
list spaces (paged by `page_token`), get space (serialized_space only with
`include_serialized_space=true`, 403 for spaces the caller cannot edit), get message (404 for ids it
does not hold), and SCIM `Me` (the workspace id in `X-Databricks-Org-Id`). Messages are generated as
real ones look (§1.2, §1.6): 32-hex ids, epoch-ms timestamps, a query attachment with thoughts and
`query_result_metadata` holding only `row_count`, a text attachment without `attachment_id`, the
deprecated message-level `query_result` still set. Tests edit the dicts to make partial or odd ones.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeDatabricks, Reply, Request, error

BASE_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
SPACES_PATH = "/api/2.0/genie/spaces"
MESSAGE_PATH = r"/api/2.0/genie/spaces/(?P<space>[^/]+)/conversations/(?P<conv>[^/]+)/messages/(?P<msg>[^/]+)"

_QUESTIONS = ("What were total sales last month?", "Top 10 customers by revenue this quarter",
              "How many orders were returned in March?", "Average delivery time by region",
              "Which products had the biggest drop in units sold?", "Show weekly active users since June")
_TABLES = ("main.sales.orders", "main.sales.customers", "main.sales.products", "main.ops.deliveries")


def hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def statement_id(rng: random.Random) -> str:
    h = hex_id(rng)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def completed_message(rng: random.Random, space_id: str, conversation_id: str, message_id: str,
                      content: str, created_ms: int) -> dict[str, Any]:
    """A COMPLETED message as the API returns it: SQL attachment, text answer, follow-ups."""
    stmt, rows = statement_id(rng), rng.randint(1, 500)
    query = {
        "query": f"SELECT region, SUM(amount) AS total\nFROM {rng.choice(_TABLES)}\n"
                 "GROUP BY region\nORDER BY total DESC",
        "description": "You want the total amount per region, largest first.",
        "title": "Total amount by region", "id": hex_id(rng), "statement_id": stmt,
        "query_result_metadata": {"row_count": rows},
        "last_updated_timestamp": created_ms + 4_000,
        "thoughts": [
            {"content": "The question asks for totals per region.", "thought_type": "THOUGHT_TYPE_UNDERSTANDING"},
            {"content": "Using the orders table.", "thought_type": "THOUGHT_TYPE_DATA_SOURCING"},
        ],
    }
    return {
        "id": message_id, "message_id": message_id, "space_id": space_id, "conversation_id": conversation_id,
        "user_id": rng.randint(10**14, 10**15), "content": content, "status": "COMPLETED",
        "attachments": [
            {"attachment_id": hex_id(rng), "query": query},
            {"text": {"content": f"Here are the results ({rows} rows).", "id": hex_id(rng)}},
            {"attachment_id": hex_id(rng),
             "suggested_questions": {"questions": ["Break it down by month", "Only the EMEA region"]}},
        ],
        "query_result": {"statement_id": stmt, "statement_id_signature": hex_id(rng), "row_count": rows,
                         "is_truncated": False},
        "created_timestamp": created_ms, "last_updated_timestamp": created_ms + 5_000,
    }


def failed_message(rng: random.Random, space_id: str, conversation_id: str, message_id: str,
                   content: str, created_ms: int, error_type: str = "SQL_EXECUTION_EXCEPTION") -> dict[str, Any]:
    return {
        "id": message_id, "message_id": message_id, "space_id": space_id, "conversation_id": conversation_id,
        "user_id": rng.randint(10**14, 10**15), "content": content, "status": "FAILED",
        "error": {"error": "[TABLE_OR_VIEW_NOT_FOUND] The table main.sales.orderz cannot be found.",
                  "type": error_type},
        "created_timestamp": created_ms, "last_updated_timestamp": created_ms + 2_500,
    }


def serialized_v2(rng: random.Random, tables: tuple[str, ...] = _TABLES[:2]) -> str:
    return json.dumps({
        "version": 2,
        "config": {"sample_questions": [{"id": hex_id(rng), "question": [q]} for q in _QUESTIONS[:3]]},
        "data_sources": {"tables": [{"identifier": t, "column_configs": [{"column_name": "region"}]}
                                    for t in tables],
                         "metric_views": [{"identifier": "main.sales.revenue_metrics"}]},
        "instructions": {"text_instructions": [{"id": hex_id(rng), "content": ["Revenue = quantity * unit_price.\n",
                                                                               "Fiscal year starts April 1st."]}],
                         "example_question_sqls": [{"id": hex_id(rng), "question": ["Top customers"],
                                                    "sql": ["SELECT customer, SUM(amount)\n", "FROM t GROUP BY 1"]},
                                                   {"id": hex_id(rng), "question": ["Orders per day"],
                                                    "sql": ["SELECT order_date, count(*) FROM t GROUP BY 1"]}]},
        "benchmarks": {"questions": [{"id": hex_id(rng), "question": ["Total sales in 2025"]}]},
    })


def serialized_v1(rng: random.Random) -> str:
    """Version 1 (layout not public): the v2 sections, fewer of them (no benchmarks, no examples)."""
    return json.dumps({
        "version": 1,
        "config": {"sample_questions": [{"id": hex_id(rng), "question": ["How many orders today?"]}]},
        "data_sources": {"tables": [{"identifier": "main.legacy.orders"}]},
        "instructions": {"text_instructions": [{"id": hex_id(rng), "content": ["Use order_date for dates."]}]},
    })


def serialized_unknown() -> str:
    """A version we have never seen: restructured sections and new keys."""
    return json.dumps({"version": 7, "workspace_features": {"agent_mode": True},
                       "data_sources": [{"uc_table": "main.future.facts"}],
                       "config": {"sample_questions": [{"question": ["Future question?"]}]}})


@dataclass
class FakeGenie:
    """A workspace's Genie state, served through `install(fake)`."""

    seed: int = 7
    workspace_id: str = "1234567890123456"
    page_size: int = 2  # default page of list_spaces (small, so paging is exercised)
    spaces: dict[str, dict[str, Any]] = field(default_factory=dict)
    no_edit: set[str] = field(default_factory=set)  # spaces whose serialized_space the caller may not read
    messages: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    message_hold_s: float = 0.0  # how long get-message takes (counted in `max_in_flight`)
    rate_limit_every: int = 0  # every Nth get-message call answers 429 with Retry-After (0: never)
    retry_after_s: int = 1

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self.in_flight = self.max_in_flight = self.message_calls = self.throttled = 0

    # --- state -----------------------------------------------------------------------------------
    def add_space(self, title: str, serialized: str | None = None, **fields: Any) -> dict[str, Any]:
        space_id = hex_id(self.rng)
        n = len(self.spaces)
        space = {"space_id": space_id, "title": title, "description": f"Ask about {title.lower()}.",
                 "warehouse_id": f"{self.rng.getrandbits(64):016x}",
                 "parent_path": f"/Workspace/Users/owner{n}@example.com",
                 "create_time": f"2025-0{1 + n % 9}-15T08:30:00Z", "update_time": "2026-01-10T12:00:00.123Z",
                 "etag": hex_id(self.rng)[:12],
                 "serialized_space": serialized if serialized is not None else serialized_v2(self.rng), **fields}
        self.spaces[space_id] = space
        return space

    def add_message(self, space_id: str, conversation_id: str | None = None, *, failed: bool = False,
                    message_id: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A new message (COMPLETED, or FAILED) in `conversation_id` (a new conversation if None)."""
        with self._lock:
            conv, msg = conversation_id or hex_id(self.rng), message_id or hex_id(self.rng)
            content = self.rng.choice(_QUESTIONS)
            created = BASE_MS + len(self.messages) * 61_000
            make = failed_message if failed else completed_message
            message = {**make(self.rng, space_id, conv, msg, content, created), **overrides}
            self.messages[(space_id, conv, msg)] = message
        return message

    def queue_row(self, message: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """The genie_messages_to_fetch row the audit job would have written for `message`."""
        return {"workspace_id": self.workspace_id, "space_id": message["space_id"],
                "conversation_id": message["conversation_id"], "message_id": message["message_id"],
                "user_email": "someone@example.com", "source_action": "genieCreateConversationMessage",
                "status": "PENDING", "attempts": 0, **extra}

    # --- routes ----------------------------------------------------------------------------------
    def install(self, fake: FakeDatabricks) -> FakeGenie:
        fake.route("GET", SPACES_PATH, self._list_spaces)
        fake.route("GET", rf"{SPACES_PATH}/(?P<space>[^/]+)", self._get_space)
        fake.route("GET", MESSAGE_PATH, self._get_message)
        fake.route("GET", "/api/2.0/preview/scim/v2/Me", self._me)
        return self

    def _list_spaces(self, req: Request) -> Any:
        size = int(req.query.get("page_size") or self.page_size)
        start = int(req.query.get("page_token") or 0)
        listed = list(self.spaces.values())[start:start + size]
        body: dict[str, Any] = {"spaces": [{k: v for k, v in s.items() if k != "serialized_space"} for s in listed]}
        if start + size < len(self.spaces):
            body["next_page_token"] = str(start + size)
        return body

    def _get_space(self, req: Request) -> Any:
        space = self.spaces.get(req.match["space"])
        if space is None:
            return error(404, f"Genie space {req.match['space']} does not exist.", "RESOURCE_DOES_NOT_EXIST")
        wants = req.query.get("include_serialized_space") == "true"
        if wants and space["space_id"] in self.no_edit:
            return error(403, "You need at least CAN EDIT permission on this space.", "PERMISSION_DENIED")
        return space if wants else {k: v for k, v in space.items() if k != "serialized_space"}

    def _get_message(self, req: Request) -> Any:
        with self._lock:
            self.message_calls += 1
            if self.rate_limit_every and self.message_calls % self.rate_limit_every == 0:
                self.throttled += 1
                return error(429, "Too many requests to the Genie API.", "REQUEST_LIMIT_EXCEEDED",
                             **{"Retry-After": str(self.retry_after_s)})
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(self.message_hold_s)
        with self._lock:
            self.in_flight -= 1
        key = (req.match["space"], req.match["conv"], req.match["msg"])
        message = self.messages.get(key)
        if message is None:
            return error(404, f"Message {key[2]} does not exist.", "RESOURCE_DOES_NOT_EXIST")
        return message

    def _me(self, req: Request) -> Reply:
        return Reply(200, {"id": "42", "userName": "job@example.com"},
                     headers={"X-Databricks-Org-Id": self.workspace_id})
