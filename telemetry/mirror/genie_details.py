"""genie_message_details and genie_space_details: what our job stored from the Genie API.

A details row mirrors the GenieMessage JSON (databricks-apis.md §1.2) flattened: the prompt, the
status and error type, the query attachment (SQL, title, description, statement_id, row count),
the text answer, suggested follow-ups, the feedback rating (with a comment on some thumbs-down) and
the attachments JSON as received. The statement_id is the one in query history, so prompts join to
their statements' duration and errors. A space details row holds serialized_space and the columns
the genie-spaces job parses from it (telemetry.genie.space_rows.parse_serialized, so they agree).
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.genie.space_rows import parse_serialized
from telemetry.mirror import genie, genie_audit, genie_tables, vocab
from telemetry.mirror.genie import ERROR_TYPES, STATUSES, WAREHOUSE_DOWN, GenieMessages, deleted_us
from telemetry.mirror.genie_attachments import attachments_json
from telemetry.mirror.genie_audit import RATINGS, GenieExtras, GenieIds
from telemetry.mirror.genie_tables import ERROR_TEXT, message_ids
from telemetry.mirror.ids import hex_ids, pick, timestamps
from telemetry.mirror.timeline import US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

_CLARIFY = (
    "Could you clarify which time period you are interested in?",
    "I could not find a column for that in this space's tables. Could you rephrase the question?",
    "Did you mean net revenue or gross revenue?",
)
# What people write with a thumbs-down (failed answers get the last two).
_COMMENTS = (
    "The numbers don't match the finance dashboard.",
    "It used the wrong date range.",
    "This should come from the curated view, not the raw table.",
    "Gross instead of net amounts.",
    "It ignored the region filter I asked for.",
    "It failed again, no answer at all.",
    "Error after a long wait.",
)


def _null_unless(values: pa.Array, keep: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(keep), values.cast(pa.string()), pa.scalar(None, pa.string()))


def _suggestions(cells: np.ndarray, completed: np.ndarray) -> pa.Array:
    """Two follow-up questions (templates 5 and 6 of the same grid row) for completed messages."""
    per_template = 4 * 4 * len(vocab.PERIODS)
    template = (cells // per_template) % vocab.N_TEMPLATES
    base = cells - template * per_template
    counts = np.where(completed, 2, 0)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    rows = np.repeat(np.arange(len(cells)), counts)
    which = np.arange(len(rows)) - offsets[:-1][rows]
    values = pick(vocab.genie_grid()[0], base[rows] + (5 + which) * per_template).cast(pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _answer_columns(world: World, m: GenieMessages, ids: GenieIds, rows: np.ndarray) -> dict[str, pa.Array]:
    """The query attachment (SQL, title, description, statement, rows), the text answer and the whole
    attachments JSON. The attachment_id is the query's, else (a text answer) the suggestions'."""
    _, sqls, titles, descriptions = vocab.genie_grid()
    cell, status, sql = m.cell[rows], m.status[rows], m.has_sql[rows]
    unfinished = m.stmt_status[rows] != 0
    answer = pick([f"Here are the results: {t}." for t in titles], cell)
    clarify = pick(_CLARIFY, cell % len(_CLARIFY)).cast(pa.string())
    query_ids, statements = ids.attachment.take(pa.array(rows)), ids.statement.take(pa.array(rows))
    suggestion_ids = hex_ids(world.streams("genie_attachments"), len(rows))
    json_text = attachments_json(
        cell, sql, ~unfinished & sql, status == 0, pick([json.dumps(c) for c in _CLARIFY], cell % len(_CLARIFY)),
        query_ids, suggestion_ids, statements, m.rows[rows], m.updated[rows] // 1000)
    return {
        "attachment_id": pc.if_else(pa.array(sql), query_ids, _null_unless(suggestion_ids, status == 0)),
        "attachments": json_text,
        "generated_sql": pick(sqls, cell, mask=~sql), "query_title": pick(titles, cell, mask=~sql),
        "query_description": pick(descriptions, cell, mask=~sql),
        "statement_id": _null_unless(statements, sql),
        "row_count": pa.array(m.rows[rows], mask=unfinished),
        "is_truncated": pa.array(m.rows[rows] >= 5000, mask=unfinished),
        "text_response": pc.if_else(pa.array((status == 0) & ~sql), clarify,
                                    _null_unless(answer, status == 0)),
        "suggested_questions": _suggestions(cell, status == 0),
    }


def write_message_details(writer: Writer, world: World, m: GenieMessages, ids: GenieIds,
                          extras: GenieExtras, plan: dict[str, np.ndarray]) -> None:
    """One row per message our job fetched successfully."""
    rows = np.flatnonzero(plan["done"])
    questions = vocab.genie_grid()[0]
    title_cell = np.zeros(int(m.conv.max()) + 1 if len(m) else 0, np.int64)
    title_cell[m.conv[m.first]] = m.cell[m.first]
    error = m.error[rows]
    err_text = [ERROR_TEXT[e[0]] for e in ERROR_TYPES] + [WAREHOUSE_DOWN]
    rating = extras.rating[rows]
    writer.insert("genie_message_details", {
        **message_ids(world, m, ids, rows),
        "user_id": pick(world.people.user_id, m.person[rows]),
        "user_email": pick(world.people.email, m.person[rows]),
        "conversation_title": pick(questions, title_cell[m.conv[rows]]),
        "content": pick(questions, m.cell[rows]),
        "status": pick(STATUSES, m.status[rows]),
        "error_type": pick([e[0] for e in ERROR_TYPES], error.clip(0), mask=error < 0),
        "error_message": pick(err_text, np.where(m.incident[rows], len(ERROR_TYPES), error.clip(0)),
                              mask=error < 0),
        "created_timestamp": timestamps(m.created[rows]),
        "last_updated_timestamp": timestamps(m.updated[rows]),
        **_answer_columns(world, m, ids, rows),
        "feedback_rating": pick(RATINGS, rating.clip(0), mask=rating < 0),
        "feedback_comment": _comments(world, rating, m.status[rows]),
        "fetched_at": timestamps(plan["fetched"][rows]),
    })
    writer.progress("Genie message details", 1.0)


def _comments(world: World, rating: np.ndarray, status: np.ndarray) -> pa.Array:
    """A comment on 40% of thumbs-down ratings (failed answers get a complaint about the failure)."""
    rng = world.streams("genie_feedback_comment")
    n = len(rating)
    said = (rating == 1) & (rng.random(n) < 0.4)
    which = np.where(status == 1, 5 + rng.integers(0, 2, n), rng.integers(0, 5, n))
    return pick(_COMMENTS, which, mask=~said)


_INSTRUCTIONS = (
    "Use {date_col} for date filters.",
    "Amounts are in USD; round money to two decimals.",
    "Fiscal years start on February 1st.",
    "Exclude test records (is_test = true) unless asked.",
    "When asked for 'last month', use the last complete calendar month.",
)


def _space_document(world: World, space: int, rng: np.random.Generator) -> dict:
    """The space's `serialized_space` document (version 2 shape of databricks-apis.md §1.5): 1–5
    sample questions, 2–4 tables, 1–4 text instructions, 0–4 example SQLs, benchmarks on some."""
    domain = int(world.spaces.domain[space])
    dom = vocab.DOMAINS[domain]
    questions, sqls, _, _ = vocab.genie_grid()
    k = int(rng.integers(1, 6))
    cells = vocab.genie_cell(domain, rng.integers(0, 5, 9), rng.integers(0, 4, 9), rng.integers(0, 4, 9),
                             rng.integers(0, len(vocab.PERIODS), 9)).tolist()
    ids = hex_ids(rng, 20).to_pylist()
    extra = [f"main.{dom.name}.{t}" for t in ("dim_date", "dim_customer", "dim_product")][: int(rng.integers(1, 4))]
    tables = [{"identifier": dom.table, "column_configs": [{"column_name": dom.date_col}]}]
    tables += [{"identifier": name} for name in extra]
    texts = [t.format(date_col=dom.date_col) for t in _INSTRUCTIONS[: int(rng.integers(1, 5))]]
    examples = [{"id": ids[10 + i], "question": [questions[c]], "sql": sqls[c].splitlines(keepends=True)}
                for i, c in enumerate(cells[5: 5 + int(rng.integers(0, 5))])]
    samples = [{"id": ids[i], "question": [questions[c]]} for i, c in enumerate(cells[:k])]
    doc = {
        "version": 2,
        "config": {"sample_questions": samples},
        "data_sources": {"tables": tables},
        "instructions": {"text_instructions": [{"id": ids[5 + i], "content": [t]} for i, t in enumerate(texts)],
                         "example_question_sqls": examples},
    }
    if rng.random() < 0.4:
        doc["benchmarks"] = {"questions": [{"id": ids[15], "question": [questions[c]]}
                                           for c in cells[: int(rng.integers(3, 10))]]}
    return doc


def write_space_details(writer: Writer, world: World) -> None:
    """One row per Genie space, as fetched by the daily space sync (trashed spaces keep their row, with
    deleted_time: the first sync that no longer listed them)."""
    sp, now = world.spaces, world.window.end_us
    rng = world.streams("space_details")
    day = 24 * 3600 * US
    fetched = now - now % day + 2 * 3600 * US
    fetched = fetched if fetched <= now else fetched - day
    rows = np.flatnonzero(sp.create_us <= fetched)
    deleted = deleted_us(world)[rows]
    gone = deleted <= fetched
    first_sync_after = deleted - deleted % day + 2 * 3600 * US
    first_sync_after = np.where(first_sync_after < deleted, first_sync_after + day, first_sync_after)
    updated = np.minimum(sp.create_us[rows] + rng.integers(1, 60, len(rows)) * day, np.minimum(fetched, deleted))
    docs = [_space_document(world, s, rng) for s in rows.tolist()]
    parsed = [parse_serialized(doc) for doc in docs]
    column = {key: [p[key] for p in parsed] for key in parsed[0]} if parsed else {}
    writer.insert(
        "genie_space_details",
        {
            "workspace_id": pick(world.ws.ids, sp.ws[rows]),
            "space_id": pick(sp.space_id, rows),
            "title": pick(sp.title, rows),
            "description": pa.array(
                [
                    f"Ask questions about {vocab.DOMAINS[d].label.lower()} data in plain English."
                    for d in sp.domain[rows].tolist()
                ]
            ),
            "warehouse_id": pick(world.warehouses.ids, sp.warehouse[rows]),
            "parent_path": pa.array(
                [f"/Workspace/Users/{world.people.email[c]}" for c in sp.creator[rows].tolist()]
            ),
            "creator": pick(world.people.email, sp.creator[rows]),
            "create_time": timestamps(sp.create_us[rows]),
            "update_time": timestamps(updated),
            "serialized_space": pa.array([json.dumps(doc) for doc in docs], pa.string()),
            "space_version": pa.array(column.get("space_version", []), pa.int32()),
            "tables": pa.array(column.get("tables", []), pa.list_(pa.string())),
            "instructions": pa.array(column.get("instructions", []), pa.string()),
            "sample_questions": pa.array(column.get("sample_questions", []), pa.list_(pa.string())),
            **{name: pa.array(column.get(name, []), pa.int32()) for name in
               ("sample_question_count", "instruction_count", "example_sql_count", "benchmark_count")},
            "fetched_at": timestamps(np.full(len(rows), fetched)),
            "deleted_time": pa.array(np.where(gone, first_sync_after, 0), pa.timestamp("us"), mask=~gone),
        },
    )


def write_genie_messages(writer: Writer, world: World) -> GenieMessages:
    """The window's Genie messages through every table they reach (audit, statements, the fetch queue,
    message details), in the order the demo build and demo-append both need; returns the messages."""
    messages = genie.build_messages(world)
    ids = genie_audit.make_ids(world, messages)
    extras = genie_audit.write_genie_audit(writer, world, messages, ids)
    genie_tables.write_genie_statements(writer, world, messages, ids, extras)
    plan = genie_tables.write_genie_queue(writer, world, messages, ids)
    write_message_details(writer, world, messages, ids, extras, plan)
    return messages
