"""Ordinary workspace traffic: the bulk of `system.access.audit` that app and Genie rows hide in.

Building a MAP costs DuckDB about a microsecond per entry, which for millions of rows dominates
the build. So request_params come from a catalogue: a temporary table of ready-made maps, a pool
per (kind, workspace) or per (kind, person), and each event joins its map by id (copying a
map is ~7x cheaper than building one). Events are generated in chunks of days, and DuckDB
inserts one chunk while numpy draws the next, so scale 10 stays fast and within memory.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from telemetry.mirror.audit import AUDIT_SELECT, AuditEvents, audit_table, create_catalog
from telemetry.mirror.ids import as_strings, pick
from telemetry.mirror.noise_kinds import ERRORS, KINDS, NOISE
from telemetry.mirror.timeline import sample_events, skewed_index
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

ROWS_PER_DAY = 22_000  # at scale 1: ~1.9 M rows over 90 days (+0.35 M app and Genie rows)
CHUNK_ROWS = 500_000
POOL = 400  # parameter sets per (kind, workspace)
CATALOG = "noise_params"


def _catalog(writer: Writer, world: World, rng: np.random.Generator) -> np.ndarray:
    """Create the temporary map catalogue; return each kind's first id."""
    people, n_ws = world.people, len(world.ws.ids)
    persons = [np.arange(people.n) if noise.key == "person" else
               np.concatenate([rng.choice(np.flatnonzero(people.ws == w), POOL) for w in range(n_ws)])
               for noise in NOISE]
    base = np.concatenate([[0], np.cumsum([len(p) for p in persons])[:-1]])
    columns = [pa.concat_arrays([as_strings(NOISE[k].makers[j](rng, who, world) if j < len(NOISE[k].makers)
                                            else None, len(who)) for k, who in enumerate(persons)])
               for j in range(6)]
    kind = np.concatenate([np.full(len(who), k) for k, who in enumerate(persons)])
    create_catalog(writer, CATALOG, KINDS, kind, columns)
    return base


def _events(rng: np.random.Generator, world: World, base: np.ndarray, person: np.ndarray,
            ts: np.ndarray) -> AuditEvents:
    weights = np.array([n.weight for n in NOISE])
    kind = rng.choice(len(NOISE), len(ts), p=weights / weights.sum())
    by_person = np.array([n.key == "person" for n in NOISE])[kind]
    slot = world.people.ws[person] * POOL + skewed_index(rng, len(ts), POOL, 2.0)
    param_id = base[kind] + np.where(by_person, person, slot)
    err_rate = np.array([n.error_rate for n in NOISE])[kind]
    failed = rng.random(len(ts)) < err_rate
    status = np.where(failed, rng.choice([403, 404, 400], len(ts), p=[0.5, 0.35, 0.15]), 200)
    codes = sorted(ERRORS)
    error = pick([ERRORS[c] for c in codes], np.searchsorted(codes, status).clip(0, 2), mask=status == 200)
    return AuditEvents(kind, ts, person, [], status, error, param_id=param_id)


def _chunk(world: World, rng: np.random.Generator, mask: np.ndarray,
           total: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """(person, time) of human (business hours) and service-principal (all day) events in `mask` days."""
    window, people = world.window, world.people
    base_p = window.day_p()
    share = float((base_p * mask).sum())
    humans = np.where(people.kind == 1, 0.0, people.weight)
    sps = np.where(people.kind == 1, people.weight, 0.0)
    span = (people.tz, people.active_from, people.active_to)
    return [sample_events(rng, window, total * 0.85 * share, humans, *span, day_p=base_p * mask / share),
            sample_events(rng, window, total * 0.15 * mask.sum() / window.n_grid, sps, *span,
                          day_p=mask / mask.sum(), hour_p=np.full(24, 1 / 24))]


def write_noise(writer: Writer, world: World) -> None:
    """Background traffic in day chunks, inserted by a worker thread while the next chunk is drawn."""
    window = world.window
    rng = world.streams("audit_noise")
    base = _catalog(writer, world, rng)
    join = f" AS f JOIN {CATALOG} AS p ON p.id = f.param_id"
    total = ROWS_PER_DAY * world.scale * window.n_grid
    n_chunks = max(1, int(np.ceil(total / CHUNK_ROWS)))
    edges = np.linspace(0, window.n_grid, n_chunks + 1).astype(int)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future | None = None
        for c in range(n_chunks):
            mask = np.zeros(window.n_grid)
            mask[edges[c]:edges[c + 1]] = 1.0
            for person, ts in _chunk(world, rng, mask, total):
                cols = audit_table(world, rng, KINDS, _events(rng, world, base, person, ts))
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.insert, "audit", cols, AUDIT_SELECT, join)
            writer.progress("audit: workspace traffic", (c + 1) / n_chunks)
        if pending is not None:
            pending.result()
    writer.con.execute(f"DROP TABLE {CATALOG}")
