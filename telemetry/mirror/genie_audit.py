"""Genie's `aibiGenie` audit events, derived message by message from the conversation model.

UI traffic: createConversation, createConversationMessage, getConversationMessage polls,
executeMessageQuery re-runs, updateConversationMessageFeedback (POSITIVE/NEGATIVE) and
createConversationMessageComment ("request review"). API traffic (service principals) uses the
`genie*` actions (genieStartConversationMessage, genieCreateConversationMessage, polls, results)
and sometimes hits 429. Space management: createSpace, getSpace, updateSpace, trashSpace.
Every message-level event carries space_id, conversation_id and message_id in request_params.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror.audit import AuditEvents, AuditKind, write_audit
from telemetry.mirror.genie import NEVER, GenieMessages, deleted_us
from telemetry.mirror.ids import hex_ids, pick, uuid_ids
from telemetry.mirror.timeline import US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

_MSG_KEYS = ("space_id", "conversation_id", "message_id")
KINDS = [
    AuditKind("aibiGenie", "createConversation", ("space_id", "conversation_id")),
    AuditKind("aibiGenie", "createConversationMessage", _MSG_KEYS),
    AuditKind("aibiGenie", "getConversationMessage", _MSG_KEYS),
    AuditKind("aibiGenie", "executeMessageQuery", _MSG_KEYS),
    AuditKind("aibiGenie", "updateConversationMessageFeedback", _MSG_KEYS + ("feedback_rating",)),
    AuditKind("aibiGenie", "createConversationMessageComment", _MSG_KEYS),
    AuditKind("aibiGenie", "genieStartConversationMessage", _MSG_KEYS, api=True),
    AuditKind("aibiGenie", "genieCreateConversationMessage", _MSG_KEYS, api=True),
    AuditKind("aibiGenie", "genieGetConversationMessage", _MSG_KEYS, api=True),
    AuditKind("aibiGenie", "genieGetMessageAttachmentQueryResult", _MSG_KEYS + ("attachment_id",), api=True),
    AuditKind("aibiGenie", "getSpace", ("space_id",)),
    AuditKind("aibiGenie", "createSpace", ("space_id",)),
    AuditKind("aibiGenie", "updateSpace", ("space_id",)),
    AuditKind("aibiGenie", "trashSpace", ("space_id",)),
]
CREATE_MESSAGE_KINDS = (1, 6, 7)
RATINGS = ("POSITIVE", "NEGATIVE")


@dataclass
class GenieIds:
    """Identifiers shared by the Genie tables."""

    conversation: pa.Array  # per conversation
    message: pa.Array  # per message
    statement: pa.Array  # per message (used when the message ran SQL)
    attachment: pa.Array  # per message


@dataclass
class GenieExtras:
    """Facts decided while writing the audit that other tables repeat."""

    rating: np.ndarray  # per message: -1 none, else index into RATINGS
    rerun_msg: np.ndarray  # executeMessageQuery re-runs: message index and time
    rerun_ts: np.ndarray


def make_ids(world: World, m: GenieMessages) -> GenieIds:
    """Fresh hex ids (32 chars, as the API returns) and UUID statement ids."""
    rng = world.streams("genie_ids")
    n_conv = int(m.conv.max()) + 1 if len(m) else 0
    return GenieIds(hex_ids(rng, n_conv), hex_ids(rng, len(m)), uuid_ids(rng, len(m)), hex_ids(rng, len(m)))


def _spread(
    rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """k[i] times uniformly in [lo[i], hi[i]] for each i: (row index, time)."""
    rows = np.repeat(np.arange(len(k)), k)
    return rows, lo[rows] + (rng.random(len(rows)) * (hi[rows] - lo[rows])).astype(np.int64)


def _message_events(rng: np.random.Generator, m: GenieMessages, now: int) -> tuple[list, GenieExtras]:
    """(kind, message index, time, status, extra) tuples of arrays; and the feedback/rerun facts."""
    n, api, idx = len(m), m.api, np.arange(len(m))
    parts = []
    ui_first = ~api & m.first
    parts.append((0, idx[ui_first], m.created[ui_first] - rng.integers(300_000, 2 * US, ui_first.sum())))
    create_kind = np.where(api, np.where(m.first, 6, 7), 1)
    for k in CREATE_MESSAGE_KINDS:
        parts.append((k, idx[create_kind == k], m.created[create_kind == k]))
    polls = np.where(api, 2 + rng.poisson(3, n), 1 + rng.poisson(1.5, n))
    rows, ts = _spread(rng, m.created, m.updated, polls)
    parts.append((2, rows[~api[rows]], ts[~api[rows]]))
    parts.append((8, rows[api[rows]], ts[api[rows]]))
    got = api & (m.stmt_status == 0)
    parts.append((9, idx[got], m.updated[got] + rng.integers(100_000, 900_000, got.sum())))
    rerun = ~api & (m.stmt_status == 0) & (rng.random(n) < 0.04)
    rerun_ts = m.updated[rerun] + rng.lognormal(np.log(20 * 60 * US), 1.2, rerun.sum()).astype(np.int64)
    parts.append((3, idx[rerun], rerun_ts))
    ok = m.status == 0
    give = ~api & (rng.random(n) < np.where(ok, 0.11, 0.3))
    rating = np.where(give, np.where(rng.random(n) < np.where(ok, 0.72, 0.12), 0, 1), -1)
    fb_ts = m.updated + rng.integers(5, 180, n) * US
    parts.append((4, idx[give], fb_ts[give]))
    comment = give & (rating == 1) & (rng.random(n) < 0.3)
    parts.append((5, idx[comment], fb_ts[comment] + rng.integers(10, 90, comment.sum()) * US))
    keep_rerun = rerun_ts <= now
    extras = GenieExtras(np.where(fb_ts <= now, rating, -1), idx[rerun][keep_rerun], rerun_ts[keep_rerun])
    return parts, extras


def _space_events(rng: np.random.Generator, world: World, m: GenieMessages) -> AuditEvents:
    sp, w = world.spaces, world.window
    opens = ~m.api & m.first & (rng.random(len(m)) < 0.5)
    born = np.flatnonzero(sp.create_us >= w.start_us)
    upd_space = rng.choice(sp.n, max(1, sp.n // 2))
    upd_ts = w.start_us + (rng.random(len(upd_space)) * (w.end_us - w.start_us)).astype(np.int64)
    upd_ts = np.maximum(upd_ts, sp.create_us[upd_space] + 3600 * US)
    deleted = deleted_us(world)
    trashed = np.flatnonzero(deleted != NEVER)
    kind = np.concatenate([np.full(opens.sum(), 10), np.full(len(born), 11), np.full(len(upd_space), 12),
                           np.full(len(trashed), 13)])
    space = np.concatenate([m.space[opens], born, upd_space, trashed])
    person = np.concatenate([m.person[opens], sp.creator[born], sp.creator[upd_space], sp.creator[trashed]])
    ts = np.concatenate([m.created[opens] - 5 * US, sp.create_us[born], upd_ts, deleted[trashed]])
    keep = (ts >= w.start_us) & (ts <= w.end_us) & ((kind == 13) | (ts < deleted[space]))
    return AuditEvents(
        kind[keep], ts[keep], person[keep], [pick(sp.space_id, space[keep])], ws=sp.ws[space[keep]]
    )


def write_genie_audit(writer: Writer, world: World, m: GenieMessages, ids: GenieIds) -> GenieExtras:
    """Insert all aibiGenie events; return feedback ratings and re-runs for the other tables."""
    rng = world.streams("genie_audit")
    w = world.window
    parts, extras = _message_events(rng, m, w.end_us)
    kind = np.concatenate([np.full(len(i), k) for k, i, _ in parts])
    msg = np.concatenate([i for _, i, _ in parts])
    ts = np.concatenate([t for _, _, t in parts])
    keep = (ts >= w.start_us) & (ts <= w.end_us)
    kind, msg, ts = kind[keep], msg[keep], ts[keep]
    api = m.api[msg]
    status = np.where(api & (rng.random(len(ts)) < 0.012), 429, 200)
    params = [
        pick(world.spaces.space_id, m.space[msg]),
        ids.conversation.take(pa.array(m.conv[msg])),
        ids.message.take(pa.array(msg)),
        _fourth(kind, msg, extras, ids),
    ]
    errors = pick(
        ["RESOURCE_EXHAUSTED: Too many requests. Please wait and retry."],
        np.zeros(len(ts), np.int32),
        mask=status == 200,
    )
    ev = AuditEvents(kind, ts, m.person[msg], params, status, errors, ws=world.spaces.ws[m.space[msg]])
    write_audit(writer, world, rng, KINDS, ev)
    write_audit(writer, world, rng, KINDS, _space_events(rng, world, m))
    writer.progress("audit: Genie", 1.0)
    return extras


def _fourth(kind: np.ndarray, msg: np.ndarray, extras: GenieExtras, ids: GenieIds) -> pa.Array:
    """The 4th request_params value: feedback_rating for feedback, attachment_id for result fetches."""
    rating = pick(RATINGS, extras.rating[msg].clip(0, 1), mask=kind != 4)
    attachment = ids.attachment.take(pa.array(msg))
    return pc.if_else(pa.array(kind == 9), attachment, rating.cast(pa.string()))
