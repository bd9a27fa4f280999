"""The console's own admin audit trail in the tracker table: platform admins running the ingestion jobs,
cancelling and repairing runs and clearing cached results, about two actions a day.

Rows look exactly as telemetry.admin.audit records them (app `ops-console`, action `admin:<what>`, the
details as JSON properties), so the Audit trail view of a fresh demo is full and reads like a real one.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa

from telemetry.mirror.ids import timestamps, uuid_ids
from telemetry.mirror.timeline import DAY, US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

CONSOLE_APP = "ops-console"  # TrackerConfig.app_name's default
ACTIONS = ("admin:job_triggered", "admin:job_cancelled", "admin:job_repaired", "admin:cache_cleared")
_ACTION_P = (0.62, 0.1, 0.08, 0.2)
_SOURCES = ("audit", "genie_message_details", "tracker", "spans", "")  # "" clears every source


def _jobs() -> list[tuple[str, dict[str, str]]]:
    from telemetry.jobs import catalog  # lazily: the catalog imports every area

    return [(job.name, {p.name: "" if p.default is None else str(p.default) for p in job.params})
            for job in catalog.JOBS if not getattr(job, "embedded_only", False)]


def _properties(rng: np.random.Generator, action: str, run_id: int, jobs: list) -> dict:
    if action == "admin:cache_cleared":
        source = _SOURCES[rng.integers(len(_SOURCES))]
        return {"outcome": "done", "source": source or "all sources"}
    job, params = jobs[rng.integers(len(jobs))]
    if action != "admin:job_triggered":
        return {"outcome": "done", "job": job, "run_id": run_id}
    failed = rng.random() < 0.08
    return {"outcome": "failed" if failed else "done", "job": job, "params": params, "run_id": run_id,
            "message": "The Jobs API failed: TemporarilyUnavailable: try again later" if failed else ""}


def write_admin_audit(writer: Writer, world: World) -> int:
    rng = world.streams("admin_audit")
    w = world.window
    n = max(6, int(2 * (w.end_us - w.start_us) // DAY))
    ts = np.sort(rng.integers(w.start_us, w.end_us - 60 * US, n))
    humans = world.people.humans()
    admins = [world.people.email[i] for i in humans[:2]]  # not the local developer: their own use is theirs
    jobs = _jobs()
    actions = [ACTIONS[i] for i in rng.choice(len(ACTIONS), n, p=_ACTION_P)]
    props = [json.dumps(_properties(rng, a, 8_400_000 + k * 37, jobs), sort_keys=True) for k, a in enumerate(actions)]
    return writer.insert("tracker", {
        "timestamp": timestamps(ts),
        "app_name": pa.array([CONSOLE_APP] * n),
        "user": pa.array([admins[i] for i in rng.choice(len(admins), n, p=[0.7, 0.3])]),
        "action": pa.array(actions),
        "event_id": uuid_ids(rng, n),
        "session_id": uuid_ids(rng, n),
        "properties": pa.array(props),
    })
