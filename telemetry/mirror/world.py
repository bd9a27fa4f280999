"""The synthetic organisation: workspaces, people, service principals, apps, warehouses, Genie spaces.

Every table is generated from this one world, which is what keeps them consistent: a login's
client id is an app's client id, a Genie statement runs on its space's warehouse, a billing row
names an app that exists. Sizes scale with `scale`; each part draws from its own random stream
(`Streams`) so adding a table later does not change the data of the others.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from telemetry.mirror import vocab
from telemetry.mirror.timeline import DAY, HOUR, Window, lognormal_weights

NEVER = np.iinfo(np.int64).max // 2
LONG_AGO = -NEVER

# name, UTC offset (hours), cloud region, SKU region suffix, share of people
_WORKSPACES = (
    ("acme-prod-us-east", -5.0, "us-east-1", "US_EAST_N_VIRGINIA", 0.30),
    ("acme-analytics-us-west", -8.0, "us-west-2", "US_WEST_OREGON", 0.18),
    ("acme-prod-eu", 1.0, "eu-west-1", "EUROPE_IRELAND", 0.18),
    ("acme-dev-eu", 1.0, "eu-west-1", "EUROPE_IRELAND", 0.08),
    ("acme-apac-sg", 8.0, "ap-southeast-1", "AP_SINGAPORE", 0.12),
    ("acme-india-bi", 5.5, "ap-south-1", "AP_MUMBAI", 0.08),
    ("acme-ml-platform", -5.0, "us-east-1", "US_EAST_N_VIRGINIA", 0.06),
    ("acme-finance-us", -5.0, "us-east-1", "US_EAST_N_VIRGINIA", 0.05),
    ("acme-emea-sales", 1.0, "eu-west-1", "EUROPE_IRELAND", 0.05),
    ("acme-latam", -3.0, "sa-east-1", "SA_BRAZIL", 0.04),
    ("acme-japan", 9.0, "ap-northeast-1", "AP_TOKYO", 0.04),
    ("acme-sandbox", -5.0, "us-east-1", "US_EAST_N_VIRGINIA", 0.02),
)


class Streams:
    """Independent, named random streams derived from one seed (deterministic, order-free)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, name: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])


@dataclass
class Workspaces:
    """Workspace dimension (ids are 16-digit strings, as on AWS)."""

    ids: list[str]
    names: list[str]
    urls: list[str]
    tz: np.ndarray
    sku_region: list[str]
    create_us: np.ndarray


@dataclass
class People:
    """Humans, service principals (kind 1) and internal test accounts (kind 2)."""

    email: list[str]  # humans: first.last@…; service principals: their UUID application id
    display: list[str]
    user_id: list[str]
    kind: np.ndarray
    ws: np.ndarray
    tz: np.ndarray
    weight: np.ndarray
    active_from: np.ndarray
    active_to: np.ndarray
    ip: list[str]
    genie_affinity: np.ndarray
    builder: np.ndarray  # humans who build apps and spaces

    @property
    def n(self) -> int:
        return len(self.email)

    def humans(self, ws: int | None = None) -> np.ndarray:
        """Indices of human users (optionally of one workspace)."""
        mask = self.kind == 0
        return np.flatnonzero(mask if ws is None else mask & (self.ws == ws))


@dataclass
class Incident:
    """A bad hour range on one day, so anomaly detection has something real to flag."""

    kind: str  # "oauth", "warehouse", "llm", "deploy"
    start_us: int
    end_us: int
    target: int  # workspace, warehouse or app index depending on kind


def _people_names(rng: np.random.Generator, n: int) -> list[str]:
    first = rng.integers(0, len(vocab.FIRST_NAMES), n)
    last = rng.integers(0, len(vocab.LAST_NAMES), n)
    seen: dict[str, int] = {}
    out = []
    for f, la in zip(first.tolist(), last.tolist(), strict=True):
        base = f"{vocab.FIRST_NAMES[f]}.{vocab.LAST_NAMES[la]}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}{seen[base]}")
    return out


def _uuid_list(rng: np.random.Generator, n: int) -> list[str]:
    from telemetry.mirror.ids import uuid_ids

    return uuid_ids(rng, n).to_pylist()


def build_workspaces(rng: np.random.Generator, scale: float, window: Window) -> Workspaces:
    """3 workspaces at tiny scales, 6 at scale 1, up to 12 at scale 10."""
    n = int(np.clip(round(6 * scale**0.3), 3, len(_WORKSPACES)))
    rows = _WORKSPACES[:n]
    ids = [str(x) for x in rng.integers(1_000_000_000_000_000, 9_000_000_000_000_000, n)]
    urls = [
        f"https://dbc-{h[:8]}-{h[8:12]}.cloud.databricks.com"
        for h in (format(int(x), "016x") for x in rng.integers(0, 2**62, n))
    ]
    create = window.start_us - rng.integers(200, 1500, n) * DAY
    return Workspaces(
        ids, [r[0] for r in rows], urls, np.array([r[1] for r in rows]), [r[3] for r in rows], create
    )


def _lifetimes(
    rng: np.random.Generator,
    n: int,
    window: Window,
    joins: float,
    churn: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Active intervals: most exist all along, `joins` arrive inside the window, `churn` leave."""
    span = window.end_us - window.start_us
    start = np.where(
        rng.random(n) < joins, window.start_us + (rng.random(n) * span).astype(np.int64), LONG_AGO
    )
    leave = window.start_us + (rng.random(n) * span).astype(np.int64)
    end = np.where((rng.random(n) < churn) & (leave > start + 7 * DAY), leave, NEVER)
    return start, end


def _identities(rng: np.random.Generator, n_h: int, n_sp: int) -> tuple[list[str], list[str]]:
    """(emails, display names): first.last@… for humans, UUID application ids for service principals."""
    names = _people_names(rng, n_h)
    tests = list(vocab.TEST_ACCOUNTS)
    emails = [f"{x}@{vocab.EMAIL_DOMAIN}" for x in names] + _uuid_list(rng, n_sp) + [
        f"{t}@{vocab.EMAIL_DOMAIN}" for t in tests]
    purposes = rng.choice(["etl", "bi", "ml", "ingest", "report", "sync"], n_sp)
    cadences = rng.choice(["prod", "daily", "hourly", "svc", "batch"], n_sp)
    display = [x.replace(".", " ").title() for x in names] + [
        f"{p}-{c}-sp" for p, c in zip(purposes, cadences, strict=True)] + tests
    return emails, display


def _ips(rng: np.random.Generator, kind: np.ndarray) -> list[str]:
    """A stable source IP per identity: office/VPN ranges, some humans from a public range."""
    octets = rng.integers(1, 255, (len(kind), 3))
    return [f"10.{a}.{b}.{c}" if k != 0 or a % 3 else f"203.0.{b}.{c}"
            for (a, b, c), k in zip(octets.tolist(), kind.tolist(), strict=True)]


def build_people(rng: np.random.Generator, scale: float, window: Window, ws: Workspaces) -> People:
    """Humans with heavy-tailed activity, joins and churn; service principals; test accounts."""
    n_h, n_sp, n_t = max(60, round(4000 * scale)), max(6, round(30 * scale**0.8)), len(vocab.TEST_ACCOUNTS)
    n = n_h + n_sp + n_t
    shares = np.array([w[4] for w in _WORKSPACES[: len(ws.ids)]])
    home = np.concatenate([rng.choice(len(ws.ids), n_h, p=shares / shares.sum()),
                           rng.integers(0, len(ws.ids), n_sp), np.arange(n_t) % len(ws.ids)])
    emails, display = _identities(rng, n_h, n_sp)
    kind = np.concatenate([np.zeros(n_h, np.int8), np.ones(n_sp, np.int8), np.full(n_t, 2, np.int8)])
    weight = np.concatenate([lognormal_weights(rng, n_h, 1.35), lognormal_weights(rng, n_sp, 1.0) * 3,
                             np.full(n_t, 2.5)])
    start, end = _lifetimes(rng, n, window, 0.18, 0.12)
    start[n_h:], end[n_h:] = LONG_AGO, NEVER
    user_ids = [str(x) for x in rng.integers(1_000_000_000_000, 9_000_000_000_000_000, n)]
    ip = _ips(rng, kind)
    affinity = np.where(rng.random(n) < 0.3, rng.lognormal(0, 1.0, n), 0.0) * (kind == 0)
    builder = (kind == 0) & (rng.random(n) < 0.12)
    return People(emails, display, user_ids, kind, home, ws.tz[home], weight, start, end, ip, affinity,
                  builder)


def build_incidents(
    rng: np.random.Generator,
    window: Window,
    ws: Workspaces,
    n_wh: int,
    n_apps: int,
) -> list[Incident]:
    """A few incidents at fixed distances from now, in business hours (older than the window: skipped).

    Hours are local to the workspace for OAuth incidents, UTC otherwise.
    """
    plan = (
        ("oauth", 6, 10, 4),
        ("warehouse", 12, 14, 4),
        ("llm", 3, 15, 5),
        ("deploy", 20, 10, 6),
        ("oauth", 41, 9, 3),
        ("warehouse", 33, 15, 3),
        ("llm", 27, 13, 4),
    )
    out = []
    for kind, days_ago, hour, hours in plan:
        target = int(
            rng.integers(0, {"oauth": len(ws.ids), "warehouse": n_wh, "llm": n_apps, "deploy": n_apps}[kind])
        )
        local = float(ws.tz[target]) if kind == "oauth" else 0.0
        start = (window.end_us // DAY - days_ago) * DAY + int((hour - local) * HOUR)
        if start >= window.start_us and start + hours * HOUR <= window.end_us:
            out.append(Incident(kind, start, start + hours * HOUR, target))
    return out
