"""A raw GenieMessage JSON dict (databricks-apis.md §1.2) → one genie_message_details row.

The job fetches the message as raw JSON, not through the SDK's dataclasses, because those turn an
enum value they do not know into None: a new status or error type would be lost. Here every value
is kept as the text received, every key may be missing or of a surprising type, and unknown keys
are ignored (they survive in the `attachments` JSON when they sit inside an attachment). Nothing
in this module raises on odd input: a message is never dropped for its shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# Statuses after which a message no longer changes (the rest mean Genie is still working).
TERMINAL_STATUSES = frozenset({"COMPLETED", "FAILED", "CANCELLED", "QUERY_RESULT_EXPIRED"})
IN_PROGRESS_STATUSES = frozenset({"SUBMITTED", "FETCHING_METADATA", "FILTERING_CONTEXT", "ASKING_AI",
                                  "PENDING_WAREHOUSE", "EXECUTING_QUERY"})
FOLLOW_UP_PURPOSE = "FOLLOW_UP_QUESTION"
THINKING_PHASE = "RESPONSE_PHASE_THINKING"


def obj(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (a key holding a list or a string)."""
    return value if isinstance(value, dict) else {}


def objs(value: Any) -> list[dict[str, Any]]:
    """The JSON objects in `value` if it is a list (other items skipped), else none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """A scalar as text (ids arrive as numbers or strings); None for missing, empty or nested values."""
    if value is None or isinstance(value, dict | list) or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def integer(value: Any) -> int | None:
    """An int from a JSON number or numeric string (the SDK accepts both); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError, OverflowError):
            return None


def boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def utc_time(value: Any) -> datetime | None:
    """Epoch milliseconds (number or numeric string) or an RFC-3339 string → naive UTC datetime."""
    try:
        if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
        millis = integer(value)
        return None if millis is None else datetime.fromtimestamp(millis / 1000, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


def strings(value: Any) -> list[str]:
    """The non-empty strings of a JSON list (a lone string counts as one)."""
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if isinstance(item, str | int | float) and str(item).strip()]


def _query_attachment(attachments: list[dict[str, Any]]) -> tuple[dict[str, Any], str | None]:
    """The first attachment's `query` payload that holds SQL (else the first query at all), and its id."""
    with_query = [a for a in attachments if obj(a.get("query"))]
    chosen = next((a for a in with_query if text(obj(a["query"]).get("query"))), None)
    chosen = chosen or (with_query[0] if with_query else None)
    if chosen is None:
        return {}, None
    return obj(chosen["query"]), text(chosen.get("attachment_id")) or text(obj(chosen["query"]).get("id"))


def _text_parts(attachments: list[dict[str, Any]]) -> tuple[str | None, list[str]]:
    """Genie's text answer (answer texts joined; thinking-phase notes only if nothing else) and the
    follow-up questions carried as text attachments."""
    texts = [obj(a.get("text")) for a in attachments if obj(a.get("text"))]
    follow_ups = [t for t in texts if t.get("purpose") == FOLLOW_UP_PURPOSE]
    answers = [t for t in texts if t not in follow_ups]
    final = [t for t in answers if t.get("phase") != THINKING_PHASE] or answers
    parts = [p for t in final if (p := text(t.get("content")))]
    return ("\n\n".join(parts) or None), [q for t in follow_ups if (q := text(t.get("content")))]


def _suggested(attachments: list[dict[str, Any]], follow_ups: list[str]) -> list[str]:
    questions = [q for a in attachments for q in strings(obj(a.get("suggested_questions")).get("questions"))]
    return list(dict.fromkeys(questions + follow_ups))  # once each, in order


def _answer_columns(message: Mapping[str, Any]) -> dict[str, Any]:
    """The query attachment (SQL, title, description, statement, rows), text answer, suggestions."""
    attachments = objs(message.get("attachments"))
    query, attachment_id = _query_attachment(attachments)
    legacy = obj(message.get("query_result"))  # deprecated message-level result, still populated
    meta = obj(query.get("query_result_metadata"))
    answer, follow_ups = _text_parts(attachments)
    if attachment_id is None:
        attachment_id = next((i for a in attachments if (i := text(a.get("attachment_id")))), None)
    row_count = integer(meta.get("row_count"))
    truncated = boolean(meta.get("is_truncated"))
    return {
        "attachment_id": attachment_id,
        "generated_sql": text(query.get("query")),
        "query_title": text(query.get("title")),
        "query_description": text(query.get("description")),
        "statement_id": text(query.get("statement_id")) or text(legacy.get("statement_id")),
        "row_count": row_count if row_count is not None else integer(legacy.get("row_count")),
        "is_truncated": truncated if truncated is not None else boolean(legacy.get("is_truncated")),
        "text_response": answer,
        "suggested_questions": _suggested(attachments, follow_ups),
        "attachments": json.dumps(message["attachments"]) if "attachments" in message else None,
    }


def message_row(message: Mapping[str, Any], queued: Mapping[str, Any], fetched_at: datetime) -> dict[str, Any]:
    """One genie_message_details row from the raw JSON of get-message.

    `queued` is the genie_messages_to_fetch row it was fetched for: it supplies what the API does
    not return (workspace, the user's email from the audit log) and the ids if the payload lacks
    them, so the row always lands under the message that was asked for."""
    message = obj(message)
    error, feedback = obj(message.get("error")), obj(message.get("feedback"))
    return {
        "workspace_id": text(queued.get("workspace_id")),
        "space_id": text(queued.get("space_id")) or text(message.get("space_id")),
        "conversation_id": text(queued.get("conversation_id")) or text(message.get("conversation_id")),
        "message_id": text(queued.get("message_id")) or text(message.get("message_id")) or text(message.get("id")),
        "user_id": text(message.get("user_id")),
        "user_email": text(queued.get("user_email")),
        "conversation_title": None,  # not part of a message; list_conversations carries it
        "content": text(message.get("content")),
        "status": text(message.get("status")),
        "error_type": text(error.get("type")),
        "error_message": text(error.get("error")) or text(error.get("message")),
        "created_timestamp": utc_time(message.get("created_timestamp")),
        "last_updated_timestamp": utc_time(message.get("last_updated_timestamp")),
        **_answer_columns(message),
        "feedback_rating": text(feedback.get("rating")),
        "feedback_comment": text(feedback.get("comment")),
        "fetched_at": fetched_at,
    }


def still_in_progress(message: Mapping[str, Any]) -> bool:
    """True while Genie is still answering (a known non-terminal status): fetch it again next run.

    A status never seen before counts as final, so the message is stored (with that text) rather
    than retried forever."""
    return text(obj(message).get("status")) in IN_PROGRESS_STATUSES
