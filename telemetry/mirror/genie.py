"""The Genie conversation model: who asked what, in which space, and what happened.

One set of arrays (`GenieMessages`) is the single truth that the Genie audit events, the
generated statements in query history, the message details our job fetched, the fetch queue
and the Genie billing rows are all derived from — which is what makes them join.
Statuses follow the API enums (MessageStatus, MessageErrorType); a few spaces are badly
configured (more failures) and warehouse incidents fail everything on that warehouse for hours.
One busy space has a failure spike over the last days (a table it reads was dropped), which
Genie quality's baseline rule flags; a few unused spaces were deleted during the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from telemetry.mirror import vocab
from telemetry.mirror.timeline import US, heavy_durations_ms, sample_events
from telemetry.mirror.world_apps import World

CONVERSATIONS_PER_DAY = 160  # at scale 1

COMPLETED, FAILED, CANCELLED, EXPIRED = "COMPLETED", "FAILED", "CANCELLED", "QUERY_RESULT_EXPIRED"
STATUSES = (COMPLETED, FAILED, CANCELLED, EXPIRED)
# (error type, weight, the message had SQL that ran and failed)
ERROR_TYPES = (
    ("SQL_EXECUTION_EXCEPTION", 0.30, True),
    ("GENERIC_CHAT_COMPLETION_EXCEPTION", 0.15, False),
    ("REPLY_PROCESS_TIMEOUT_EXCEPTION", 0.12, False),
    ("TABLES_MISSING_EXCEPTION", 0.08, False),
    ("RATE_LIMIT_EXCEEDED_GENERIC_EXCEPTION", 0.08, False),
    ("WAREHOUSE_ACCESS_MISSING_EXCEPTION", 0.06, False),
    ("CONTEXT_EXCEEDED_EXCEPTION", 0.05, False),
    ("NO_TABLES_TO_QUERY_EXCEPTION", 0.04, False),
    ("WAREHOUSE_NOT_FOUND_EXCEPTION", 0.03, False),
    ("CONTENT_FILTER_EXCEPTION", 0.03, False),
    ("MESSAGE_CANCELLED_WHILE_EXECUTING_EXCEPTION", 0.06, True),
)
WAREHOUSE_DOWN = "The SQL warehouse failed to start: INSTANCE_POOL_CAPACITY_EXCEEDED (CLOUD_FAILURE)"
SPIKE_DAYS = 5  # the spike space's last days (five, so weekdays are among them): a table it reads was dropped
SPIKE_FAILURE_SHARE = 0.45
SPIKE_ERROR = 3  # TABLES_MISSING_EXCEPTION
NEVER = np.iinfo(np.int64).max


@dataclass
class GenieMessages:
    """Parallel arrays, one entry per message (conversation columns repeated)."""

    conv: np.ndarray  # conversation number
    first: np.ndarray  # first message of its conversation
    person: np.ndarray
    space: np.ndarray
    api: np.ndarray  # sent through the Genie REST API (service principals)
    created: np.ndarray  # µs
    updated: np.ndarray  # µs
    cell: np.ndarray  # vocab.genie_grid() cell: prompt, SQL, title, description
    status: np.ndarray  # index into STATUSES
    error: np.ndarray  # index into ERROR_TYPES, -1 if none
    has_sql: np.ndarray
    stmt_status: np.ndarray  # 0 FINISHED, 1 FAILED, 2 CANCELED, -1 no statement
    stmt_start: np.ndarray
    stmt_ms: np.ndarray
    queue_ms: np.ndarray
    rows: np.ndarray
    incident: np.ndarray  # failed because its warehouse was down

    def __len__(self) -> int:
        return len(self.created)


def spike_space(world: World) -> int:
    """The space with the failure spike: the most popular one that existed two weeks before the window."""
    sp = world.spaces
    old = sp.create_us <= world.window.start_us - 14 * 24 * 3600 * US
    return int(np.argmax(np.where(old & (deleted_us(world) == NEVER), sp.popularity, -1.0)))


def deleted_us(world: World) -> np.ndarray:
    """When each space was trashed (NEVER if it still exists): the least popular 1 in 25, in the window's
    second half, so they had a little traffic before and none after."""
    sp, w = world.spaces, world.window
    out = np.full(sp.n, NEVER, np.int64)
    gone = np.argsort(sp.popularity, kind="stable")[: sp.n // 25]
    rng = world.streams("genie_deleted")
    moment = w.start_us + ((0.5 + 0.45 * rng.random(len(gone))) * (w.end_us - w.start_us)).astype(np.int64)
    out[gone] = np.maximum(moment, sp.create_us[gone] + 24 * 3600 * US)
    return out


def _conversations(
    world: World, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(person, space, start µs, api flag) per conversation."""
    people, spaces = world.people, world.spaces
    api_sp = (people.kind == 1) & (np.arange(people.n) % 3 == 0)
    w = people.weight * people.genie_affinity + np.where(api_sp, 2.0, 0.0)
    w[people.kind == 2] = 0.6  # test accounts poke Genie too
    expected = CONVERSATIONS_PER_DAY * world.scale * world.window.n_grid
    who, ts = sample_events(rng, world.window, expected, w, people.tz, people.active_from, people.active_to)
    space = np.full(len(who), -1)
    for ws in range(len(world.ws.ids)):
        rows = np.flatnonzero(people.ws[who] == ws)
        pool = np.flatnonzero(spaces.ws == ws)
        if len(pool) == 0:
            pool = np.arange(spaces.n)
        p = spaces.popularity[pool] / spaces.popularity[pool].sum()
        space[rows] = rng.choice(pool, len(rows), p=p)
    keep = (spaces.create_us[space] <= ts) & (ts < deleted_us(world)[space])
    return who[keep], space[keep], ts[keep], (people.kind[who[keep]] == 1)


def _prompts(
    world: World, rng: np.random.Generator, space: np.ndarray, conv: np.ndarray, first: np.ndarray
) -> np.ndarray:
    n = len(conv)
    dom = world.spaces.domain[space]
    measure = rng.integers(0, 4, conv.max() + 1 if n else 1)[conv]
    period = rng.integers(0, len(vocab.PERIODS), conv.max() + 1 if n else 1)[conv]
    template = np.where(
        first,
        rng.integers(0, vocab.FIRST_TEMPLATES, n),
        rng.integers(vocab.FIRST_TEMPLATES, vocab.N_TEMPLATES, n),
    )
    return vocab.genie_cell(dom, template, measure, rng.integers(0, 4, n), period)


def _outcomes(
    world: World,
    rng: np.random.Generator,
    space: np.ndarray,
    created: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(status, error type, incident) per message."""
    n = len(created)
    quality = world.spaces.quality[space]
    u = rng.random(n)
    status = np.select(
        [u < 0.07 * quality, u < 0.07 * quality + 0.025, u < 0.07 * quality + 0.04], [1, 2, 3], 0
    )
    weights = np.array([w for _, w, _ in ERROR_TYPES])
    error = np.where(status == 1, rng.choice(len(ERROR_TYPES), n, p=weights / weights.sum()), -1)
    incident = np.zeros(n, bool)
    for inc in world.incidents:
        if inc.kind == "warehouse":
            wh = inc.target % len(world.warehouses.ids)
            hit = (world.spaces.warehouse[space] == wh) & (created >= inc.start_us) & (created < inc.end_us)
            hit &= rng.random(n) < 0.8
            status, error, incident = np.where(hit, 1, status), np.where(hit, 0, error), incident | hit
    spike = world.streams("genie_spike").random(n) < SPIKE_FAILURE_SHARE
    spike &= (space == spike_space(world)) & (created >= world.window.end_us - SPIKE_DAYS * 24 * 3600 * US)
    status, error = np.where(spike, 1, status), np.where(spike, SPIKE_ERROR, error)
    return status, error, incident


def _statements(rng: np.random.Generator, status: np.ndarray,
                error: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ran SQL, statement status 0 FINISHED / 1 FAILED / 2 CANCELED / -1 none) per message."""
    n = len(status)
    failed_in_sql = np.array([e[2] for e in ERROR_TYPES] + [False])[error]  # error -1 → False
    text_only = (status == 0) & (rng.random(n) < 0.06)
    ran = ((status == 0) & ~text_only) | (status == 3) | ((status == 1) & failed_in_sql)
    ran |= (status == 2) & (rng.random(n) < 0.5)
    cancelled_sql = (status == 1) & (error == len(ERROR_TYPES) - 1)
    return ran, np.select([~ran, status == 2, cancelled_sql, status == 1], [-1, 2, 2, 1], 0)


def _message_times(rng: np.random.Generator, start: np.ndarray, n_msg: np.ndarray,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(conversation, created µs) of each message: follow-ups a think-time after the previous one."""
    conv = np.repeat(np.arange(len(start)), n_msg)
    offsets = np.concatenate([[0], np.cumsum(n_msg)])
    first = np.arange(len(conv)) == offsets[conv]
    gaps = np.where(first, 0, rng.lognormal(np.log(75 * US), 0.8, len(conv)).astype(np.int64))
    cum = np.cumsum(gaps)
    return conv, start[conv] + cum - np.repeat(cum[offsets[:-1]], n_msg)


def build_messages(world: World) -> GenieMessages:
    """Draw every conversation and message of the window (messages not finished by now are dropped)."""
    rng = world.streams("genie")
    person, space, start, api = _conversations(world, rng)
    conv, created = _message_times(rng, start, np.minimum(rng.geometric(0.45, len(start)), 10))
    n, sp = len(conv), space[conv]
    first = np.concatenate([[True], conv[1:] != conv[:-1]]) if n else np.zeros(0, bool)
    status, error, incident = _outcomes(world, rng, sp, created)
    ran, stmt_status = _statements(rng, status, error)
    queue_ms = np.where(rng.random(n) < 0.08, rng.integers(4000, 60000, n), 0)
    stmt_ms = heavy_durations_ms(rng, n, 1400, 1.25, 900_000)
    stmt_start = created + heavy_durations_ms(rng, n, 5500, 0.5, 90_000) * 1000
    end = np.where(ran, stmt_start + (queue_ms + stmt_ms) * 1000, stmt_start)
    timeout = error == 2  # REPLY_PROCESS_TIMEOUT_EXCEPTION: Genie gave up after minutes
    updated = end + np.where(timeout, rng.integers(120, 300, n) * US, rng.integers(200_000, 2 * US, n))
    rows = np.where(stmt_status == 0, np.minimum(rng.lognormal(3.0, 1.6, n), 5e6), 0).astype(np.int64)
    m = GenieMessages(conv, first, person[conv], sp, api[conv], created, updated,
                      _prompts(world, rng, sp, conv, first), status, error, ran, stmt_status, stmt_start,
                      stmt_ms, queue_ms, rows, incident)
    return _subset(m, updated <= world.window.end_us)


def _subset(m: GenieMessages, keep: np.ndarray) -> GenieMessages:
    return GenieMessages(**{k: v[keep] for k, v in vars(m).items()})
