"""Databricks Apps in the audit log: OAuth logins per app client id, plus CLI logins that must be excluded.

A login is what the docs' sample query counts: `mintOAuthAuthorizationCode` then `mintOAuthToken`
(sometimes also `workspaceInHouseOAuthClientAuthentication`) under service `accounts`, with
`request_params['client_id']` = the app's `oauth2_app_client_id`. Users come from each app's
audience, heavy users first; test accounts probe apps around the clock. The login list is
returned so the tracker and span generators can start their sessions from real logins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from telemetry.mirror.audit import AuditEvents, AuditKind, create_catalog, write_audit
from telemetry.mirror.ids import pick
from telemetry.mirror.timeline import HOUR, US, sample_events
from telemetry.mirror.world import NEVER
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

LOGINS_PER_APP_DAY = 4.5  # mean over apps at scale 1 (popularity is heavy tailed)
CLI_CLIENT_ID = "databricks-cli"

LOGIN_KINDS = [
    AuditKind(
        "accounts", "mintOAuthAuthorizationCode", ("client_id", "response_type", "scope", "redirect_uri")
    ),
    AuditKind("accounts", "mintOAuthToken", ("client_id", "grant_type", "scope")),
    AuditKind("accounts", "workspaceInHouseOAuthClientAuthentication", ("client_id",)),
]
_ERRORS = {
    401: "UNAUTHENTICATED: invalid or expired authorization code",
    403: "PERMISSION_DENIED: user does not have CAN_USE on the app",
    500: "INTERNAL_ERROR: failed to mint OAuth token",
}


@dataclass
class Logins:
    """Successful app logins (one per OAuth authorization), time-sorted."""

    app: np.ndarray
    person: np.ndarray
    ts: np.ndarray


def _app_logins(world: World, rng: np.random.Generator) -> Logins:
    apps, people, window = world.apps, world.people, world.window
    end = np.minimum(apps.stop_us, apps.delete_us)
    expected = LOGINS_PER_APP_DAY * apps.n * window.n_grid
    app, ts = sample_events(
        rng, window, expected, apps.popularity, world.ws.tz[apps.ws], apps.create_us, end, trend=apps.trend
    )
    sizes = np.array([len(a) for a in apps.audience])
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    flat = np.concatenate(apps.audience)
    pos = np.floor(sizes[app] * rng.random(len(app)) ** 2.2).astype(np.int64)
    person = flat[offsets[app] + pos]
    ok = (ts >= people.active_from[person]) & (ts < people.active_to[person])
    probes = _test_probes(world, rng)
    app = np.concatenate([app[ok], probes.app])
    order = np.argsort(np.concatenate([ts[ok], probes.ts]), kind="stable")
    return Logins(
        app[order],
        np.concatenate([person[ok], probes.person])[order],
        np.concatenate([ts[ok], probes.ts])[order],
    )


def _test_probes(world: World, rng: np.random.Generator) -> Logins:
    """Synthetic monitors log into a handful of popular apps every 3 hours, weekends included."""
    testers = np.flatnonzero(world.people.kind == 2)[:2]
    targets = np.argsort(
        -world.apps.popularity * (world.apps.delete_us == NEVER) * (world.apps.stop_us == NEVER)
    )[:5]
    w = world.window
    grid = np.arange(w.start_us - w.start_us % (3 * HOUR) + 3 * HOUR, w.end_us, 3 * HOUR)
    t, a, p = np.meshgrid(grid, targets, testers, indexing="ij")
    ts = t.ravel() + rng.integers(0, 120 * US, t.size)
    keep = (ts <= w.end_us) & (ts >= world.apps.create_us[a.ravel()])
    return Logins(a.ravel()[keep], p.ravel()[keep], ts[keep])


def _status(world: World, rng: np.random.Generator, ws: np.ndarray, ts: np.ndarray) -> np.ndarray:
    n = len(ts)
    status = rng.choice([200, 401, 403, 500], n, p=[0.977, 0.015, 0.005, 0.003])
    for inc in world.incidents:
        if inc.kind == "oauth":
            hit = (ws == inc.target % len(world.ws.ids)) & (ts >= inc.start_us) & (ts < inc.end_us)
            status = np.where(hit & (rng.random(n) < 0.6), 500, status)
    return status


def _login_catalog(writer: Writer, world: World) -> str:
    """Every distinct request_params of login events: (client, action, scope); returns the JOIN.

    Client c < n_apps is app c (its client id, redirect to the app); c = n_apps is the CLI.
    """
    n_clients = world.apps.n + 1
    client, kind, scope = (a.ravel() for a in np.meshgrid(np.arange(n_clients), np.arange(3), np.arange(2),
                                                          indexing="ij"))
    ids = world.apps.client_id + [CLI_CLIENT_ID]
    redirects = [f"{u}/.auth/callback" for u in app_urls(world)] + ["http://localhost:8020"]
    params = [pick(ids, client), pick(["code", "authorization_code", "authorization_code"], kind),
              pick(["all-apis offline_access", "openid profile email all-apis"], scope),
              pick(redirects, client)]
    return create_catalog(writer, "login_params", LOGIN_KINDS, kind, params)


def _oauth_events(world: World, rng: np.random.Generator, client: np.ndarray, person: np.ndarray,
                  ts: np.ndarray, ws: np.ndarray, status: np.ndarray) -> AuditEvents:
    """The authorization-code + token pair for each login, plus some in-house client authentications."""
    n = len(ts)
    inhouse = rng.random(n) < 0.35
    idx = np.concatenate([np.arange(n), np.arange(n), np.flatnonzero(inhouse)])
    kind = np.concatenate([np.zeros(n, np.int64), np.ones(n, np.int64), np.full(inhouse.sum(), 2)])
    times = np.concatenate([ts, ts + rng.integers(300_000, 2 * US, n),
                            ts[inhouse] + rng.integers(US, 3 * US, inhouse.sum())])
    ok = status[idx] == 200
    sts = np.where((kind > 0) & ok, 200, status[idx])
    error = pick([_ERRORS[c] for c in sorted(_ERRORS)], np.searchsorted(sorted(_ERRORS), sts).clip(0, 2),
                 mask=sts == 200)
    param_id = (client[idx] * 3 + kind) * 2 + idx % 2
    keep = times <= world.window.end_us
    return AuditEvents(kind[keep], times[keep], person[idx][keep], [], sts[keep],
                       error.filter(pa.array(keep)), ws=ws[idx][keep], param_id=param_id[keep])


def app_urls(world: World) -> list[str]:
    """The URL of each app, as the Apps API reports it."""
    return [f"https://{name}-{world.ws.ids[w]}.aws.databricksapps.com"
            for name, w in zip(world.apps.name, world.apps.ws.tolist(), strict=True)]


def _cli_logins(world: World, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Builders and heavy users log in with the Databricks CLI (client_id `databricks-cli`)."""
    people = world.people
    w = np.where(people.builder, people.weight * 3, np.where(people.kind == 0, people.weight * 0.15, 0.0))
    return sample_events(rng, world.window, 0.5 * people.builder.sum() * world.window.n_grid, w, people.tz,
                         people.active_from, people.active_to)


def write_app_logins(writer: Writer, world: World) -> Logins:
    """Insert OAuth login events for apps and the CLI; return the successful app logins."""
    rng = world.streams("app_logins")
    join = _login_catalog(writer, world)
    logins = _app_logins(world, rng)
    ws = world.apps.ws[logins.app]
    status = _status(world, rng, ws, logins.ts)
    events = _oauth_events(world, rng, logins.app, logins.person, logins.ts, ws, status)
    write_audit(writer, world, rng, LOGIN_KINDS, events, join)
    who, ts = _cli_logins(world, rng)
    cli_ws = world.people.ws[who]
    cli = np.full(len(ts), world.apps.n)
    write_audit(writer, world, rng, LOGIN_KINDS,
                _oauth_events(world, rng, cli, who, ts, cli_ws, _status(world, rng, cli_ws, ts)), join)
    writer.con.execute("DROP TABLE login_params")
    writer.progress("audit: app logins", 1.0)
    ok = status == 200
    return Logins(logins.app[ok], logins.person[ok], logins.ts[ok])
