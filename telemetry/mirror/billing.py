"""`system.billing.usage` and `system.billing.list_prices`.

Daily rows per app (APPS, by hours its compute was up), per Genie space and user (GENIE: UI
usage on the free SKU, API usage on serverless real-time inference, `usage_metadata.genie`),
per SQL warehouse (SQL) and per job run (JOBS). Only whole UTC days inside the window are
billed (billing lags by hours, and no row may start before the window or end after now).
A few ORIGINAL rows are corrected by a RETRACTION and a RESTATEMENT. list_prices has a row
for every SKU used, one price change inside the window and a promotional price.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror.apps_lifecycle import Lifecycle
from telemetry.mirror.genie import GenieMessages
from telemetry.mirror.ids import as_strings, pick, timestamps, uuid_ids
from telemetry.mirror.jobs import Jobs, Runs
from telemetry.mirror.timeline import DAY, HOUR
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

_SELECT = """
  record_id, account_id, workspace_id, sku_name, 'AWS' AS cloud, usage_start_time, usage_end_time,
  CAST(usage_start_time AS DATE) AS usage_date, MAP {'cost_center': cost_center} AS custom_tags,
  'DBU' AS usage_unit,
  CAST(quantity AS DECIMAL(38,18)) AS usage_quantity,
  struct_pack(cluster_id := cluster_id, job_id := job_id, warehouse_id := warehouse_id,
              job_run_id := job_run_id,
              job_name := job_name, app_id := app_id, app_name := app_name{genie}) AS usage_metadata,
  struct_pack(run_as := run_as, owned_by := owned_by, created_by := created_by) AS identity_metadata,
  record_type, ingestion_date, billing_origin_product,
  struct_pack(jobs_tier := CASE WHEN billing_origin_product = 'JOBS' THEN 'PREMIUM' END,
              sql_tier := CASE WHEN billing_origin_product = 'SQL' THEN 'PREMIUM' END,
              dlt_tier := NULL::VARCHAR, is_serverless := is_serverless,
              is_photon := billing_origin_product = 'SQL',
              serving_type := NULL::VARCHAR) AS product_features,
  'COMPUTE_TIME' AS usage_type
"""
_COLS = (
    "workspace_id",
    "sku_name",
    "cluster_id",
    "job_id",
    "warehouse_id",
    "job_run_id",
    "job_name",
    "app_id",
    "app_name",
    "agent_id",
    "run_as",
    "owned_by",
    "created_by",
    "billing_origin_product",
    "cost_center",
)
# product → (SKU prefix, USD per DBU); the APPS price of the first region changes mid-window.
PRICES = {"APPS": ("PREMIUM_APPS_", 0.07), "SQL": ("PREMIUM_SERVERLESS_SQL_COMPUTE_", 0.70),
          "JOBS": ("PREMIUM_JOBS_SERVERLESS_COMPUTE_", 0.35),
          "GENIE_API": ("PREMIUM_SERVERLESS_REAL_TIME_INFERENCE_", 0.07)}
FREE_GENIE_SKU = "GENIE_FREE_USAGE"


def billed_days(world: World) -> np.ndarray:
    """UTC midnights of the whole days inside the window."""
    w = world.window
    first = -(-w.start_us // DAY) * DAY
    return np.arange(first, w.end_us - DAY + 1, DAY)


def _rows(start: np.ndarray, end: np.ndarray, qty: np.ndarray, product: str, sku: list[str],
          **cols: pa.Array) -> dict[str, pa.Array]:
    """One product's ORIGINAL rows as plain columns (all products share one layout, then concat)."""
    n = len(start)
    out = {c: as_strings(cols.get(c), n) for c in _COLS}
    out.update({"sku_name": pa.array(sku, pa.string()), "billing_origin_product": pa.array([product] * n),
                "usage_start_time": timestamps(start), "usage_end_time": timestamps(end),
                "quantity": pa.array(np.round(qty, 6)),
                "is_serverless": pa.array(np.full(n, product != "JOBS")),
                "record_type": pa.array(["ORIGINAL"] * n, pa.string())})
    return out


def _app_rows(world: World, life: Lifecycle, days: np.ndarray) -> dict[str, pa.Array]:
    apps = world.apps
    app, day = np.meshgrid(np.arange(apps.n), days, indexing="ij")
    app, day = app.ravel(), day.ravel()
    up_to = np.minimum(apps.stop_us, apps.delete_us)[app]
    hours = (np.minimum(day + DAY, up_to) - np.maximum(day, apps.create_us[app])).clip(0, DAY) / HOUR
    for a, stop, start in life.downtime:
        sel = app == a
        overlap = (np.minimum(day[sel] + DAY, start) - np.maximum(day[sel], stop)).clip(0, DAY) / HOUR
        hours[sel] -= overlap
    keep = hours > 0.01
    app, day, hours = app[keep], day[keep], hours[keep]
    rate = np.where(apps.large[app], 1.0, 0.5)
    regions = [world.ws.sku_region[w] for w in apps.ws[app].tolist()]
    return _rows(day, day + DAY, hours * rate, "APPS", [PRICES["APPS"][0] + r for r in regions],
                 workspace_id=pick(world.ws.ids, apps.ws[app]), app_id=pick(apps.app_id, app),
                 app_name=pick(apps.name, app), created_by=pick(world.people.email, apps.creator[app]),
                 cost_center=pick(["apps-platform", "analytics", "sales-ops"], app % 3))


def _genie_rows(world: World, m: GenieMessages, days: np.ndarray) -> dict[str, pa.Array]:
    day = m.created - m.created % DAY
    ok = (day >= days[0]) & (day <= days[-1]) if len(days) else np.zeros(len(m), bool)
    key = (m.space[ok].astype(np.int64) * world.people.n + m.person[ok]) * 100_000 + (day[ok] // DAY)
    uniq, inverse, count = np.unique(key, return_inverse=True, return_counts=True)
    space = (uniq // 100_000) // world.people.n
    person = (uniq // 100_000) % world.people.n
    day_us = (uniq % 100_000) * DAY
    api = np.zeros(len(uniq), bool)
    np.logical_or.at(api, inverse, m.api[ok])
    ws = world.spaces.ws[space]
    sku = [PRICES["GENIE_API"][0] + world.ws.sku_region[w] if a else FREE_GENIE_SKU
           for w, a in zip(ws.tolist(), api, strict=True)]
    return _rows(day_us, day_us + DAY, count * 0.12, "GENIE", sku, workspace_id=pick(world.ws.ids, ws),
                 agent_id=pick(world.spaces.space_id, space), run_as=pick(world.people.email, person),
                 cost_center=pick(["genie"], np.zeros(len(uniq), np.int32)))


def _sql_rows(world: World, days: np.ndarray) -> dict[str, pa.Array]:
    rng = world.streams("billing_sql")
    wh = world.warehouses
    w_idx, day = np.meshgrid(np.arange(len(wh.ids)), days, indexing="ij")
    w_idx, day = w_idx.ravel(), day.ravel()
    weekend = world.window.weekday((day - world.window.grid0_us) // DAY) >= 5
    hours = np.where(weekend, rng.uniform(0, 3, len(day)), rng.uniform(6, 14, len(day)))
    size = np.array([4.0, 12.0, 24.0])[np.arange(len(wh.ids)) % 3][w_idx]
    owners = np.flatnonzero(world.people.builder)
    regions = [world.ws.sku_region[w] for w in wh.ws[w_idx].tolist()]
    return _rows(day, day + DAY, hours * size, "SQL", [PRICES["SQL"][0] + r for r in regions],
                 workspace_id=pick(world.ws.ids, wh.ws[w_idx]), warehouse_id=pick(wh.ids, w_idx),
                 owned_by=pick(world.people.email, owners[w_idx % len(owners)]),
                 cost_center=pick(["bi", "analytics"], w_idx % 2))


def _job_rows(world: World, jobs: Jobs, runs: Runs) -> dict[str, pa.Array]:
    """One row per job run (joins to job_run_timeline on job_id and job_run_id, as Databricks' do)."""
    j = runs.job
    hours = (runs.end - runs.start) / HOUR
    regions = [world.ws.sku_region[w] for w in jobs.ws[j].tolist()]
    sku = [PRICES["JOBS"][0] + r if s else "PREMIUM_JOBS_COMPUTE"
           for r, s in zip(regions, jobs.serverless[j], strict=True)]
    clusters = [f"0{w}12-0304{w}5-job{w}" for w in range(len(world.ws.ids))]
    dbu = np.maximum(hours * np.where(jobs.serverless[j], 6.0, 4.0), 0.01)
    out = _rows(runs.start, runs.end, dbu, "JOBS", sku, workspace_id=pick(world.ws.ids, jobs.ws[j]),
                job_id=pick(jobs.job_id, j), job_run_id=runs.run_id, job_name=pick(jobs.name, j),
                cluster_id=pick(clusters, jobs.ws[j], mask=jobs.serverless[j]),
                run_as=pick(world.people.email, jobs.run_as[j]),
                cost_center=pick(["data-eng"], np.zeros(len(j), np.int32)))
    out["is_serverless"] = pa.array(jobs.serverless[j])
    return out


def _corrections(world: World, table: pa.Table) -> pa.Table:
    """Retract ~0.5% of rows and restate them at 90%."""
    rng = world.streams("billing_corrections")
    picked = table.filter(pa.array(rng.random(table.num_rows) < 0.005))
    qty = picked["quantity"].to_numpy()
    retract = picked.set_column(picked.schema.get_field_index("quantity"), "quantity", pa.array(-qty))
    restate = picked.set_column(
        picked.schema.get_field_index("quantity"), "quantity", pa.array(np.round(qty * 0.9, 6))
    )
    types = picked.schema.get_field_index("record_type")
    n = picked.num_rows
    retract = retract.set_column(types, "record_type", pa.array(["RETRACTION"] * n, pa.string()))
    restate = restate.set_column(types, "record_type", pa.array(["RESTATEMENT"] * n, pa.string()))
    return pa.concat_tables([retract, restate])


def _decimal(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Floats → DECIMAL(38,6) in Arrow (correctly rounded), so DECIMAL(38,18) holds 0.07, not 0.0700…08."""
    return values.cast(pa.decimal128(38, 6), safe=False)


def _usage_rows(world: World, life: Lifecycle, m: GenieMessages, jobs: Jobs, runs: Runs) -> pa.Table | None:
    """ORIGINAL rows of every product plus the corrections, before ids and ingestion dates."""
    days = billed_days(world)
    if not len(days):
        return None
    sel = np.flatnonzero((runs.start >= days[0]) & (runs.end <= days[-1] + DAY))
    billed_runs = Runs(runs.job[sel], runs.run_id.take(pa.array(sel)), runs.start[sel], runs.end[sel],
                       runs.state[sel])
    parts = [_app_rows(world, life, days), _genie_rows(world, m, days), _sql_rows(world, days),
             _job_rows(world, jobs, billed_runs)]
    table = pa.concat_tables([pa.table(p) for p in parts])
    return pa.concat_tables([table, _corrections(world, table)])


def write_billing(writer: Writer, world: World, life: Lifecycle, m: GenieMessages, jobs: Jobs,
                  runs: Runs) -> None:
    """All usage rows, with record ids, ingestion dates (≤ today) and a few corrections; then list prices."""
    table = _usage_rows(world, life, m, jobs, runs)
    if table is None:
        return
    rng = world.streams("billing_ids")
    n, end = table.num_rows, world.window.end_us
    start = table["usage_start_time"].cast(pa.int64()).to_numpy()
    original = table["record_type"].to_numpy(zero_copy_only=False) == "ORIGINAL"
    lag = rng.integers(0, 2, n) * DAY + np.where(original, 0, 2 * DAY)
    ingestion = np.minimum(start - start % DAY + lag, end - end % DAY)
    cols = dict(zip(table.column_names, table.columns, strict=True))
    cols.update({"quantity": _decimal(table["quantity"]), "record_id": uuid_ids(rng, n),
                 "account_id": pick([world.account_id], np.zeros(n, np.int32)),
                 "ingestion_date": timestamps(ingestion).cast(pa.date32())})
    genie = pa.array(table["billing_origin_product"].to_numpy(zero_copy_only=False) == "GENIE")
    genie_struct = ", genie := struct_pack(surface := 'GENIE_AGENTS', agent_id := agent_id)"
    for part, extra in ((genie, genie_struct), (pc.invert(genie), "")):
        rows = pa.table(cols).filter(part)
        writer.insert("billing_usage", dict(zip(rows.column_names, rows.columns, strict=True)),
                      _SELECT.replace("{genie}", extra))
    write_prices(writer, world, sorted(set(table["sku_name"].to_pylist())))
    writer.progress("billing", 1.0)


def write_prices(writer: Writer, world: World, skus: list[str]) -> None:
    """Current prices since 2023 for every SKU; the first APPS SKU changes price mid-window."""
    start = 1672531200 * 1_000_000  # 2023-01-01
    change = world.window.start_us + (world.window.end_us - world.window.start_us) // 2
    change -= change % DAY
    apps_sku = next((s for s in skus if s.startswith(PRICES["APPS"][0])), None)
    rows = []
    for sku in skus:
        price = next((p for prefix, p in PRICES.values() if sku.startswith(prefix)), 0.0)
        price = 0.15 if sku == "PREMIUM_JOBS_COMPUTE" else price
        promo = 0.30 if sku.startswith(PRICES["JOBS"][0]) else None
        if sku == apps_sku:
            rows.append((start, change, sku, 0.065, None))
            rows.append((change, None, sku, price, None))
        else:
            rows.append((start, None, sku, price, promo))
    n = len(rows)
    writer.insert(
        "list_prices",
        {
            "price_start_time": timestamps(np.array([r[0] for r in rows])),
            "price_end_time": pa.array([r[1] for r in rows], pa.int64()).cast(pa.timestamp("us")),
            "account_id": pa.array([world.account_id] * n),
            "sku_name": pa.array([r[2] for r in rows]),
            "cloud": pa.array(["AWS"] * n),
            "currency_code": pa.array(["USD"] * n),
            "usage_unit": pa.array(["DBU"] * n),
            "price": _decimal(pa.array([r[3] for r in rows], pa.float64())),
            "promo": _decimal(pa.array([r[4] for r in rows], pa.float64())),
        },
        """price_start_time, price_end_time, account_id, sku_name, cloud, currency_code, usage_unit,
          struct_pack("default" := CAST(price AS DECIMAL(30,18)),
                      promotional := struct_pack("default" := CAST(promo AS DECIMAL(30,18))),
                      effective_list := struct_pack(
                          "default" := CAST(coalesce(promo, price) AS DECIMAL(30,18))))
          AS pricing""",
    )
