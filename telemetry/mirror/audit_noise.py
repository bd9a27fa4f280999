"""Ordinary workspace traffic: the bulk of `system.access.audit` that app and Genie rows hide in.

Unity Catalog lookups, notebook commands, SQL commands, cluster and secret calls, token logins.
Generated in chunks of days so scale 10 (tens of millions of rows) stays within memory.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from telemetry.mirror import vocab
from telemetry.mirror.audit import AUDIT_SELECT, AuditEvents, AuditKind, audit_table
from telemetry.mirror.ids import hex_ids, pick
from telemetry.mirror.timeline import sample_events
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

ROWS_PER_DAY = 22_000  # at scale 1: ~1.9 M rows over 90 days (+0.35 M app and Genie rows)
CHUNK_ROWS = 500_000

Param = Callable[[np.random.Generator, np.ndarray, World], pa.Array]


def _pool(rng: np.random.Generator, n: int, size: int, a: float = 1.3) -> np.ndarray:
    """Zipf-like choice among `size` items (a few tables/clusters are touched most)."""
    return np.minimum(rng.zipf(a, n) - 1, size - 1)


_TABLES = [
    f"main.{d.name}.{t}"
    for d in vocab.DOMAINS
    for t in (d.table.rsplit(".", 1)[1], "dim_date", "dim_customer", "fact_daily", "staging_raw", "snapshot")
]
_TABLES += [
    "system.access.audit",
    "system.billing.usage",
    "samples.nyctaxi.trips",
    "hive_metastore.default.tmp",
]
_SQL = [
    "SELECT * FROM {} LIMIT 1000",
    "SELECT count(*) FROM {}",
    "DESCRIBE TABLE {}",
    "SELECT * FROM {} WHERE load_date = current_date()",
    "OPTIMIZE {}",
]


def _ws_id(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(world.ws.ids, world.people.ws[person])


def _const(values: list[str], p: list[float] | None = None) -> Param:
    def make(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
        return pick(values, rng.choice(len(values), len(person), p=p))

    return make


def _numeric(low: int, high: int) -> Param:
    def make(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
        return pa.array(rng.integers(low, high, len(person)).astype(str))

    return make


def _table(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(_TABLES, _pool(rng, len(person), len(_TABLES)))


def _hexid(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return hex_ids(rng, len(person), 16)


def _cluster(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    ids = [
        f"{m:04d}-{d:06d}-{h}"
        for m, d, h in zip(
            range(101, 141),
            range(120000, 120040),
            hex_ids(np.random.default_rng(5), 40, 4).to_pylist(),
            strict=False,
        )
    ]
    return pick(ids, (world.people.ws[person] * 5 + _pool(rng, len(person), 5)) % len(ids))


def _warehouse(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    per = int(np.sum(world.warehouses.ws == 0))
    return pick(world.warehouses.ids, world.people.ws[person] * per + rng.integers(0, per, len(person)))


def _sql(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    texts = [s.format(t) for s in _SQL for t in _TABLES]
    return pick(texts, rng.integers(0, len(texts), len(person)))


def _email(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(world.people.email, person)


def _path(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    paths = [
        f"/Workspace/Shared/{d.name}/{x}" for d in vocab.DOMAINS for x in ("etl", "reports", "exploration")
    ]
    return pick(paths, rng.integers(0, len(paths), len(person)))


# (kind, weight, param makers, error rate)
NOISE: tuple[tuple[AuditKind, float, tuple[Param, ...], float], ...] = (
    (
        AuditKind("unityCatalog", "getTable", ("full_name_arg", "workspace_id", "metastore_id")),
        26,
        (
            _table,
            _ws_id,
            _const(["3f2c9a1e-8d4b-4c3a-9f1e-2b7d6a5c4e10", "a81b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]),
        ),
        0.02,
    ),
    (
        AuditKind("unityCatalog", "generateTemporaryTableCredential", ("table_id", "operation")),
        12,
        (_hexid, _const(["READ", "READ_WRITE"], [0.9, 0.1])),
        0.01,
    ),
    (
        AuditKind("unityCatalog", "listSchemas", ("catalog_name", "workspace_id")),
        6,
        (_const(["main", "system", "samples", "sandbox", "hive_metastore"]), _ws_id),
        0.005,
    ),
    (
        AuditKind("unityCatalog", "getPermissions", ("securable_type", "securable_full_name")),
        2,
        (_const(["table", "schema", "catalog"]), _table),
        0.01,
    ),
    (AuditKind("clusters", "list", (), api=True), 4, (), 0.0),
    (AuditKind("clusters", "get", ("cluster_id",)), 3, (_cluster,), 0.01),
    (
        AuditKind(
            "notebook",
            "runCommand",
            ("notebookId", "commandId", "executionTime", "status", "commandLanguage", "clusterId"),
        ),
        10,
        (
            _numeric(10**14, 10**15),
            _hexid,
            _numeric(0, 120),
            _const(["finished", "error"], [0.93, 0.07]),
            _const(["python", "sql", "scala"], [0.7, 0.25, 0.05]),
            _cluster,
        ),
        0.0,
    ),
    (
        AuditKind("notebook", "attachNotebook", ("path", "clusterId", "notebookId")),
        2,
        (_path, _cluster, _numeric(10**14, 10**15)),
        0.0,
    ),
    (
        AuditKind("databrickssql", "commandSubmit", ("commandId", "warehouseId", "commandText")),
        6,
        (_hexid, _warehouse, _sql),
        0.0,
    ),
    (AuditKind("databrickssql", "commandFinish", ("commandId", "warehouseId")), 6, (_hexid, _warehouse), 0.0),
    (AuditKind("sqlPermissions", "requestPermissions", ("requests",)), 1, (_table,), 0.03),
    (AuditKind("dashboards", "getPublishedDashboard", ("dashboard_id",)), 4, (_hexid,), 0.01),
    (AuditKind("jobs", "runNow", ("job_id",), api=True), 1, (_numeric(10**14, 10**15),), 0.01),
    (
        AuditKind("secrets", "getSecret", ("scope", "key"), api=True),
        3,
        (_const(["prod-kv", "etl", "ml-keys"]), _const(["api-token", "jdbc-password", "openai-key"])),
        0.01,
    ),
    (AuditKind("accounts", "tokenLogin", ("tokenId", "user"), api=True), 4, (_hexid, _email), 0.01),
    (
        AuditKind("workspace", "workspaceExport", ("path", "workspaceExportFormat")),
        1,
        (_path, _const(["SOURCE", "HTML", "JUPYTER"])),
        0.0,
    ),
    (AuditKind("filesystem", "filesGet", ("path",), api=True), 2, (_path,), 0.02),
    (AuditKind("accounts", "login", ("user",), level="ACCOUNT_LEVEL"), 1, (_email,), 0.02),
)
KINDS = [k for k, *_ in NOISE]
_ERRORS = {
    403: "PERMISSION_DENIED: User does not have USE SCHEMA on Schema",
    404: "RESOURCE_DOES_NOT_EXIST",
    400: "INVALID_PARAMETER_VALUE",
}


def _events(rng: np.random.Generator, world: World, person: np.ndarray, ts: np.ndarray) -> AuditEvents:
    weights = np.array([w for _, w, _, _ in NOISE])
    kind = rng.choice(len(NOISE), len(ts), p=weights / weights.sum())
    width = max(len(k.keys) for k in KINDS)
    columns: list[list[pa.Array]] = [[] for _ in range(width)]
    order = np.argsort(kind, kind="stable")
    kind, person, ts = kind[order], person[order], ts[order]
    bounds = np.searchsorted(kind, np.arange(len(NOISE) + 1))
    for k, (_, _, makers, _) in enumerate(NOISE):
        rows = slice(bounds[k], bounds[k + 1])
        for j in range(width):
            made = makers[j](rng, person[rows], world) if j < len(makers) else None
            n = bounds[k + 1] - bounds[k]
            columns[j].append(made.cast(pa.string()) if made is not None else pa.nulls(n, pa.string()))
    err_rate = np.array([e for *_, e in NOISE])[kind]
    status = np.where(
        rng.random(len(ts)) < err_rate, rng.choice([403, 404, 400], len(ts), p=[0.5, 0.35, 0.15]), 200
    )
    codes = sorted(_ERRORS)
    error = pick([_ERRORS[c] for c in codes], np.searchsorted(codes, status).clip(0, 2), mask=status == 200)
    return AuditEvents(kind, ts, person, [pa.concat_arrays(c) for c in columns], status, error)


def _chunk(world: World, rng: np.random.Generator, mask: np.ndarray, total: float) -> list[AuditEvents]:
    """Human (business hours) and service-principal (around the clock) events on the days in `mask`."""
    window, people = world.window, world.people
    base_p = window.day_p()
    share = float((base_p * mask).sum())
    human_w = np.where(people.kind == 1, 0.0, people.weight)
    who, ts = sample_events(
        rng,
        window,
        total * 0.85 * share,
        human_w,
        people.tz,
        people.active_from,
        people.active_to,
        day_p=base_p * mask / share,
    )
    sp_w = np.where(people.kind == 1, people.weight, 0.0)
    who2, ts2 = sample_events(
        rng,
        window,
        total * 0.15 * (mask.sum() / window.n_grid),
        sp_w,
        people.tz,
        people.active_from,
        people.active_to,
        day_p=mask / mask.sum(),
        hour_p=np.full(24, 1 / 24),
    )
    return [_events(rng, world, who, ts), _events(rng, world, who2, ts2)]


def write_noise(writer: Writer, world: World) -> None:
    """Background traffic in day chunks; DuckDB inserts one chunk while numpy draws the next."""
    window = world.window
    rng = world.streams("audit_noise")
    total = ROWS_PER_DAY * world.scale * window.n_grid
    n_chunks = max(1, int(np.ceil(total / CHUNK_ROWS)))
    edges = np.linspace(0, window.n_grid, n_chunks + 1).astype(int)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future | None = None
        for c in range(n_chunks):
            mask = np.zeros(window.n_grid)
            mask[edges[c] : edges[c + 1]] = 1.0
            for ev in _chunk(world, rng, mask, total):
                cols = audit_table(world, rng, KINDS, ev)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.insert, "audit", cols, AUDIT_SELECT)
            writer.progress("audit: workspace traffic", (c + 1) / n_chunks)
        if pending is not None:
            pending.result()
