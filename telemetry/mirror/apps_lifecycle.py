"""App lifecycle and sharing events (service `apps`) and the apps inventory snapshot.

Per app, in its owners' business hours: createApp (for apps born in the window) with the App JSON,
deployApp with `app_name` (about 9% fail with an error message; one incident app fails in a
burst), stop/start cycles with `name`, updateApp, deleteApp for some dying apps, and
changeAppsAcl with a JSON access_control_list. Volumes are small (tens per app), so a plain
loop per app is clear and fast enough. Action names other than changeAppsAcl are assumptions
(system-tables.md §2.2); they match `AppsAuditConfig` in telemetry/config.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from telemetry.mirror import vocab
from telemetry.mirror.audit import AuditEvents, AuditKind, write_audit
from telemetry.mirror.timeline import DAY, HOUR, US, local_times
from telemetry.mirror.world import NEVER
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

KINDS = [
    AuditKind("apps", "createApp", ("app",)),
    AuditKind("apps", "deployApp", ("app_name", "source_code_path", "mode")),
    AuditKind("apps", "startApp", ("name",)),
    AuditKind("apps", "stopApp", ("name",)),
    AuditKind("apps", "updateApp", ("name", "app")),
    AuditKind("apps", "deleteApp", ("name",)),
    AuditKind("apps", "changeAppsAcl", ("request_object_type", "request_object_id", "access_control_list")),
]
CREATE, DEPLOY, START, STOP, UPDATE, DELETE, ACL = range(7)
_DEPLOY_ERRORS = (
    "Deployment failed: app did not become healthy within 600 seconds",
    "Deployment failed: error installing requirements.txt "
    "(No matching distribution found for streamlit==9.9)",
    "Deployment failed: app crashed on start (exit code 1): ModuleNotFoundError: No module named 'plotly'",
    "Deployment failed: source code path /Workspace/Users does not contain app.yaml or app.py",
)
_GROUPS = ("users", "data-analysts", "finance-team", "sales-ops", "app-admins")


@dataclass
class Lifecycle:
    """Audit rows as lists (small volume) plus facts later tables need."""

    kind: list[int] = field(default_factory=list)
    ts: list[int] = field(default_factory=list)
    person: list[int] = field(default_factory=list)
    params: list[list[str | None]] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    error: list[str | None] = field(default_factory=list)
    downtime: list[tuple[int, int, int]] = field(default_factory=list)  # (app, stop µs, start µs)
    last_change: dict[int, tuple[int, int]] = field(default_factory=dict)  # app → (µs, person)

    def add(
        self,
        kind: int,
        ts: int,
        person: int,
        params: list[str | None],
        status: int = 200,
        error: str | None = None,
    ) -> None:
        self.kind.append(kind)
        self.ts.append(int(ts))
        self.person.append(int(person))
        self.params.append(params + [None] * (3 - len(params)))
        self.status.append(status)
        self.error.append(error)


def _times(rng: np.random.Generator, world: World, n: int, lo: int, hi: int, tz: float) -> np.ndarray:
    """n business-hour times in [lo, hi) (rejection from the window's local-time sampler)."""
    if n <= 0 or hi <= lo:
        return np.zeros(0, np.int64)
    draw = local_times(rng, world.window, 8 * n + 8, np.full(8 * n + 8, tz))
    draw = draw[(draw >= lo) & (draw < hi)]
    if len(draw) < n:
        draw = np.concatenate([draw, rng.integers(lo, hi, n - len(draw))])
    return np.sort(draw[:n])


def _acl(rng: np.random.Generator, world: World, app: int) -> str:
    entries = [
        {"user_name": world.people.email[int(world.apps.owners[app][0])], "permission_level": "CAN_MANAGE"}
    ]
    for _ in range(int(rng.integers(0, 3))):
        if rng.random() < 0.5:
            user = int(rng.choice(world.apps.audience[app]))
            entries.append({"user_name": world.people.email[user], "permission_level": "CAN_USE"})
        else:
            entries.append(
                {"group_name": _GROUPS[int(rng.integers(0, len(_GROUPS)))], "permission_level": "CAN_USE"}
            )
    return json.dumps(entries)


def _app_json(world: World, app: int, description: str) -> str:
    size = "LARGE" if world.apps.large[app] else "MEDIUM"
    return json.dumps({"name": world.apps.name[app], "description": description, "compute_size": size})


def describe_app(world: World, app: int) -> str:
    """A one-line description like the ones people type into the Apps UI."""
    name = world.apps.name[app]
    return f"{vocab.DOMAINS[int(world.apps.domain[app])].label} {name.split('-')[1]} ({name.split('-')[0]})"


def _deploys(rng: np.random.Generator, world: World, app: int, lo: int, hi: int, out: Lifecycle) -> None:
    apps, tz = world.apps, float(world.ws.tz[world.apps.ws[app]])
    dev = 3.0 if any(s in apps.name[app] for s in ("-dev", "-poc", "-staging")) else 1.0
    n = int(rng.poisson(rng.lognormal(1.0, 0.8) * dev * (hi - lo) / (90 * DAY)))
    path = f"/Workspace/Users/{world.people.email[int(apps.creator[app])]}/{apps.name[app]}"
    for t in _times(rng, world, n, lo, hi, tz):
        who = int(rng.choice(apps.owners[app]))
        failed = rng.random() < 0.09
        out.add(
            DEPLOY,
            t,
            who,
            [apps.name[app], path, "SNAPSHOT"],
            400 if failed else 200,
            _DEPLOY_ERRORS[int(rng.integers(0, len(_DEPLOY_ERRORS)))] if failed else None,
        )
        out.last_change[app] = (int(t), who)
    for inc in world.incidents:
        if inc.kind == "deploy" and inc.target % apps.n == app and lo <= inc.start_us < hi:
            for t in np.sort(rng.integers(inc.start_us, inc.end_us, 7)):
                out.add(
                    DEPLOY,
                    t,
                    int(apps.creator[app]),
                    [apps.name[app], path, "SNAPSHOT"],
                    400,
                    _DEPLOY_ERRORS[2],
                )


def _one_app(rng: np.random.Generator, world: World, app: int, out: Lifecycle) -> None:
    apps, w = world.apps, world.window
    tz, creator, name = float(world.ws.tz[apps.ws[app]]), int(apps.creator[app]), apps.name[app]
    lo, hi = (
        max(int(apps.create_us[app]), w.start_us),
        min(int(apps.stop_us[app]), int(apps.delete_us[app]), w.end_us),
    )
    if apps.create_us[app] >= w.start_us:
        out.add(CREATE, lo, creator, [_app_json(world, app, describe_app(world, app))])
        out.add(
            DEPLOY,
            lo + int(rng.integers(3, 30)) * 60 * US,
            creator,
            [name, f"/Workspace/Users/{world.people.email[creator]}/{name}", "SNAPSHOT"],
        )
        out.add(
            ACL, lo + int(rng.integers(10, 120)) * 60 * US, creator, ["apps", name, _acl(rng, world, app)]
        )
        lo += 2 * HOUR
    out.last_change[app] = (int(apps.create_us[app]), creator)
    _deploys(rng, world, app, lo, hi, out)
    for t in _times(rng, world, int(rng.poisson(1.2 * (hi - lo) / (90 * DAY))), lo, hi, tz):
        out.add(ACL, t, int(rng.choice(apps.owners[app])), ["apps", name, _acl(rng, world, app)])
    for t in _times(rng, world, int(rng.poisson(0.6)), lo, hi, tz):
        who = int(rng.choice(apps.owners[app]))
        out.add(UPDATE, t, who, [name, _app_json(world, app, describe_app(world, app) + " (updated)")])
        out.last_change[app] = (int(t), who)
    if rng.random() < 0.2:
        for t in _times(rng, world, int(rng.integers(1, 4)), lo, hi - 2 * DAY, tz):
            back = int(t + rng.integers(1, 40) * HOUR)
            out.add(STOP, t, creator, [name])
            out.add(START, back, creator, [name])
            out.downtime.append((app, int(t), back))
    if apps.stop_us[app] < NEVER:
        out.add(STOP, apps.stop_us[app], creator, [name])
    if apps.delete_us[app] < NEVER:
        out.add(DELETE, apps.delete_us[app], creator, [name])


def write_lifecycle(writer: Writer, world: World) -> Lifecycle:
    """Insert lifecycle and ACL audit rows; return them for the inventory and billing."""
    rng = world.streams("apps_lifecycle")
    out = Lifecycle()
    for app in range(world.apps.n):
        _one_app(rng, world, app, out)
    ts = np.array(out.ts, np.int64)
    keep = (ts >= world.window.start_us) & (ts <= world.window.end_us)
    idx = np.flatnonzero(keep)
    cols = [pa.array([out.params[i][j] for i in idx], pa.string()) for j in range(3)]
    ev = AuditEvents(
        np.array(out.kind)[idx],
        ts[idx],
        np.array(out.person)[idx],
        cols,
        np.array(out.status)[idx],
        pa.array([out.error[i] for i in idx], pa.string()),
    )
    write_audit(writer, world, rng, KINDS, ev)
    writer.progress("audit: app lifecycle", 1.0)
    return out
