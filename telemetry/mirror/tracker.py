"""The in-app tracker table (`app_events`: timestamp, app_name, user, action) as real journeys.

A session starts seconds after a real OAuth login to an instrumented app, then the user asks one
or more questions; each question may generate SQL, run it, get edited and re-run, and end in a
download — or in an error. Funnels built on this table therefore narrow the way real ones do,
and its users and apps match the audit log's.
"""

from __future__ import annotations

import numpy as np

from telemetry.mirror.audit_apps import Logins
from telemetry.mirror.ids import pick, timestamps
from telemetry.mirror.timeline import US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer
from telemetry.tracker.actions import ERROR_PREFIX, Actions, ErrorKinds

# The library's vocabulary (telemetry.tracker.Actions), so the demo's funnels and rates are the real ones.
ACTIONS = (
    Actions.APP_START,  # 0
    Actions.QUESTION_ASKED,  # 1
    Actions.SQL_GENERATED,  # 2
    Actions.SQL_EXECUTED,  # 3
    Actions.SQL_EDITED,  # 4
    Actions.RESULTS_DOWNLOADED,  # 5
    ERROR_PREFIX + ErrorKinds.LLM,  # 6: generation failed
    Actions.SUGGESTED_QUESTION_CLICKED,  # 7
    Actions.CHART_GENERATED,  # 8
    Actions.SUMMARY_GENERATED,  # 9
    Actions.COLUMNS_SELECTED,  # 10
    ERROR_PREFIX + ErrorKinds.SQL,  # 11: the generated SQL failed
    ERROR_PREFIX + ErrorKinds.DATABASE,  # 12: the warehouse failed
    ERROR_PREFIX + ErrorKinds.CHART,  # 13
)


def _questions(rng: np.random.Generator, start: np.ndarray, n_q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(session index, time) of each question: a think-time gap after the previous one."""
    sess = np.repeat(np.arange(len(start)), n_q)
    gaps = rng.lognormal(np.log(70 * US), 0.9, len(sess)).astype(np.int64)
    cum = np.cumsum(gaps)
    first = np.concatenate([[0], np.cumsum(n_q)[:-1]])
    base = np.repeat(cum[first] - gaps[first], n_q) if len(sess) else cum
    return sess, start[sess] + cum - base


def _steps(
    rng: np.random.Generator, q_ts: np.ndarray, err_p: np.ndarray
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(action, question index, time) per step of each question's journey.

    A question may start from a suggested question; SQL is generated (or the LLM fails), run (or the
    SQL or the warehouse fails), sometimes charted, summarised, narrowed to some columns, edited and
    re-run, and downloaded."""
    n = len(q_ts)
    idx = np.arange(n)
    suggested = rng.random(n) < 0.22
    gen_fail = rng.random(n) < err_p
    run_fail = ~gen_fail & (rng.random(n) < err_p * 0.7)
    db_fail = run_fail & (rng.random(n) < 0.3)
    t_gen = q_ts + rng.integers(3, 16, n) * US
    t_run = t_gen + rng.lognormal(np.log(2.5 * US), 1.0, n).astype(np.int64)
    ran = ~gen_fail & ~run_fail
    chart = ran & (rng.random(n) < 0.34)
    chart_fail = chart & (rng.random(n) < 0.04)
    summary = ran & (rng.random(n) < 0.21)
    columns = ran & (rng.random(n) < 0.09)
    t_after = t_run + rng.integers(2, 12, n) * US
    edited = ran & (rng.random(n) < 0.16)
    t_edit = t_run + rng.integers(20, 150, n) * US
    t_rerun = t_edit + rng.lognormal(np.log(2 * US), 1.0, n).astype(np.int64)
    download = ran & (rng.random(n) < 0.13)
    t_dl = np.where(edited, t_rerun, t_run) + rng.integers(5, 90, n) * US
    return [
        (7, idx[suggested], q_ts[suggested] - US),
        (1, idx, q_ts),
        (2, idx[~gen_fail], t_gen[~gen_fail]),
        (6, idx[gen_fail], t_gen[gen_fail]),
        (3, idx[ran], t_run[ran]),
        (11, idx[run_fail & ~db_fail], t_run[run_fail & ~db_fail]),
        (12, idx[db_fail], t_run[db_fail]),
        (8, idx[chart & ~chart_fail], t_after[chart & ~chart_fail]),
        (13, idx[chart_fail], t_after[chart_fail]),
        (9, idx[summary], t_after[summary] + 2 * US),
        (10, idx[columns], t_after[columns] + 5 * US),
        (4, idx[edited], t_edit[edited]),
        (3, idx[edited], t_rerun[edited]),
        (5, idx[download], t_dl[download]),
    ]


def write_tracker(writer: Writer, world: World, logins: Logins) -> None:
    """Sessions from logins to tracked apps; 80% of logins lead to a tracked session."""
    rng = world.streams("tracker")
    apps = world.apps
    sel = np.flatnonzero(apps.tracked[logins.app] & (rng.random(len(logins.ts)) < 0.8))
    app, person = logins.app[sel], logins.person[sel]
    start = logins.ts[sel] + rng.integers(2, 7, len(sel)) * US
    n_q = np.minimum(rng.geometric(0.42, len(sel)), 8)
    sess, q_ts = _questions(rng, start, n_q)
    err_p = np.full(len(sess), 0.05)
    for inc in world.incidents:
        if inc.kind == "llm":
            err_p = np.where((q_ts >= inc.start_us) & (q_ts < inc.end_us), 0.35, err_p)
    steps = [(0, np.arange(len(sel)), start)] + [(a, sess[i], t) for a, i, t in _steps(rng, q_ts, err_p)]
    action = np.concatenate([np.full(len(i), a) for a, i, _ in steps])
    session = np.concatenate([i for _, i, _ in steps])
    ts = np.concatenate([t for _, _, t in steps])
    keep = ts <= world.window.end_us
    order = np.argsort(ts[keep], kind="stable")
    action, session, ts = action[keep][order], session[keep][order], ts[keep][order]
    writer.insert(
        "tracker",
        {
            "timestamp": timestamps(ts),
            "app_name": pick(apps.name, app[session]),
            "user": pick(world.people.email, person[session]),
            "action": pick(ACTIONS, action),
        },
        'timestamp, app_name, "user", action',
    )
    writer.progress("tracker events", 1.0)
