"""Genie's statements in query history and the console's own Genie tables.

The ingestion job is modelled as running hourly at :15. It discovers messages from the create
events of the past hour (genie_messages_to_fetch), fetches each finished one from the Genie API
(genie_message_details), and records failures (genie_fetch_errors): 429s that succeed on retry,
403s on a restricted space and 404s for conversations users deleted. Messages of the last hour
are therefore not discovered yet, and some discovered ones are still PENDING — as in production.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import vocab
from telemetry.mirror.genie import WAREHOUSE_DOWN, GenieMessages
from telemetry.mirror.genie_audit import GenieExtras, GenieIds
from telemetry.mirror.ids import pick, timestamps, uuid_ids
from telemetry.mirror.queries import SQL_ERRORS, write_statements
from telemetry.mirror.timeline import HOUR, US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

GENIE_CLIENT = "Databricks SQL Genie Space"
RUN_OFFSET = 15 * 60 * US
_FETCH_ERRORS = {
    429: ("RATE_LIMIT_EXCEEDED", "429 Too Many Requests: rate limit of 5 requests per second exceeded"),
    403: ("PERMISSION_DENIED", "403 Forbidden: service principal does not have CAN VIEW on this space"),
    404: ("RESOURCE_DOES_NOT_EXIST", "404 Not Found: conversation was deleted"),
}
ERROR_TEXT = {
    "SQL_EXECUTION_EXCEPTION": "Genie's query failed to execute on the SQL warehouse.",
    "GENERIC_CHAT_COMPLETION_EXCEPTION": "The model failed to generate a response.",
    "REPLY_PROCESS_TIMEOUT_EXCEPTION": "Genie took too long to respond. Please try again.",
    "TABLES_MISSING_EXCEPTION": "Some tables referenced by this space no longer exist or are not accessible.",
    "RATE_LIMIT_EXCEEDED_GENERIC_EXCEPTION": "Too many questions: the workspace rate limit was exceeded.",
    "WAREHOUSE_ACCESS_MISSING_EXCEPTION": "You do not have CAN USE permission on the space's SQL warehouse.",
    "CONTEXT_EXCEEDED_EXCEPTION": "The conversation is too long. Start a new chat.",
    "NO_TABLES_TO_QUERY_EXCEPTION": "No tables are configured for this space.",
    "WAREHOUSE_NOT_FOUND_EXCEPTION": "The SQL warehouse configured for this space was not found.",
    "CONTENT_FILTER_EXCEPTION": "The request was blocked by the content filter.",
    "MESSAGE_CANCELLED_WHILE_EXECUTING_EXCEPTION": "The message was cancelled while the query was executing.",
}


def write_genie_statements(
    writer: Writer, world: World, m: GenieMessages, ids: GenieIds, extras: GenieExtras
) -> None:
    """Each message that ran SQL has its statement (same id as in the details); re-runs add more."""
    rng = world.streams("genie_statements")
    ran = np.flatnonzero(m.has_sql)
    rerun = extras.rerun_msg
    msg = np.concatenate([ran, rerun])
    n, sp = len(msg), world.spaces
    status = np.concatenate([m.stmt_status[ran], np.zeros(len(rerun), np.int64)])
    exec_total = np.concatenate([m.stmt_ms[ran], m.stmt_ms[rerun]])
    compile_ms = np.minimum(exec_total // 5, 800)
    gap_ms = (m.updated[ran] - m.stmt_start[ran]) // 1000 - m.queue_ms[ran] - m.stmt_ms[ran]
    fetch = np.concatenate([np.minimum(gap_ms, 150).clip(0), np.full(len(rerun), 40)])
    incident = np.concatenate([m.incident[ran], np.zeros(len(rerun), bool)])
    err_idx = np.where(incident, len(SQL_ERRORS), rng.integers(0, len(SQL_ERRORS), n))
    cols = {
        "workspace_id": pick(world.ws.ids, sp.ws[m.space[msg]]),
        "statement_id": pa.concat_arrays([ids.statement.take(pa.array(ran)), uuid_ids(rng, len(rerun))]),
        "compute_type": pick(["WAREHOUSE"], np.zeros(n, np.int32)),
        "warehouse_id": pick(world.warehouses.ids, sp.warehouse[m.space[msg]]),
        "executed_by_user_id": pick(world.people.user_id, m.person[msg]),
        "executed_by": pick(world.people.email, m.person[msg]),
        "statement_text": pick(vocab.genie_grid()[1], m.cell[msg]),
        "statement_type": pick(["SELECT"], np.zeros(n, np.int32)),
        "error_message": pick(list(SQL_ERRORS) + [WAREHOUSE_DOWN], err_idx, mask=status != 1),
        "client_application": pick([GENIE_CLIENT], np.zeros(n, np.int32)),
        "genie_space_id": pick(sp.space_id, m.space[msg]),
    }
    start = np.concatenate([m.stmt_start[ran], extras.rerun_ts])
    queue = np.concatenate([m.queue_ms[ran], np.zeros(len(rerun), np.int64)])
    rows = np.concatenate([m.rows[ran], m.rows[rerun]]) * rng.integers(5, 400, n)
    write_statements(
        writer, world, rng, cols, start, status, exec_total - compile_ms, queue, rows, compile_ms, fetch
    )
    writer.progress("query history: Genie", 1.0)


def _restricted_spaces(world: World, m: GenieMessages, rng: np.random.Generator) -> np.ndarray:
    """Spaces the job's service principal cannot read (every fetch answers 403): about 2 in 100, and
    always the least used space that has messages, so every demo has a backlog stuck in retry."""
    chosen = rng.random(world.spaces.n) < 0.02
    counts = np.bincount(m.space, minlength=world.spaces.n)
    used = np.flatnonzero(counts > 0)
    if len(used) > 1:
        chosen[used[np.argmin(counts[used])]] = True
    return np.flatnonzero(chosen)


def _fetch_plan(world: World, m: GenieMessages, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """When each message was discovered and fetched, and which fetch attempts failed with what."""
    now = world.window.end_us
    discovered = m.created - m.created % HOUR + HOUR + RUN_OFFSET + rng.integers(0, 90, len(m)) * US
    restricted = np.isin(m.space, _restricted_spaces(world, m, rng))
    code = np.select([restricted, rng.random(len(m)) < 0.005, rng.random(len(m)) < 0.03], [403, 404, 429], 0)
    first_try = np.where(m.updated <= discovered, discovered, discovered + HOUR)
    fetched = np.where(code == 429, first_try + HOUR, first_try)
    permanent = (code == 403) | (code == 404)
    return {
        "discovered": discovered,
        "code": code,
        "first_try": first_try,
        "fetched": np.where(permanent, np.iinfo(np.int64).max, fetched),
        "seen": discovered <= now,
        "done": (fetched <= now) & ~permanent,
    }


def write_genie_queue(writer: Writer, world: World, m: GenieMessages, ids: GenieIds) -> dict[str, np.ndarray]:
    """genie_messages_to_fetch and genie_fetch_errors; returns the fetch plan for the details."""
    rng = world.streams("genie_fetch")
    plan, now = _fetch_plan(world, m, rng), world.window.end_us
    seen = np.flatnonzero(plan["seen"])
    attempts = np.array([(plan["first_try"][seen] + k * HOUR <= now) for k in range(3)]).sum(axis=0)
    permanent = np.isin(plan["code"][seen], [403, 404])
    done = plan["done"][seen]
    code = plan["code"][seen]
    waiting = (code == 429) & (plan["first_try"][seen] <= now)
    attempts = np.where(done, np.where(code == 429, 2, 1), np.where(permanent, attempts, waiting.astype(int)))
    status = np.where(done, 0, np.where(permanent & (attempts >= 3), 2, 1))
    last = np.where(attempts > 0, plan["first_try"][seen] + (attempts - 1) * HOUR, 0)
    action = np.where(m.api[seen], np.where(m.first[seen], 1, 2), 0)
    writer.insert(
        "genie_messages_to_fetch",
        {
            **message_ids(world, m, ids, seen),
            "user_email": pick(world.people.email, m.person[seen]),
            "source_action": pick(
                [
                    "createConversationMessage",
                    "genieStartConversationMessage",
                    "genieCreateConversationMessage",
                ],
                action,
            ),
            "event_time": timestamps(m.created[seen]),
            "discovered_at": timestamps(plan["discovered"][seen]),
            "status": pick(["FETCHED", "PENDING", "FAILED"], status),
            "attempts": pa.array(attempts.astype(np.int32)),
            "last_attempt_at": pc.if_else(
                pa.array(attempts == 0), pa.scalar(None, pa.timestamp("us")), timestamps(last)
            ),
        },
    )
    _write_errors(
        writer, world, m, ids, plan, seen[(plan["code"][seen] > 0)], attempts[plan["code"][seen] > 0]
    )
    return plan


def message_ids(world: World, m: GenieMessages, ids: GenieIds, rows: np.ndarray) -> dict[str, pa.Array]:
    return {
        "workspace_id": pick(world.ws.ids, world.spaces.ws[m.space[rows]]),
        "space_id": pick(world.spaces.space_id, m.space[rows]),
        "conversation_id": ids.conversation.take(pa.array(m.conv[rows])),
        "message_id": ids.message.take(pa.array(rows)),
    }


def _write_errors(
    writer: Writer,
    world: World,
    m: GenieMessages,
    ids: GenieIds,
    plan: dict[str, np.ndarray],
    rows: np.ndarray,
    attempts: np.ndarray,
) -> None:
    code = plan["code"][rows]
    tries = np.where(code == 429, np.minimum(attempts, 1), attempts)
    rep = np.repeat(rows, tries)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(tries) - tries, tries)
    codes = np.repeat(code, tries)
    order = sorted(_FETCH_ERRORS)
    which = np.searchsorted(order, codes)
    writer.insert(
        "genie_fetch_errors",
        {
            **message_ids(world, m, ids, rep),
            "attempted_at": timestamps(plan["first_try"][rep] + k * HOUR + 20 * US),
            "attempt": pa.array((k + 1).astype(np.int32)),
            "http_status": pa.array(codes.astype(np.int32)),
            "error_code": pick([_FETCH_ERRORS[c][0] for c in order], which),
            "error_message": pick([_FETCH_ERRORS[c][1] for c in order], which),
        },
    )
