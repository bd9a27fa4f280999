"""Apps, SQL warehouses and Genie spaces of the synthetic organisation, and the `World` that holds all.

Apps carry everything the audit log and the inventory must agree on (name, OAuth client id,
service principal); each app has an audience of users in its workspace, ordered heavy users
first, so a few people generate most of an app's logins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from telemetry.mirror import vocab
from telemetry.mirror.ids import hex_ids, uuid_ids
from telemetry.mirror.timeline import DAY, Window
from telemetry.mirror.world import (
    NEVER,
    Incident,
    People,
    Streams,
    Workspaces,
    build_incidents,
    build_people,
    build_workspaces,
)


@dataclass
class Apps:
    """Databricks Apps with their identities, lifetimes and popularity."""

    name: list[str]
    app_id: list[str]
    client_id: list[str]
    sp_client_id: list[str]
    sp_id: np.ndarray
    ws: np.ndarray
    domain: np.ndarray
    creator: np.ndarray
    owners: list[list[int]]
    create_us: np.ndarray
    stop_us: np.ndarray  # compute stopped for good (dying apps); NEVER otherwise
    delete_us: np.ndarray
    popularity: np.ndarray
    trend: np.ndarray
    large: np.ndarray
    telemetry: np.ndarray  # emits OTel spans (agent-style apps)
    tracked: np.ndarray  # emits tracker events
    audience: list[np.ndarray] = field(repr=False)

    @property
    def n(self) -> int:
        return len(self.name)


@dataclass
class Warehouses:
    """SQL warehouses (16 hex ids), per workspace."""

    ids: list[str]
    ws: np.ndarray
    names: list[str]


@dataclass
class Spaces:
    """Genie spaces, each bound to one warehouse and one business domain."""

    space_id: list[str]
    ws: np.ndarray
    warehouse: np.ndarray
    domain: np.ndarray
    creator: np.ndarray
    create_us: np.ndarray
    popularity: np.ndarray
    quality: np.ndarray  # failure multiplier: a few spaces are badly configured
    title: list[str]

    @property
    def n(self) -> int:
        return len(self.space_id)


@dataclass
class World:
    """Everything generated tables share."""

    window: Window
    scale: float
    streams: Streams
    account_id: str
    ws: Workspaces
    people: People
    apps: Apps
    warehouses: Warehouses
    spaces: Spaces
    incidents: list[Incident]


def _app_names(rng: np.random.Generator, domain: np.ndarray) -> list[str]:
    seen: set[str] = set()
    out = []
    for d in domain.tolist():
        topic = vocab.DOMAINS[d].app_topics[int(rng.integers(0, 5))]
        name = f"{topic}-{vocab.APP_NOUNS[int(rng.integers(0, len(vocab.APP_NOUNS)))]}"
        name += vocab.APP_SUFFIXES[int(rng.integers(0, len(vocab.APP_SUFFIXES)))]
        base, k = name, 2
        while name in seen:
            name, k = f"{base}-{k}", k + 1
        seen.add(name)
        out.append(name)
    return out


def _audiences(
    rng: np.random.Generator,
    people: People,
    ws: np.ndarray,
    popularity: np.ndarray,
) -> list[np.ndarray]:
    """Users of each app: a random subset of its workspace's humans, heaviest users first."""
    out = []
    for w, pop in zip(ws.tolist(), popularity.tolist(), strict=True):
        pool = people.humans(w)
        size = int(np.clip(rng.lognormal(np.log(25), 1.1) * min(pop, 4) ** 0.5, 2, len(pool)))
        chosen = rng.choice(pool, size=size, replace=False, p=people.weight[pool] / people.weight[pool].sum())
        out.append(chosen[np.argsort(-people.weight[chosen], kind="stable")])
    return out


def _app_lives(rng: np.random.Generator, n: int, window: Window) -> tuple[np.ndarray, ...]:
    """(create, stop, delete, trend): 28% born in the window, ~10% dying (stopped, half deleted)."""
    span = window.end_us - window.start_us
    born = rng.random(n) < 0.28
    create = np.where(born, window.start_us + (rng.random(n) * 0.95 * span).astype(np.int64),
                      window.start_us - rng.integers(5, 400, n) * DAY)
    trend = rng.normal(0.0, 0.8, n)
    dying = rng.random(n) < 0.1
    dying[n // 2] = True  # at least one dying and one fast-growing app, even at tiny scales
    trend[dying] = -rng.uniform(2.5, 5.0, dying.sum())
    trend[n // 3] = max(trend[n // 3], 2.5)
    stop = np.maximum(create, window.start_us) + (rng.uniform(0.4, 0.95, n) * span).astype(np.int64)
    stop = np.where(dying & (stop <= window.end_us), stop, NEVER)
    delete = np.where((stop < NEVER) & (rng.random(n) < 0.5), stop + rng.integers(1, 6, n) * DAY, NEVER)
    return create, stop, np.where(delete > window.end_us, NEVER, delete), trend


def build_apps(rng: np.random.Generator, scale: float, window: Window, people: People) -> Apps:
    """A few hundred apps at scale 1: most pre-date the window, some are born, some die."""
    n = max(6, round(300 * scale))
    builders = np.flatnonzero(people.builder)
    creator = rng.choice(builders, n)
    ws = people.ws[creator]
    domain = rng.integers(0, len(vocab.DOMAINS), n)
    create, stop, delete, trend = _app_lives(rng, n, window)
    popularity = rng.lognormal(0, 1.4, n)
    owners = [[int(c)] + rng.choice(builders, int(rng.integers(0, 3))).tolist() for c in creator]
    telemetry = rng.random(n) < 0.12
    telemetry[:2] = True  # some agent apps always emit spans
    ids = [uuid_ids(rng, n).to_pylist() for _ in range(3)]
    sp_ids = rng.integers(10**14, 9 * 10**15, n)
    return Apps(_app_names(rng, domain), ids[0], ids[1], ids[2], sp_ids, ws, domain, creator, owners,
                create, stop, delete, popularity, trend, rng.random(n) < 0.15, telemetry,
                telemetry | (rng.random(n) < 0.15), _audiences(rng, people, ws, popularity))


def build_warehouses(rng: np.random.Generator, scale: float, n_ws: int) -> Warehouses:
    """2–8 SQL warehouses per workspace."""
    per = int(np.clip(round(2 + 2 * scale**0.5), 2, 8))
    ws = np.repeat(np.arange(n_ws), per)
    kinds = (
        "Shared Serverless",
        "BI Serverless",
        "Genie Warehouse",
        "Analysts Pro",
        "Reporting",
        "Data Science",
        "Finance SQL",
        "Ad hoc",
    )
    names = [kinds[i % len(kinds)] for i in range(len(ws))]
    return Warehouses(hex_ids(rng, len(ws), 8).to_pylist(), ws, names)


def build_spaces(
    rng: np.random.Generator, scale: float, window: Window, people: People, wh: Warehouses
) -> Spaces:
    """About 120 Genie spaces at scale 1 on the workspaces' warehouses."""
    n = max(3, round(120 * scale))
    creator = rng.choice(np.flatnonzero(people.builder), n)
    ws = people.ws[creator]
    warehouse = np.array([rng.choice(np.flatnonzero(wh.ws == w)) for w in ws.tolist()])
    domain = rng.integers(0, len(vocab.DOMAINS), n)
    span = window.end_us - window.start_us
    create = np.where(
        rng.random(n) < 0.25,
        window.start_us + (rng.random(n) * 0.9 * span).astype(np.int64),
        window.start_us - rng.integers(3, 300, n) * DAY,
    )
    quality = np.where(rng.random(n) < 0.1, rng.uniform(2.0, 4.0, n), rng.uniform(0.5, 1.3, n))
    flavours = ("{} insights", "{} analytics", "Ask {}", "{} KPIs", "{} self-service", "{} deep dive")
    title = [
        flavours[int(rng.integers(0, len(flavours)))].format(vocab.DOMAINS[d].label) for d in domain.tolist()
    ]
    return Spaces(
        hex_ids(rng, n, 16).to_pylist(),
        ws,
        warehouse,
        domain,
        creator,
        create,
        rng.lognormal(0, 1.2, n),
        quality,
        title,
    )


def build_world(seed: int, scale: float, window: Window) -> World:
    """Draw the whole organisation for (seed, scale, window)."""
    streams = Streams(seed)
    ws = build_workspaces(streams("workspaces"), scale, window)
    people = build_people(streams("people"), scale, window, ws)
    apps = build_apps(streams("apps"), scale, window, people)
    wh = build_warehouses(streams("warehouses"), scale, len(ws.ids))
    spaces = build_spaces(streams("spaces"), scale, window, people, wh)
    incidents = build_incidents(streams("incidents"), window, ws, len(wh.ids), apps.n)
    account = uuid_ids(streams("account"), 1).to_pylist()[0]
    return World(window, scale, streams, account, ws, people, apps, wh, spaces, incidents)
