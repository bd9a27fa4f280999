"""A few big traces: nightly batch evaluations of an agent app over a dataset of past questions.

`POST /api/evaluations` (the job calling the app) → `evaluate_dataset` → one `evaluate_row` per
dataset row (8 run in parallel), each running the agent loop on the row's question and two LLM
judges on its answer. Rows link to the production trace their question came from. 2,300–5,300
spans each, about four at scale 1 over the period, the first one in the last week (the trace
view's example is the recent trace with the most spans).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import spans_text as text
from telemetry.mirror import vocab
from telemetry.mirror.ids import hex_ids, keyed_hex, pick
from telemetry.mirror.spans_agent import MODELS, Calls, Loop, agent_loop
from telemetry.mirror.spans_time import MS, durations, error_of, excl_cumsum, place, position
from telemetry.mirror.spans_tools import Env
from telemetry.mirror.spans_write import Link, SpanBatch, fixed, numbers
from telemetry.mirror.timeline import DAY, HOUR
from telemetry.mirror.world_apps import World

LANES = 8
JUDGES = ("correctness", "relevance_to_query")
SPANS_PER_ROW = 15  # about: row + agent loop + judges




@dataclass
class Production:
    """The production chat traces rows may link to: app, end (µs), trace ids, root spans."""

    app: np.ndarray
    end: np.ndarray
    trace_ids: pa.Array
    root: SpanBatch


@dataclass
class Evals:
    """The built evaluation traces."""

    trace_ids: pa.Array
    app: np.ndarray
    batches: list[SpanBatch]


def _starts(rng: np.random.Generator, world: World, n: int) -> np.ndarray:
    """Nightly (about 02:00 UTC) runs: the first 1.5–6 days ago, the others spread over the period."""
    w = world.window
    spread = np.linspace(8, max(w.days - 2, 8), max(n - 1, 0)) + rng.integers(-2, 3, max(n - 1, 0))
    days_back = np.concatenate([[rng.integers(2, 7)], spread]).astype(np.int64)
    days_back = np.minimum(days_back, max(w.days - 1, 2))
    start = (w.end_us // DAY - days_back) * DAY + 2 * HOUR + rng.integers(0, HOUR, n)
    return np.clip(start, w.start_us + HOUR, w.end_us - DAY)


def _eval_apps(rng: np.random.Generator, prod: Production, agents: np.ndarray, start: np.ndarray) -> np.ndarray:
    """An agent app with production traffic before each run (the busiest agent apps most often)."""
    busy = np.bincount(prod.app, minlength=int(agents.max()) + 1 if len(agents) else 1)
    candidates = np.flatnonzero(busy > 0)
    if not len(candidates):
        return rng.choice(agents, len(start))
    p = busy[candidates] / busy[candidates].sum()
    return rng.choice(candidates, len(start), p=p)


def _links(rng: np.random.Generator, prod: Production, app: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Per row: a production chat root of the same app that ended before the run (or -1)."""
    out = np.full(len(app), -1)
    for a in np.unique(app):
        rows = np.flatnonzero(app == a)
        pool = np.flatnonzero((prod.app == a) & (prod.end < start[rows].min()))
        if len(pool):
            out[rows] = rng.choice(pool, len(rows))
    return out


def _judges(rng: np.random.Generator, row_trace: np.ndarray, cell: np.ndarray,
            dur: np.ndarray) -> tuple[SpanBatch, np.ndarray]:
    """Two LLM-judge spans per row (durations `dur`, row-major), times from 0 (placed with the row)."""
    n = len(row_trace)
    r = np.repeat(np.arange(n), len(JUDGES))
    j = np.tile(np.arange(len(JUDGES)), n)
    begin = excl_cumsum(dur + MS, np.full(n, len(JUDGES)))
    m = len(r)
    fail = rng.random(m) < 0.01
    verdict = rng.random(m) < 0.84
    outputs = pick([json.dumps({"value": v, "rationale": why}) for v, why in (
        ("no", "The response does not answer the question with the requested figures."),
        ("yes", "The response answers the question and cites the table it used."))], verdict.astype(np.int32),
        mask=fail)
    judge = pick(JUDGES, j)
    attributes = {
        "gen_ai.system": fixed("databricks", m), "gen_ai.operation.name": fixed("chat", m),
        "gen_ai.request.model": fixed(MODELS[0], m), "gen_ai.response.model": fixed(MODELS[0], m),
        "gen_ai.usage.input_tokens": numbers(rng.integers(900, 3500, m)),
        "gen_ai.usage.output_tokens": numbers(np.where(fail, 0, rng.integers(40, 160, m))),
        "mlflow.spanType": fixed("LLM", m), "mlflow.assessment.name": judge,
        "mlflow.spanInputs": text.agent_inputs(cell[r]), "mlflow.spanOutputs": outputs}
    batch = SpanBatch(r, "judge", "SPAN_KIND_CLIENT", begin, begin + dur, fail, attributes, None, r,
                      name_suffix=judge, error=error_of("judge", m), frames="eval.py")
    total = np.zeros(n, np.int64)
    np.maximum.at(total, r, begin + dur)
    return batch, total


def _lanes(size: np.ndarray, start: np.ndarray, row_trace: np.ndarray, row_dur: np.ndarray) -> np.ndarray:
    """Row start times: each run's rows go round-robin to LANES workers, one after another per worker."""
    r = len(row_trace)
    lane = position(size) % LANES
    order = np.lexsort((np.arange(r), lane, row_trace))
    counts = np.bincount(row_trace[order] * LANES + lane[order], minlength=len(size) * LANES)
    row_start = np.empty(r, np.int64)
    row_start[order] = start[row_trace[order]] + 5 * MS + excl_cumsum(row_dur[order] + 20 * MS, counts)
    return row_start


def _rows(prod: Production, calls: Calls, loop: Loop, row_trace: np.ndarray, row_start: np.ndarray,
          row_dur: np.ndarray, link_to: np.ndarray, size: np.ndarray) -> SpanBatch:
    """One evaluate_row span per dataset row, linked to the production trace it came from."""
    r = len(row_trace)
    index = position(size)
    outputs = text.agent_outputs(calls.cell)
    link = Link(prod.trace_ids, prod.root, link_to, {
        "mlflow.link.type": fixed("eval_source", r), "eval.row_index": numbers(index)})
    return SpanBatch(row_trace, "evaluate_row", "SPAN_KIND_INTERNAL", row_start, row_start + row_dur, loop.failed, {
        "mlflow.spanType": fixed("CHAIN", r), "eval.row_index": numbers(index),
        "mlflow.spanInputs": text.agent_inputs(calls.cell),
        "mlflow.spanOutputs": pc.if_else(pa.array(loop.failed), pa.scalar(None, pa.string()),
                                                 outputs.cast(pa.string()))},
        error=loop.agent.error, frames="eval.py", link=link)


def _top(env: Env, app: np.ndarray, start: np.ndarray, size: np.ndarray,
         row_trace: np.ndarray, row_end: np.ndarray, creators: np.ndarray) -> tuple[SpanBatch, SpanBatch]:
    """The job's request to the app and the evaluate_dataset span under it."""
    n = len(start)
    last = np.zeros(n, np.int64)
    np.maximum.at(last, row_trace, row_end)
    dataset_names = pick([f"main.agents.{name.replace('-', '_')}_eval_v3" for name in env.names], app)
    summary = [json.dumps({"rows": int(k), "scorers": list(JUDGES)}) for k in size]
    ok = np.zeros(n, bool)
    root = SpanBatch(np.arange(n), "POST /api/evaluations", "SPAN_KIND_SERVER", start, last + 8 * MS, ok, {
        "http.request.method": fixed("POST", n), "http.route": fixed("/api/evaluations", n),
        "url.path": fixed("/api/evaluations", n), "url.scheme": fixed("https", n),
        "server.address": pick(env.hosts, app), "http.response.status_code": fixed("200", n),
        "user_agent.original": fixed(vocab.SDK_AGENTS[0], n), "enduser.id": pick(env.emails, creators[app]),
        "session.id": keyed_hex(start, 16), "mlflow.spanInputs": pa.array(summary),
        "mlflow.spanOutputs": fixed('{"status":"SUCCEEDED"}', n)},
        ok_code="STATUS_CODE_UNSET", scope="opentelemetry.instrumentation.fastapi")
    dataset = SpanBatch(np.arange(n), "evaluate_dataset", "SPAN_KIND_INTERNAL", start + 2 * MS, last + 5 * MS, ok, {
        "mlflow.spanType": fixed("CHAIN", n), "eval.dataset": dataset_names, "eval.rows": numbers(size),
        "eval.parallelism": fixed(str(LANES), n), "mlflow.spanInputs": pa.array(summary)}, root, np.arange(n))
    return root, dataset


def evaluations(rng: np.random.Generator, world: World, env: Env, prod: Production, agents: np.ndarray,
                partner: np.ndarray, creators: np.ndarray) -> Evals:
    """The evaluation traces (trace i = run i)."""
    n = max(1, round(4 * world.scale)) if len(agents) else 0
    start = _starts(rng, world, n)
    app = _eval_apps(rng, prod, agents, start)
    size = (rng.integers(2400, 5200, n) // SPANS_PER_ROW).astype(np.int64)
    row_trace = np.repeat(np.arange(n), size)
    row_app = app[row_trace]
    r = len(row_trace)
    calls = Calls(row_app, text.cells(rng, env.domain[row_app]), rng.random(r) < 0.01, partner[row_app],
                  1 + rng.choice(5, r, p=[0.3, 0.3, 0.2, 0.12, 0.08]))
    loop = agent_loop(rng, calls, env)
    judges, judge_dur = _judges(rng, row_trace, calls.cell, durations(rng, 2 * r, 1100, 0.5, 30_000))
    row_dur = MS + loop.dur + MS + judge_dur + MS
    row_start = _lanes(size, start, row_trace, row_dur)
    place(loop.batches, row_trace, row_start + MS)
    place([judges], row_trace, row_start + 2 * MS + loop.dur)
    rows = _rows(prod, calls, loop, row_trace, row_start, row_dur, _links(rng, prod, row_app, start[row_trace]),
                 size)
    loop.agent.parent, loop.agent.parent_row = rows, np.arange(r)
    judges.parent = rows
    root, dataset = _top(env, app, start, size, row_trace, rows.end, creators)
    rows.parent, rows.parent_row = dataset, row_trace
    return Evals(hex_ids(rng, n, 16), app, [root, dataset, rows, *loop.batches, judges])
