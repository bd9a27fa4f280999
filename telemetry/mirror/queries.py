"""`system.query.history`: one writer for all statements, and the non-Genie background workload.

Genie filtering only means something next to ordinary traffic, so besides Genie's statements
(`genie_tables.py`) this module adds dashboards, the SQL editor, notebooks on serverless,
scheduled jobs, BI tools over ODBC and apps querying with their service principals.
Durations are heavy tailed; a few percent fail with realistic error messages.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import vocab
from telemetry.mirror.ids import hex_ids, pick, timestamps, uuid_ids
from telemetry.mirror.timeline import heavy_durations_ms, sample_events, skewed_index
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

BACKGROUND_PER_DAY = 3300  # at scale 1
EXEC_STATUS = ("FINISHED", "FAILED", "CANCELED")
SQL_ERRORS = (
    "[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`sales`.`orders_v2` cannot be found.",
    "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `revenue_usd` "
    "cannot be resolved.",
    "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 "
    "and return NULL instead.",
    "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have SELECT on Table "
    "'main.finance.gl_entries'.",
    "Query has been timed out due to inactivity.",
)

_SELECT = """
  account_id, workspace_id, statement_id, session_id, execution_status,
  struct_pack(type := compute_type, cluster_id := NULL::VARCHAR, warehouse_id := warehouse_id) AS compute,
  executed_by_user_id, executed_by, statement_text, statement_type, error_message, client_application,
  client_driver,
  queue_ms + compile_ms + exec_ms AS total_duration_ms, cold_ms AS waiting_for_compute_duration_ms,
  queue_ms - cold_ms AS waiting_at_capacity_duration_ms, exec_ms AS execution_duration_ms,
  compile_ms AS compilation_duration_ms, exec_ms * tasks AS total_task_duration_ms,
  fetch_ms AS result_fetch_duration_ms, start_time,
  start_time + to_milliseconds(queue_ms + compile_ms + exec_ms) AS end_time,
  start_time + to_milliseconds(queue_ms + compile_ms + exec_ms + fetch_ms) AS update_time,
  read_files AS read_partitions, read_files // 3 AS pruned_files, read_files, read_rows, produced_rows,
  read_rows * 57 AS read_bytes, CAST(read_files % 101 AS INT) AS read_io_cache_percent, from_result_cache,
  0::BIGINT AS spilled_local_bytes, 0::BIGINT AS written_bytes, read_rows * 3 AS shuffle_read_bytes,
  struct_pack(
    job_info := CASE WHEN job_id IS NULL THEN NULL
                ELSE struct_pack(job_id := job_id, job_run_id := job_run_id,
                job_task_run_id := job_run_id) END,
    legacy_dashboard_id := NULL::VARCHAR, dashboard_id := dashboard_id, alert_id := alert_id,
    notebook_id := notebook_id, sql_query_id := sql_query_id, genie_space_id := genie_space_id,
    pipeline_info := NULL) AS query_source,
  executed_by_user_id AS executed_as_user_id, executed_by AS executed_as,
  0::BIGINT AS written_rows, 0::BIGINT AS written_files, NULL::VARCHAR AS cache_origin_statement_id,
  CASE WHEN genie_space_id IS NULL THEN NULL ELSE MAP(['genie_space_id'], [genie_space_id]) END AS query_tags
"""
_SOURCE_COLUMNS = (
    "dashboard_id",
    "alert_id",
    "notebook_id",
    "sql_query_id",
    "genie_space_id",
    "job_id",
    "job_run_id",
)


def write_statements(writer: Writer, world: World, rng: np.random.Generator, cols: dict[str, pa.Array],
                     start_us: np.ndarray, status: np.ndarray, exec_ms: np.ndarray, queue_ms: np.ndarray,
                     read_rows: np.ndarray, compile_ms: np.ndarray | None = None,
                     fetch_ms: np.ndarray | None = None) -> int:
    """Insert statements: `cols` holds string columns; timings (ms) and volumes are arrays.

    Statements still running at `now` are not in query history yet, so they are dropped.
    """
    n = len(start_us)
    compile_ms = rng.integers(40, 900, n) if compile_ms is None else compile_ms
    fetch_ms = np.where(status == 0, rng.integers(5, 400, n), 0) if fetch_ms is None else fetch_ms
    done = start_us + (queue_ms + compile_ms + exec_ms + fetch_ms) * 1000 <= world.window.end_us
    cold = np.where(queue_ms > 3000, (queue_ms * 0.8).astype(np.int64), 0)
    base = {
        "account_id": pick([world.account_id], np.zeros(n, np.int32)),
        "session_id": uuid_ids(rng, n),
        "execution_status": pick(EXEC_STATUS, status),
        "start_time": timestamps(start_us),
        "exec_ms": pa.array(exec_ms.astype(np.int64)),
        "queue_ms": pa.array(queue_ms.astype(np.int64)),
        "cold_ms": pa.array(cold),
        "compile_ms": pa.array(compile_ms.astype(np.int64)),
        "fetch_ms": pa.array(fetch_ms.astype(np.int64)),
        "tasks": pa.array(rng.integers(1, 16, n)),
        "read_files": pa.array((read_rows // 200_000 + rng.integers(1, 20, n)).astype(np.int64)),
        "read_rows": pa.array(read_rows.astype(np.int64)),
        "produced_rows": pa.array(np.where(status == 0, np.minimum(read_rows, rng.integers(1, 5000, n)), 0)),
        "from_result_cache": pa.array(rng.random(n) < 0.07),
    }
    for name in _SOURCE_COLUMNS + ("error_message", "client_driver"):
        base[name] = pa.nulls(n, pa.string())
    base.update(cols)
    table = pa.table(base).filter(pa.array(done))
    return writer.insert("query_history", dict(zip(table.column_names, table.columns, strict=True)), _SELECT)


def _sources(rng: np.random.Generator, n: int) -> np.ndarray:
    """0 dashboard, 1 SQL editor, 2 notebook, 3 job, 4 BI tool, 5 app service principal, 6 alert."""
    return rng.choice(7, n, p=[0.26, 0.2, 0.14, 0.14, 0.12, 0.1, 0.04])


_CLIENTS = ("Databricks SQL Dashboard", "Databricks SQL Editor", "Databricks Notebook",
            "Databricks Workflows", "Tableau", "Databricks SQL Connector for Python", "Databricks SQL Alerts")
# query_source column → the source number that sets it; ids repeat from a pool (dashboards refresh)
_SOURCE_POOLS = {"dashboard_id": 0, "sql_query_id": 1, "notebook_id": 2, "job_id": 3, "alert_id": 6}


def _source_ids(rng: np.random.Generator, src: np.ndarray) -> dict[str, pa.Array]:
    """query_source ids drawn from pools of 300 (a few dashboards and jobs run most)."""
    n = len(src)
    out = {}
    for column, source in _SOURCE_POOLS.items():
        if column in ("sql_query_id", "alert_id"):
            pool = uuid_ids(rng, 300)
        elif column == "dashboard_id":
            pool = hex_ids(rng, 300, 16)
        else:
            pool = pa.array(rng.integers(10**14, 10**15, 300).astype(str))
        out[column] = pick(pool, skewed_index(rng, n, 300), mask=src != source)
    out["job_run_id"] = _masked(pa.array(rng.integers(10**14, 10**15, n).astype(str)), src != 3)
    return out


def _runners(world: World, rng: np.random.Generator, who: np.ndarray, src: np.ndarray,
             ) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(workspace, identity columns): apps query as their service principal, others as themselves."""
    apps, people = world.apps, world.people
    app = rng.choice(apps.n, len(src), p=apps.popularity / apps.popularity.sum())
    by_app = src == 5
    ws = np.where(by_app, apps.ws[app], people.ws[who])
    runner = np.where(by_app, people.n + app, who)  # index into people followed by apps
    return ws, {
        "executed_by_user_id": pick(people.user_id + [str(x) for x in apps.sp_id], runner),
        "executed_by": pick(people.email + apps.sp_client_id, runner),
    }


def write_background(writer: Writer, world: World) -> None:
    """Dashboards, editor, notebooks, jobs, BI tools, apps' service principals and alerts."""
    rng = world.streams("queries")
    people = world.people
    who, ts = sample_events(rng, world.window, BACKGROUND_PER_DAY * world.scale * world.window.n_grid,
                            np.where(people.kind == 2, 0.0, people.weight), people.tz, people.active_from,
                            people.active_to)
    n = len(ts)
    src = _sources(rng, n)
    ws, identity = _runners(world, rng, who, src)
    per = int(np.sum(world.warehouses.ws == 0))
    sql = vocab.genie_grid()[1][::7]
    status = np.where(rng.random(n) < 0.035, rng.choice([1, 2], n, p=[0.8, 0.2]), 0)
    cols = {
        "workspace_id": pick(world.ws.ids, ws), "statement_id": uuid_ids(rng, n),
        "compute_type": pick(["WAREHOUSE", "SERVERLESS_COMPUTE"], (src == 2).astype(np.int32)),
        "warehouse_id": pick(world.warehouses.ids, ws * per + rng.integers(0, per, n), mask=src == 2),
        "statement_text": pick(sql, rng.integers(0, len(sql), n)),
        "statement_type": pick(["SELECT"], np.zeros(n, np.int32)),
        "error_message": pick(SQL_ERRORS, rng.integers(0, len(SQL_ERRORS), n), mask=status != 1),
        "client_application": pick(_CLIENTS, src),
        "client_driver": pick(["Databricks ODBC Driver", "databricks-sql-python"],
                              (src == 5).astype(np.int32), mask=~np.isin(src, [4, 5])),
        **identity, **_source_ids(rng, src),
    }
    exec_ms = heavy_durations_ms(rng, n, 900, 1.4, 1_800_000)
    queue = np.where(rng.random(n) < 0.05, rng.integers(1000, 90000, n), 0)
    read_rows = rng.lognormal(9, 2.5, n).astype(np.int64)
    write_statements(writer, world, rng, cols, ts, status, exec_ms, queue, read_rows)
    writer.progress("query history: background", 1.0)


def _masked(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """values with NULL where mask is True."""
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)
