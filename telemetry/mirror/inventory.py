"""Small dimension tables: workspaces_latest and the apps inventory (our Apps API snapshot).

The inventory keeps one row per app ever seen: the job that fills it merges the Apps API list by
app_id, so an app deleted in the window keeps its last snapshot (snapshot_time before the
deletion, compute STOPPED, app UNAVAILABLE). Every OAuth client id in the login events
therefore resolves to an inventory row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from telemetry.mirror.apps_lifecycle import DEPLOY, Lifecycle, describe_app
from telemetry.mirror.audit_apps import app_urls
from telemetry.mirror.ids import pick, timestamps
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


def _states(world: World, life: Lifecycle) -> tuple[list[str], list[str], np.ndarray]:
    """(compute_state, app_state, snapshot µs) per app at the last snapshot."""
    apps, now = world.apps, world.window.end_us
    rng = world.streams("inventory")
    snapshot = np.full(apps.n, now - now % HOUR - 10 * 60 * US)
    compute, app_state = [], []
    down_now = {a for a, stop, start in life.downtime if stop <= now < start}
    last_deploy: dict[str, tuple[int, int]] = {}
    for kind, t, params, status in zip(life.kind, life.ts, life.params, life.status, strict=True):
        if kind == DEPLOY and t <= now and t >= last_deploy.get(params[0] or "", (0, 0))[0]:
            last_deploy[params[0] or ""] = (t, status)
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
            "snapshot_time": timestamps(snapshot),
        },
    )
