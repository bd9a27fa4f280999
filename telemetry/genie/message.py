"""One Genie message (`?message=`): what was asked, how Genie reasoned, its SQL and what it gave back.

The stored `attachments` JSON is the message's attachments as the Genie API returned them (a query
attachment with Genie's thoughts, text answers, suggested questions); its shape is versioned and
may hold keys or types never seen before, so parsing here never raises: what cannot be read is
left out. Text fields arrive NULL for a viewer who may not read them (see telemetry.genie.privacy).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pandas as pd
import sqlglot

from telemetry import queries
from telemetry.config import Settings
from telemetry.genie.privacy import ContentScope

QUERIES = ("message_detail", "message_events", "message_fetch")
# Real message ids are 32 hex characters; other id styles are tolerated, anything else is refused.
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
THOUGHT_LABELS = {"THOUGHT_TYPE_UNDERSTANDING": "Understanding", "THOUGHT_TYPE_DATA_SOURCING": "Data sources",
                  "THOUGHT_TYPE_INSTRUCTIONS": "Instructions", "THOUGHT_TYPE_STEPS": "Steps",
                  "THOUGHT_TYPE_DESCRIPTION": "Description"}


def message_id(raw: Any) -> tuple[str, str]:
    """The message id to look up, and why `raw` was refused ('' when accepted or empty)."""
    text = str(raw or "").strip()
    if not text:
        return "", ""
    if not _ID_RE.match(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        return "", (f"{shown!r} is not a Genie message id (letters, digits, - and _, at most 64 characters). "
                    "Open a message from Prompts and SQL.")
    return text, ""


def requests(mid: str, scope: ContentScope, settings: Settings) -> dict[str, queries.Request]:
    """The message page's queries: the message, its audit trail and its place in the fetch queue."""
    genie = settings.genie
    values = {"message_id": mid, **scope.params(), "genie_service_name": genie.service_name,
              "message_actions": ",".join(genie.message_actions), "feedback_action": genie.feedback_action,
              "comment_action": genie.comment_action}
    return {name: queries.request(f"genie/{name}", values) for name in QUERIES}


@dataclass(frozen=True)
class Attachments:
    """What the attachments JSON says beyond the message row's own columns."""

    thoughts: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    answers: list[str] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)
    parameters: list[tuple[str, str, str]] = field(default_factory=list)  # (keyword, type, value)


def _objects(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, str | int | float) and str(v).strip()] if isinstance(
        value, list) else []


def parse_attachments(raw: Any) -> Attachments:
    """Thoughts, text answers, suggested questions and query parameters of an attachments JSON text
    (NULL, malformed JSON or an unexpected shape: whatever parts can be read)."""
    try:
        items = json.loads(raw) if isinstance(raw, str) and raw.strip() else []
    except (ValueError, RecursionError):  # malformed, or nested deeper than Python's parser goes
        return Attachments()
    if isinstance(items, dict):  # a single attachment, or {"attachments": [...]}
        items = items.get("attachments", [items])
    out = Attachments()
    for item in _objects(items):
        query = item.get("query") if isinstance(item.get("query"), dict) else {}
        for thought in _objects(query.get("thoughts")):
            content = thought.get("content")
            if isinstance(content, str) and content.strip():
                kind = str(thought.get("thought_type") or "")
                out.thoughts.append((THOUGHT_LABELS.get(kind, kind.removeprefix("THOUGHT_TYPE_").title() or "Thought"),
                                     content))
        for param in _objects(query.get("parameters")):
            out.parameters.append((str(param.get("keyword", "")), str(param.get("sql_type", "")),
                                   str(param.get("value", ""))))
        text = item.get("text") if isinstance(item.get("text"), dict) else {}
        if isinstance(text.get("content"), str) and text["content"].strip():
            out.answers.append(text["content"])
        suggested = item.get("suggested_questions")
        out.suggested.extend(_texts(suggested.get("questions") if isinstance(suggested, dict) else suggested))
    return out


def _tokens(sql: str) -> list[tuple[str, str]]:
    dialect = sqlglot.Dialect.get_or_raise("databricks")
    return [(t.token_type.name, t.text.upper()) for t in dialect.tokenize(sql) if t.token_type.name != "SEMICOLON"]


def pretty_sql(sql: Any) -> str:
    """Genie's SQL laid out for reading (sqlglot's pretty print, Databricks dialect), but only when
    the layout keeps every token Genie wrote: sqlglot also rewrites some functions (date_sub becomes
    DATE_ADD(…, 7 * -1)), and a reviewer must see the SQL that ran. Otherwise, and when it does not
    parse, the SQL is shown as stored."""
    if not isinstance(sql, str) or not sql.strip():
        return ""
    try:
        pretty = ";\n\n".join(sqlglot.transpile(sql, read="databricks", write="databricks", pretty=True))
        same = _tokens(pretty) == _tokens(sql)
    except (sqlglot.errors.SqlglotError, RecursionError, ValueError):
        return sql
    return pretty if same else sql


def _value(row: dict, key: str) -> Any:
    value = row.get(key)
    if pd.api.types.is_list_like(value) and not isinstance(value, str | dict):
        return list(value)  # an ARRAY column arrives as a numpy array or a list
    return None if value is None or pd.isna(value) else value


@dataclass(frozen=True)
class Message:
    """The message row, with the text the viewer may read and the parsed attachments."""

    row: dict
    attachments: Attachments

    def get(self, key: str, default: Any = None) -> Any:
        value = _value(self.row, key)
        return default if value is None else value

    @property
    def readable(self) -> bool:
        return bool(self.row.get("readable"))

    @property
    def suggested(self) -> list[str]:
        """Suggested questions: the column's, else the attachments'."""
        column = self.get("suggested_questions")
        listed = _texts(list(column)) if column is not None else []
        return listed or self.attachments.suggested

    @property
    def answers(self) -> list[str]:
        """Genie's text answers: the attachments' (several), else the column's single one."""
        return self.attachments.answers or ([self.get("text_response")] if self.get("text_response") else [])

    @property
    def sql(self) -> str:
        return pretty_sql(self.get("generated_sql"))


def message(detail: pd.DataFrame) -> Message | None:
    """The message of a genie/message_detail result, or None when the id is unknown."""
    if detail.empty:
        return None
    row = detail.iloc[0].to_dict()
    return Message(row, parse_attachments(row.get("attachments")))


def outcome(m: Message) -> dict[str, str]:
    """The statement's outcome from the query history, as facts (labels → text)."""
    if not m.get("statement_id"):
        return {"status": "no SQL statement (Genie answered without running SQL)"}
    if not m.get("execution_status"):
        return {"status": "not in the query history yet (it lags by up to an hour)",
                "statement_id": str(m.get("statement_id"))}
    duration = m.get("total_duration_ms")
    return {"status": str(m.get("execution_status")),
            "duration": "–" if duration is None else f"{float(duration) / 1000:,.1f} s",
            "rows_read": f"{int(m.get('read_rows', 0)):,}", "rows_produced": f"{int(m.get('produced_rows', 0)):,}",
            "statement_id": str(m.get("statement_id"))}


def facts(m: Message) -> dict[str, str]:
    """Who asked when, in which space, and what came of it (visible to every viewer)."""
    created = m.get("created_timestamp")
    out = {"asked_by": str(m.get("user_email", "")),
           "asked": f"{pd.Timestamp(created):%Y-%m-%d %H:%M:%S} UTC" if created is not None else "–"}
    if m.get("error_type"):
        out["error_type"] = str(m.get("error_type"))
    rating = m.get("feedback_rating")
    out["feedback"] = {"POSITIVE": "thumbs up", "NEGATIVE": "thumbs down"}.get(rating, "none")
    return out


STATUS_COLOURS = {"COMPLETED": "green", "FAILED": "red", "CANCELLED": "orange", "QUERY_RESULT_EXPIRED": "gray"}


def badge(m: Message) -> tuple[str, str]:
    status = str(m.get("status", "UNKNOWN"))
    return status, STATUS_COLOURS.get(status, "gray")


def not_found(mid: str, queue: pd.DataFrame) -> str:
    """Why message `mid` has no details: still queued (with its last fetch error), or unknown."""
    if queue.empty:
        return (f"No Genie message with id {mid!r}: the audit log has not shown it to the console (or it was "
                "deleted). Open a message from Prompts and SQL.")
    raw = queue.iloc[0].to_dict()
    row = {key: _value(raw, key) for key in raw}
    status, attempts = row.get("status") or "PENDING", int(row.get("attempts") or 0)
    text = f"Message {mid!r} is queued but not fetched yet (status {status}, {attempts} attempts"
    if row.get("last_error_code"):
        http = f" (HTTP {int(row['last_http_status'])})" if row.get("last_http_status") is not None else ""
        text += f"; last error {row['last_error_code']}{http}: {row.get('last_error_message') or ''}"
    return text + "). See Genie pipeline."


def text_html(text: Any, *, size: str = "1rem", muted: bool = False) -> str:
    """User- or model-written text as escaped HTML that keeps its line breaks: never Markdown, so a
    prompt cannot become a link, an image or a heading."""
    colour = "color:rgba(49,51,63,0.7);" if muted else ""
    return (f'<div style="white-space:pre-wrap;font-size:{size};{colour}margin:0 0 0.5rem 0">'
            f"{html.escape(str(text))}</div>")


def thoughts_html(thoughts: list[tuple[str, str]]) -> str:
    """Genie's thoughts as a labelled list (escaped)."""
    items = "".join(f'<li style="margin-bottom:0.35rem"><b>{html.escape(label)}</b>: '
                    f'<span style="white-space:pre-wrap">{html.escape(text)}</span></li>' for label, text in thoughts)
    return f'<ul style="margin:0;padding-left:1.2rem">{items}</ul>'


def list_html(items: list[str]) -> str:
    return '<ul style="margin:0;padding-left:1.2rem">' + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def page_links(m: Message | None) -> dict[str, str]:
    """Back to the list (this space's prompts) and to the space's page."""
    if m is None or not m.get("space_id"):
        return {"Prompts and SQL": "genie-prompts"}
    space = quote(str(m.get("space_id")), safe="")
    return {"This space's prompts": f"genie-prompts?space={space}", "Open the space": f"genie-space?space={space}",
            "All prompts": "genie-prompts"}
