"""The background audit events: which services and actions, and how their request_params look.

Each kind has up to six request_params and a "key": `ws` kinds draw their parameters from a pool
per workspace (tables, clusters, warehouses of that workspace), `person` kinds have parameters
tied to the actor (a token login names its own user). Pools keep the MAP values to a finite
catalogue, which lets DuckDB copy ready-made maps instead of building millions (see audit_noise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from telemetry.mirror import vocab
from telemetry.mirror.audit import AuditKind
from telemetry.mirror.ids import hex_ids, pick
from telemetry.mirror.timeline import skewed_index
from telemetry.mirror.world_apps import World

Param = Callable[[np.random.Generator, np.ndarray, World], pa.Array]


@dataclass(frozen=True)
class NoiseKind:
    """One kind of background event: weight in the mix, parameter makers, error rate, pool key."""

    kind: AuditKind
    weight: float
    makers: tuple[Param, ...]
    error_rate: float
    key: str = "ws"


_TABLES = [f"main.{d.name}.{t}" for d in vocab.DOMAINS for t in (
    d.table.rsplit(".", 1)[1], "dim_date", "dim_customer", "fact_daily", "staging_raw", "snapshot")]
_TABLES += ["system.access.audit", "system.billing.usage", "samples.nyctaxi.trips",
            "hive_metastore.default.tmp"]
_SQL = ("SELECT * FROM {} LIMIT 1000", "SELECT count(*) FROM {}", "DESCRIBE TABLE {}",
        "SELECT * FROM {} WHERE load_date = current_date()", "OPTIMIZE {}")
_PATHS = [f"/Workspace/Shared/{d.name}/{x}" for d in vocab.DOMAINS for x in ("etl", "reports", "exploration")]
_METASTORES = ("3f2c9a1e-8d4b-4c3a-9f1e-2b7d6a5c4e10", "a81b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")


def _const(values: tuple[str, ...] | list[str], p: list[float] | None = None) -> Param:
    def make(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
        return pick(values, rng.choice(len(values), len(person), p=p))
    return make


def _numeric(low: int, high: int) -> Param:
    def make(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
        return pa.array(rng.integers(low, high, len(person)).astype(str))
    return make


def _ws_id(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(world.ws.ids, world.people.ws[person])


def _metastore(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(_METASTORES, world.people.ws[person] % 2)


def _table(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(_TABLES, skewed_index(rng, len(person), len(_TABLES)))


def _hexid(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return hex_ids(rng, len(person), 16)


def _cluster(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    ws = world.people.ws[person]
    slot = skewed_index(rng, len(person), 5)
    return pa.array([f"{101 + w:04d}-{120000 + 7 * w + s:06d}-c{w}{s}x"
                     for w, s in zip(ws, slot, strict=True)])


def _warehouse(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    per = int(np.sum(world.warehouses.ws == 0))
    return pick(world.warehouses.ids, world.people.ws[person] * per + rng.integers(0, per, len(person)))


def _sql(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    texts = [s.format(t) for s in _SQL for t in _TABLES]
    return pick(texts, rng.integers(0, len(texts), len(person)))


def _email(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(world.people.email, person)


def _path(rng: np.random.Generator, person: np.ndarray, world: World) -> pa.Array:
    return pick(_PATHS, rng.integers(0, len(_PATHS), len(person)))


_NOTEBOOK = _numeric(10**14, 10**15)
# fmt: off
NOISE: tuple[NoiseKind, ...] = (
    NoiseKind(AuditKind("unityCatalog", "getTable", ("full_name_arg", "workspace_id", "metastore_id")), 26,
              (_table, _ws_id, _metastore), 0.02),
    NoiseKind(AuditKind("unityCatalog", "generateTemporaryTableCredential", ("table_id", "operation")), 12,
              (_hexid, _const(["READ", "READ_WRITE"], [0.9, 0.1])), 0.01),
    NoiseKind(AuditKind("unityCatalog", "listSchemas", ("catalog_name", "workspace_id")), 6,
              (_const(["main", "system", "samples", "sandbox", "hive_metastore"]), _ws_id), 0.005),
    NoiseKind(AuditKind("unityCatalog", "getPermissions", ("securable_type", "securable_full_name")), 2,
              (_const(["table", "schema", "catalog"]), _table), 0.01),
    NoiseKind(AuditKind("clusters", "list", (), api=True), 4, (), 0.0),
    NoiseKind(AuditKind("clusters", "get", ("cluster_id",)), 3, (_cluster,), 0.01),
    NoiseKind(AuditKind("notebook", "runCommand", ("notebookId", "executionTime", "status", "commandLanguage",
                                                   "clusterId")), 10,
              (_NOTEBOOK, _numeric(0, 120), _const(["finished", "error"], [0.93, 0.07]),
               _const(["python", "sql", "scala"], [0.7, 0.25, 0.05]), _cluster), 0.0),
    NoiseKind(AuditKind("notebook", "attachNotebook", ("path", "clusterId", "notebookId")), 2,
              (_path, _cluster, _NOTEBOOK), 0.0),
    NoiseKind(AuditKind("databrickssql", "commandSubmit", ("warehouseId", "commandText")), 6,
              (_warehouse, _sql), 0.0),
    NoiseKind(AuditKind("databrickssql", "commandFinish", ("warehouseId",)), 6, (_warehouse,), 0.0),
    NoiseKind(AuditKind("sqlPermissions", "requestPermissions", ("requests",)), 1, (_table,), 0.03),
    NoiseKind(AuditKind("dashboards", "getPublishedDashboard", ("dashboard_id",)), 4, (_hexid,), 0.01),
    NoiseKind(AuditKind("jobs", "runNow", ("job_id",), api=True), 1, (_numeric(10**14, 10**15),), 0.01),
    NoiseKind(AuditKind("secrets", "getSecret", ("scope", "key"), api=True), 3,
              (_const(["prod-kv", "etl", "ml-keys"]), _const(["api-token", "jdbc-password", "openai-key"])),
              0.01),
    NoiseKind(AuditKind("accounts", "tokenLogin", ("tokenId", "user"), api=True), 4, (_hexid, _email), 0.01,
              key="person"),
    NoiseKind(AuditKind("workspace", "workspaceExport", ("path", "workspaceExportFormat")), 1,
              (_path, _const(["SOURCE", "HTML", "JUPYTER"])), 0.0),
    NoiseKind(AuditKind("filesystem", "filesGet", ("path",), api=True), 2, (_path,), 0.02),
    NoiseKind(AuditKind("accounts", "login", ("user",), level="ACCOUNT_LEVEL"), 1, (_email,), 0.02,
              key="person"),
)
# fmt: on
KINDS = [n.kind for n in NOISE]
ERRORS = {400: "INVALID_PARAMETER_VALUE", 403: "PERMISSION_DENIED: User does not have USE SCHEMA on Schema",
          404: "RESOURCE_DOES_NOT_EXIST"}
