"""Small dimension tables: workspaces_latest and the apps inventory (our Apps API snapshot).

The inventory keeps one row per app ever seen: the apps-inventory job merges the Apps API list by
workspace and name, so an app deleted in the window keeps its last snapshot (snapshot_time before the
deletion, compute STOPPED, app UNAVAILABLE) and gets a deleted_time. Every OAuth client id in the
login events therefore resolves to an inventory row. Resources are the App JSON's list (a SQL
warehouse of the app's workspace for every app; some secrets, Genie spaces and serving endpoints),
and the last deployment is the app's latest deployApp (its id, SUCCEEDED or FAILED, its time).
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa

from telemetry.mirror.apps_lifecycle import DEPLOY, Lifecycle, describe_app
from telemetry.mirror.audit_apps import app_urls
from telemetry.mirror.ids import hex_ids, pick, timestamps
from telemetry.mirror.timeline import HOUR, US
from telemetry.mirror.world import NEVER
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer


def write_workspaces(writer: Writer, world: World) -> None:
    """One row per workspace, all RUNNING."""
    n = len(world.ws.ids)
    writer.insert(
        "workspaces",
        {
            "account_id": pa.array([world.account_id] * n),
            "workspace_id": pa.array(world.ws.ids),
            "workspace_name": pa.array(world.ws.names),
            "workspace_url": pa.array(world.ws.urls),
            "status": pa.array(["RUNNING"] * n),
            "create_time": timestamps(world.ws.create_us),
        },
    )


def _last_deploys(world: World, life: Lifecycle) -> dict[str, tuple[int, int]]:
    """App name → (µs, HTTP status) of its latest deployApp up to the window's end."""
    now, last = world.window.end_us, {}
    for kind, t, params, status in zip(life.kind, life.ts, life.params, life.status, strict=True):
        if kind == DEPLOY and t <= now and t >= last.get(params[0] or "", (0, 0))[0]:
            last[params[0] or ""] = (t, status)
    return last


def _states(world: World, life: Lifecycle) -> tuple[list[str], list[str], np.ndarray]:
    """(compute_state, app_state, snapshot µs) per app at the last snapshot."""
    apps, now = world.apps, world.window.end_us
    rng = world.streams("inventory")
    snapshot = np.full(apps.n, now - now % HOUR - 10 * 60 * US)
    compute, app_state = [], []
    down_now = {a for a, stop, start in life.downtime if stop <= now < start}
    last_deploy = _last_deploys(world, life)
    for app in range(apps.n):
        if apps.delete_us[app] < NEVER:
            snapshot[app] = apps.delete_us[app] - apps.delete_us[app] % HOUR - 10 * 60 * US
        if apps.stop_us[app] < NEVER or app in down_now:
            compute.append("STOPPED")
            app_state.append("UNAVAILABLE")
        elif last_deploy.get(apps.name[app], (0, 200))[1] != 200 or rng.random() < 0.01:
            compute.append("ACTIVE")
            app_state.append("CRASHED")
        else:
            compute.append("ACTIVE")
            app_state.append("RUNNING")
    return compute, app_state, snapshot


def _deployments(world: World, life: Lifecycle) -> dict[str, pa.Array]:
    """last_deployment_* per app: its latest deployApp, or (none in the window's audit) a SUCCEEDED
    deployment in the window's first week (a redeploy the audit window just misses)."""
    apps, rng, w = world.apps, world.streams("inventory_deployments"), world.window
    last = _last_deploys(world, life)
    first = np.maximum(apps.create_us, w.start_us) + rng.integers(5, 7 * 24 * 60, apps.n) * 60 * US
    first = np.minimum(first, np.minimum(apps.delete_us, w.end_us) - HOUR)
    when = [last.get(apps.name[a], (int(first[a]), 200)) for a in range(apps.n)]
    return {
        "last_deployment_id": hex_ids(rng, apps.n),
        "last_deployment_status": pa.array(["SUCCEEDED" if status == 200 else "FAILED" for _, status in when]),
        "last_deployment_time": timestamps(np.array([t for t, _ in when], np.int64)),
    }


def _resource(key: str, kind: str, /, **spec: str) -> dict:
    """One AppResource as the Apps API returns it: its key (`name`) and one typed payload."""
    return {"name": key, kind: spec}


def _resources(world: World) -> pa.Array:
    """Each app's resources as the Apps API returns them (JSON): a warehouse, sometimes more."""
    apps, rng = world.apps, world.streams("inventory_resources")
    wh, sp = world.warehouses, world.spaces
    out = []
    for app in range(apps.n):
        own, spaces = np.flatnonzero(wh.ws == apps.ws[app]), np.flatnonzero(sp.ws == apps.ws[app])
        items = [_resource("sql-warehouse", "sql_warehouse", id=wh.ids[int(rng.choice(own))], permission="CAN_USE")]
        if rng.random() < 0.3:
            items.append(_resource("secret", "secret", scope=apps.name[app], key="api-token", permission="READ"))
        if len(spaces) and rng.random() < 0.2:
            items.append(_resource("genie-space", "genie_space", name="genie", permission="CAN_RUN",
                                   space_id=sp.space_id[int(rng.choice(spaces))]))
        if rng.random() < 0.15:
            items.append(_resource("serving-endpoint", "serving_endpoint", name="databricks-claude-sonnet-4",
                                   permission="CAN_QUERY"))
        out.append(json.dumps(items, sort_keys=True))
    return pa.array(out)


def write_inventory(writer: Writer, world: World, life: Lifecycle) -> None:
    """The apps inventory as our Apps API ingestion job leaves it."""
    apps, people = world.apps, world.people
    compute, app_state, snapshot = _states(world, life)
    update = [life.last_change.get(a, (int(apps.create_us[a]), int(apps.creator[a]))) for a in range(apps.n)]
    writer.insert(
        "apps_inventory",
        {
            "workspace_id": pick(world.ws.ids, apps.ws),
            "app_id": pa.array(apps.app_id),
            "name": pa.array(apps.name),
            "description": pa.array([describe_app(world, a) for a in range(apps.n)]),
            "creator": pick(people.email, apps.creator),
            "owners": pa.array(
                [[people.email[p] for p in dict.fromkeys(o)] for o in apps.owners], pa.list_(pa.string())
            ),
            "oauth2_app_client_id": pa.array(apps.client_id),
            "service_principal_id": pa.array(apps.sp_id),
            "service_principal_client_id": pa.array(apps.sp_client_id),
            "service_principal_name": pa.array(
                [f"app-{i[:5]} {n}" for i, n in zip(apps.app_id, apps.name, strict=True)]
            ),
            "url": pa.array(app_urls(world)),
            "compute_size": pick(["MEDIUM", "LARGE"], apps.large.astype(np.int32)),
            "compute_state": pa.array(compute),
            "app_state": pa.array(app_state),
            "create_time": timestamps(apps.create_us),
            "update_time": timestamps(np.minimum([u[0] for u in update], snapshot)),
            "updater": pick(people.email, np.array([u[1] for u in update])),
            "resources": _resources(world),
            **_deployments(world, life),
            "snapshot_time": timestamps(snapshot),
            "deleted_time": pa.array(
                [int(d) if d < NEVER else None for d in apps.delete_us], pa.int64()
            ).cast(pa.timestamp("us")),
        },
    )
