"""genie_message_details and genie_space_details: what our job stored from the Genie API.

A details row mirrors the GenieMessage JSON (databricks-apis.md §1.2) flattened: the prompt, the
status and error type, the query attachment (SQL, title, description, statement_id, row count),
the text answer, suggested follow-ups and the feedback rating. The statement_id is the one in
query history, so prompts join to their statements' duration and errors.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import vocab
from telemetry.mirror.genie import ERROR_TYPES, STATUSES, WAREHOUSE_DOWN, GenieMessages
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


def _answer_columns(m: GenieMessages, ids: GenieIds, rows: np.ndarray) -> dict[str, pa.Array]:
    """The query attachment (SQL, title, description, statement, rows) and the text answer."""
    _, sqls, titles, descriptions = vocab.genie_grid()
    cell, status, sql = m.cell[rows], m.status[rows], m.has_sql[rows]
    unfinished = m.stmt_status[rows] != 0
    answer = pick([f"Here are the results: {t}." for t in titles], cell)
    clarify = pick(_CLARIFY, cell % len(_CLARIFY)).cast(pa.string())
    return {
        "attachment_id": _null_unless(ids.attachment.take(pa.array(rows)), sql | (status == 0)),
        "generated_sql": pick(sqls, cell, mask=~sql), "query_title": pick(titles, cell, mask=~sql),
        "query_description": pick(descriptions, cell, mask=~sql),
        "statement_id": _null_unless(ids.statement.take(pa.array(rows)), sql),
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
        **_answer_columns(m, ids, rows),
        "feedback_rating": pick(RATINGS, rating.clip(0), mask=rating < 0),
        "fetched_at": timestamps(plan["fetched"][rows]),
    })
    writer.progress("Genie message details", 1.0)


def _serialized(world: World, space: int, rng: np.random.Generator) -> str:
    """The space's `serialized_space` JSON (version 2 shape of databricks-apis.md §1.5)."""
    domain = int(world.spaces.domain[space])
    dom = vocab.DOMAINS[domain]
    questions = vocab.genie_grid()[0]
    cells = vocab.genie_cell(domain, rng.integers(0, 5, 3), rng.integers(0, 4, 3), rng.integers(0, 4, 3),
                             rng.integers(0, len(vocab.PERIODS), 3))
    ids = hex_ids(rng, 4).to_pylist()
    samples = [{"id": i, "question": [questions[c]]} for i, c in zip(ids[:3], cells.tolist(), strict=True)]
    content = [f"Use {dom.date_col} for date filters. ", "Amounts are in USD."]
    instructions = [{"id": ids[3], "content": content}]
    return json.dumps({
        "version": 2, "config": {"sample_questions": samples},
        "data_sources": {"tables": [{"identifier": dom.table}, {"identifier": f"main.{dom.name}.dim_date"}]},
        "instructions": {"text_instructions": instructions},
    })


def write_space_details(writer: Writer, world: World) -> None:
    """One row per Genie space, as fetched by the daily space sync."""
    sp, now = world.spaces, world.window.end_us
    rng = world.streams("space_details")
    fetched = now - now % (24 * 3600 * US) + 2 * 3600 * US
    fetched = fetched if fetched <= now else fetched - 24 * 3600 * US
    rows = np.flatnonzero(sp.create_us <= fetched)
    updated = np.minimum(sp.create_us[rows] + rng.integers(1, 60, len(rows)) * 24 * 3600 * US, fetched)
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
            "serialized_space": pa.array([_serialized(world, s, rng) for s in rows.tolist()]),
            "fetched_at": timestamps(np.full(len(rows), fetched)),
        },
    )
