"""`system.lakeflow.jobs` and `job_run_timeline`: the console's own ingestion jobs and everyone else's.

The console's jobs (Genie ingest hourly at :15, apps inventory hourly, space sync and audit
roll-up daily) run in the first workspace as a service principal, so the Admin page has real
run history to show. Runs longer than an hour are emitted as hourly time slices, with
`result_state` only on the final slice, as the docs describe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from telemetry.mirror.ids import pick, string_map, timestamps
from telemetry.mirror.timeline import DAY, HOUR, US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

# (name, period hours, offset minutes, median minutes)
CONSOLE_JOBS = (
    ("ops-console-genie-ingest", 1, 15, 3.0),
    ("ops-console-apps-inventory", 1, 50, 1.0),
    ("ops-console-genie-space-sync", 24, 120, 4.0),
)
_STATES = (
    ("SUCCEEDED", "SUCCESS"),
    ("FAILED", "RUN_EXECUTION_ERROR"),
    ("TIMED_OUT", "TIMED_OUT"),
    ("CANCELED", "USER_CANCELED"),
    ("ERROR", "INTERNAL_ERROR"),
)
_TOPICS = (
    "orders",
    "inventory",
    "gl",
    "hr_snapshot",
    "campaigns",
    "tickets",
    "telemetry",
    "customers",
    "pricing",
)
_VERBS = ("ingest", "refresh", "load", "compact", "train", "score", "export", "dq-check")


@dataclass
class Jobs:
    """Job dimension arrays."""

    job_id: list[str]
    name: list[str]
    ws: np.ndarray
    period_h: np.ndarray
    offset_min: np.ndarray
    median_min: np.ndarray
    serverless: np.ndarray
    run_as: np.ndarray  # person index


@dataclass
class Runs:
    """One entry per run (not per slice)."""

    job: np.ndarray
    run_id: pa.Array
    start: np.ndarray
    end: np.ndarray
    state: np.ndarray


def build_jobs(world: World) -> Jobs:
    """The console's four jobs plus ~80 other jobs per unit of scale."""
    rng = world.streams("jobs")
    n = max(5, round(80 * world.scale))
    sps = np.flatnonzero(world.people.kind == 1)
    names = [
        f"{_VERBS[int(v)]}-{_TOPICS[int(t)]}-{i}"
        for i, (v, t) in enumerate(
            zip(rng.integers(0, len(_VERBS), n), rng.integers(0, len(_TOPICS), n), strict=True)
        )
    ]
    period = rng.choice([1, 24, 168, 6], n, p=[0.12, 0.68, 0.1, 0.1])
    ws = np.concatenate([np.zeros(len(CONSOLE_JOBS), np.int64), rng.integers(0, len(world.ws.ids), n)])
    humans = world.people.humans()
    run_as = np.concatenate(
        [
            np.full(len(CONSOLE_JOBS), sps[0]),
            np.where(rng.random(n) < 0.6, rng.choice(sps, n), rng.choice(humans, n)),
        ]
    )
    return Jobs(
        [str(x) for x in rng.integers(10**14, 10**15, n + len(CONSOLE_JOBS))],
        [c[0] for c in CONSOLE_JOBS] + names,
        ws,
        np.concatenate([[c[1] for c in CONSOLE_JOBS], period]),
        np.concatenate([[c[2] for c in CONSOLE_JOBS], rng.integers(0, 60 * 24, n) % (period * 60)]),
        np.concatenate([[c[3] for c in CONSOLE_JOBS], rng.lognormal(np.log(8), 1.0, n)]),
        np.concatenate([np.ones(len(CONSOLE_JOBS), bool), rng.random(n) < 0.4]),
        run_as,
    )


def build_runs(world: World, jobs: Jobs) -> Runs:
    """Scheduled runs of every job inside the window, with heavy-tailed durations and failures."""
    rng = world.streams("job_runs")
    w = world.window
    job, start = [], []
    for j in range(len(jobs.name)):
        step = int(jobs.period_h[j]) * HOUR
        first = w.start_us - w.start_us % DAY + int(jobs.offset_min[j]) * 60 * US
        times = np.arange(first, w.end_us, step)
        times = times[times >= w.start_us]
        job.append(np.full(len(times), j))
        start.append(times + rng.integers(0, 40, len(times)) * US)
    job_a, start_a = np.concatenate(job), np.concatenate(start)
    dur = np.minimum(rng.lognormal(0.0, 0.7, len(job_a)) * jobs.median_min[job_a] * 60_000, 6 * 3600 * 1000)
    state = rng.choice(len(_STATES), len(job_a), p=[0.925, 0.045, 0.01, 0.015, 0.005])
    end = start_a + dur.astype(np.int64) * 1000
    keep = end <= w.end_us
    order = np.argsort(start_a[keep], kind="stable")
    ids = pa.array(rng.integers(10**14, 10**15, len(job_a)).astype(str))
    sel = np.flatnonzero(keep)[order]
    return Runs(job_a[sel], ids.take(pa.array(sel)), start_a[sel], end[sel], state[sel])


def write_jobs(writer: Writer, world: World, jobs: Jobs) -> None:
    """SCD2 rows: a creation row per job, and an edit row for about a third of them."""
    rng = world.streams("jobs_scd")
    n = len(jobs.name)
    created = world.window.start_us - rng.integers(10, 700, n) * DAY
    edited = np.flatnonzero(rng.random(n) < 0.33)
    edit_t = world.window.start_us + (rng.random(len(edited)) * (world.window.end_us - world.window.start_us))
    rows = np.concatenate([np.arange(n), edited])
    change = np.concatenate([created, edit_t.astype(np.int64)])
    team = pick(["data-eng", "analytics", "ml", "finance-it", "platform"], rows % 5)
    env = pick(["prod", "prod", "dev"], rows % 3)
    writer.insert(
        "jobs",
        {
            "account_id": pick([world.account_id], np.zeros(len(rows), np.int32)),
            "workspace_id": pick(world.ws.ids, jobs.ws[rows]),
            "job_id": pick(jobs.job_id, rows),
            "name": pick(jobs.name, rows),
            "description": pa.array([f"Scheduled job {jobs.name[r]}" for r in rows.tolist()]),
            "creator_id": pick(world.people.user_id, jobs.run_as[rows]),
            "tags": string_map([("team", "env")], np.zeros(len(rows), np.int64), [team, env]),
            "change_time": timestamps(change),
            "delete_time": pa.nulls(len(rows), pa.timestamp("us")),
            "run_as": pick(world.people.email, jobs.run_as[rows]),
            "trigger_type": pick(["CRON"], np.zeros(len(rows), np.int32)),
        },
    )


def write_run_timeline(writer: Writer, world: World, jobs: Jobs, runs: Runs) -> None:
    """Hourly slices of each run; the final slice carries result_state and termination_code."""
    n_slices = ((runs.end - 1) // HOUR - runs.start // HOUR + 1).astype(np.int64)
    run = np.repeat(np.arange(len(runs.start)), n_slices)
    k = np.arange(len(run)) - np.repeat(np.cumsum(n_slices) - n_slices, n_slices)
    slice_start = np.where(k == 0, runs.start[run], (runs.start[run] // HOUR + k) * HOUR)
    slice_end = np.minimum((runs.start[run] // HOUR + k + 1) * HOUR, runs.end[run])
    final = k == n_slices[run] - 1
    job = runs.job[run]
    state = runs.state[run]
    writer.insert(
        "job_run_timeline",
        {
            "account_id": pick([world.account_id], np.zeros(len(run), np.int32)),
            "workspace_id": pick(world.ws.ids, jobs.ws[job]),
            "job_id": pick(jobs.job_id, job),
            "run_id": runs.run_id.take(pa.array(run)),
            "period_start_time": timestamps(slice_start),
            "period_end_time": timestamps(slice_end),
            "trigger_type": pick(["CRON"], np.zeros(len(run), np.int32)),
            "run_type": pick(["JOB_RUN"], np.zeros(len(run), np.int32)),
            "run_name": pick(jobs.name, job),
            "compute_ids": pa.ListArray.from_arrays(
                pa.array(np.concatenate([[0], np.cumsum(~jobs.serverless[job])]).astype(np.int32)),
                pick(
                    [f"0{w}12-0304{w}5-job{w}" for w in range(len(world.ws.ids))],
                    jobs.ws[job][~jobs.serverless[job]],
                ).cast(pa.string()),
            ),
            "result_state": pick([s[0] for s in _STATES], state, mask=~final),
            "termination_code": pick([s[1] for s in _STATES], state, mask=~final),
            "job_parameters": string_map(
                [("since_hours",), ()],
                (jobs.period_h[job] != 1).astype(np.int64),
                [pick(["2"], np.zeros(len(run), np.int32))],
            ),
        },
    )
    writer.progress("lakeflow jobs", 1.0)
