"""Turning arrays of events into `system.access.audit` rows.

Every audit generator (background traffic, app logins, lifecycle, ACLs, Genie) describes its
events with an `AuditKind` index, a time, an actor and up to six request_params values; this
module fills the columns they have in common (ids, session, IP, user agent, structs) in one
vectorised pass, so all audit rows look alike wherever they came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import vocab
from telemetry.mirror.ids import keyed_hex, pick, string_map, timestamps, uuid_ids
from telemetry.mirror.timeline import DAY
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer


@dataclass(frozen=True)
class AuditKind:
    """One (service_name, action_name) with its request_params keys, in order."""

    service: str
    action: str
    keys: tuple[str, ...]
    level: str = "WORKSPACE_LEVEL"
    api: bool = False  # called by SDKs/CLIs rather than the browser UI


@dataclass
class AuditEvents:
    """Events of several kinds: parallel arrays, `params[j]` is the j-th request_params value."""

    kind: np.ndarray
    ts: np.ndarray
    person: np.ndarray
    params: Sequence[pa.Array | None]
    status: np.ndarray | None = None
    error: pa.Array | None = None
    result: pa.Array | None = None
    ws: np.ndarray | None = None  # defaults to the person's home workspace
    param_id: np.ndarray | None = None  # request_params joined from a catalogue instead of `params`

    def __len__(self) -> int:
        return len(self.ts)


AUDIT_SELECT = """
  account_id, workspace_id, '2.0' AS version, event_time, CAST(event_time AS DATE) AS event_date,
  source_ip_address, user_agent, session_id,
  struct_pack(email := email, subject_name := subject_name) AS user_identity,
  service_name, action_name, request_id, request_params,
  struct_pack(status_code := status_code, error_message := error_message, result := result) AS response,
  audit_level, event_id, struct_pack(run_by := run_by, run_as := run_as) AS identity_metadata
"""


def _agents(world: World, kinds: Sequence[AuditKind], ev: AuditEvents) -> pa.Array:
    """Browser agents for people in the UI, SDK/CLI agents for API calls and service principals."""
    api = np.array([k.api for k in kinds])[ev.kind] | (world.people.kind[ev.person] == 1)
    per_person = ev.person % len(vocab.BROWSER_AGENTS)
    sdk = len(vocab.BROWSER_AGENTS) + (ev.person + ev.kind) % len(vocab.SDK_AGENTS)
    return pick(vocab.BROWSER_AGENTS + vocab.SDK_AGENTS, np.where(api, sdk, per_person))


def audit_table(world: World, rng: np.random.Generator, kinds: Sequence[AuditKind],
                ev: AuditEvents) -> dict[str, pa.Array]:
    """Flat audit columns for `Writer.insert("audit", …, AUDIT_SELECT)`."""
    cols = _common(world, rng, kinds, ev)
    if ev.param_id is not None:
        cols["param_id"] = pa.array(ev.param_id.astype(np.int64))
    else:
        cols["request_params"] = string_map([k.keys for k in kinds], ev.kind, ev.params)
    return cols


def _common(world: World, rng: np.random.Generator, kinds: Sequence[AuditKind],
            ev: AuditEvents) -> dict[str, pa.Array]:
    """The columns every audit row has, whatever its kind."""
    n = len(ev)
    people = world.people
    level = np.array([k.level == "ACCOUNT_LEVEL" for k in kinds])[ev.kind]
    ws = people.ws[ev.person] if ev.ws is None else ev.ws
    ws_ids = pick(world.ws.ids + ["0"], np.where(level, len(world.ws.ids), ws))
    status = np.full(n, 200, np.int32) if ev.status is None else ev.status.astype(np.int32)
    sp = people.kind[ev.person] == 1
    session_key = ev.person.astype(np.int64) * 100_000 + ev.ts // DAY
    return {
        "account_id": pick([world.account_id], np.zeros(n, np.int32)),
        "workspace_id": ws_ids,
        "event_time": timestamps(ev.ts),
        "source_ip_address": pick(people.ip, ev.person),
        "user_agent": _agents(world, kinds, ev),
        "session_id": pc.if_else(pa.array(sp), pa.scalar(None, pa.string()), keyed_hex(session_key, 16)),
        "email": pick(people.email, ev.person),
        # service principals: the application id (also their `email`, as Databricks logs it)
        "subject_name": pc.if_else(pa.array(sp), pick(people.email, ev.person).cast(pa.string()),
                                   pa.scalar(None, pa.string())),
        "service_name": pick([k.service for k in kinds], ev.kind),
        "action_name": pick([k.action for k in kinds], ev.kind),
        "request_id": uuid_ids(rng, n),
        "status_code": pa.array(status),
        "error_message": ev.error if ev.error is not None else pa.nulls(n, pa.string()),
        "result": ev.result if ev.result is not None else pa.nulls(n, pa.string()),
        "audit_level": pick(["WORKSPACE_LEVEL", "ACCOUNT_LEVEL"], level.astype(np.int32)),
        "event_id": uuid_ids(rng, n),
        "run_by": pa.nulls(n, pa.string()),
        "run_as": pa.nulls(n, pa.string()),
    }


def create_catalog(writer: Writer, name: str, kinds: Sequence[AuditKind], kind: np.ndarray,
                   params: Sequence[pa.Array | None]) -> str:
    """A temporary table `name(id, request_params)` of ready-made maps; returns the JOIN for inserts.

    DuckDB spends about a microsecond building each MAP entry but copies a whole map ~7x faster,
    so high-volume events whose parameters repeat (workspace traffic, OAuth logins) reference a
    catalogue row by `param_id` instead of carrying their own map.
    """
    maps = string_map([k.keys for k in kinds], kind, params)
    table = pa.table({"id": pa.array(np.arange(len(kind))), "request_params": maps})
    writer.con.register(f"{name}_view", table)
    writer.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_view")
    writer.con.unregister(f"{name}_view")
    return f" AS f JOIN {name} AS p ON p.id = f.param_id"


def write_audit(writer: Writer, world: World, rng: np.random.Generator, kinds: Sequence[AuditKind],
                ev: AuditEvents, join: str = "") -> int:
    """Insert one batch of audit events (with `join` when they carry catalogue `param_id`s)."""
    if len(ev) == 0:
        return 0
    return writer.insert("audit", audit_table(world, rng, kinds, ev), AUDIT_SELECT, join)
