"""Agent loops: an agent span running 1–8 iterations of an LLM call followed by parallel tool calls.

Iteration k < N asks for 1–4 different tools; the last iteration answers. Tools have their own subtrees
(spans_tools): a SQL or CRM call crosses into another app's service, a knowledge-base search runs a
retriever with an embedding call. A failing first LLM call (rate limit, more during "llm" incidents)
ends the loop and fails the request; long loops sometimes overflow the context window; failing
tools are recovered by the agent. Times are relative to the agent's start (see spans_time.place).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import spans_text as text
from telemetry.mirror.ids import as_strings, hex_ids, pick
from telemetry.mirror.spans_time import MS, durations, error_index, error_of, excl_cumsum, position
from telemetry.mirror.spans_tools import Env, Tools, tool_subtrees
from telemetry.mirror.spans_write import SpanBatch, fixed, numbers

MODELS = ("databricks-claude-sonnet-4", "databricks-meta-llama-3-3-70b-instruct", "databricks-gpt-oss-120b")
ITERATION_P = np.array([0.22, 0.2, 0.16, 0.13, 0.1, 0.08, 0.06, 0.05])
TOOLS_PER_CALL_P = np.array([0.45, 0.3, 0.17, 0.08])
TOOL_P = np.array([0.34, 0.3, 0.2, 0.16])


@dataclass
class Calls:
    """Agent invocations: trace/parent are the caller's business, these drive the loop's shape."""

    app: np.ndarray
    cell: np.ndarray  # question cell (spans_text)
    llm_fail: np.ndarray  # the first LLM call is rate limited
    partner: np.ndarray  # (n, 2): app index of the data API (SQL tool) and of the CRM (customer tool)
    iterations: np.ndarray | None = None


@dataclass
class Loop:
    """One agent span per call (`agent`, to be given a parent) and its subtree, times from 0."""

    agent: SpanBatch
    batches: list[SpanBatch]
    dur: np.ndarray
    failed: np.ndarray


def _iterations(rng: np.random.Generator, calls: Calls) -> tuple[np.ndarray, np.ndarray]:
    """(iterations per call, index of the failing LLM call per call or -1)."""
    n = len(calls.app)
    it = calls.iterations if calls.iterations is not None else 1 + rng.choice(8, n, p=ITERATION_P)
    it = np.where(calls.llm_fail, 1, it)
    context = (it >= 6) & (rng.random(n) < 0.1)
    fail_at = np.where(calls.llm_fail, 0, np.where(context, it - 1, -1))
    return it, fail_at


def _llm(rng: np.random.Generator, calls: Calls, inv: np.ndarray, k: np.ndarray, final: np.ndarray,
         fail_key: np.ndarray, call_offsets: np.ndarray, call_tool: np.ndarray, tool_cell: np.ndarray,
         start: np.ndarray, dur: np.ndarray) -> SpanBatch:
    """Chat spans with gen_ai.* and MLflow attributes, inputs and outputs."""
    n = len(inv)
    failed = fail_key >= 0
    model = pick(MODELS, calls.app[inv] % len(MODELS))
    tokens_in = rng.integers(700, 2600, n) + k * rng.integers(400, 3000, n)
    tokens_in = np.where(fail_key == error_index("context"), 131_072, tokens_in)
    tokens_out = np.where(failed, 0, np.where(final, rng.integers(80, 700, n), rng.integers(40, 240, n)))
    cell = calls.cell[inv]
    outputs = text.llm_outputs(cell, tool_cell, call_tool, call_offsets)
    attributes = {
        "gen_ai.system": fixed("databricks", n), "gen_ai.operation.name": fixed("chat", n),
        "gen_ai.request.model": model, "gen_ai.response.model": model,
        "gen_ai.request.temperature": fixed("0.1", n),
        "gen_ai.usage.input_tokens": numbers(tokens_in), "gen_ai.usage.output_tokens": numbers(tokens_out),
        "gen_ai.response.finish_reasons": pick(['["stop"]', '["tool_calls"]'], (~final).astype(np.int32),
                                               mask=failed),
        "mlflow.spanType": fixed("CHAT_MODEL", n),
        "mlflow.spanInputs": text.llm_inputs(cell, k == 0),
        "mlflow.spanOutputs": _unless(failed, outputs),
    }
    return SpanBatch(inv, "chat", "SPAN_KIND_CLIENT", start, start + dur, failed, attributes,
                     name_suffix=model, error=error_of(np.maximum(fail_key, 0)))


def _unless(failed: np.ndarray, values: pa.Array) -> pa.Array:
    """values, NULL where the span failed (a failed call has no output)."""
    return pc.if_else(pa.array(failed), pa.scalar(None, pa.string()), as_strings(values, len(failed)))


def agent_loop(rng: np.random.Generator, calls: Calls, env: Env) -> Loop:
    """Build every call's loop; the agent span has no parent yet (the caller sets it)."""
    n = len(calls.app)
    it, fail_at = _iterations(rng, calls)
    inv = np.repeat(np.arange(n), it)
    k = position(it)
    final = k == it[inv] - 1
    fail_key = np.where(k == fail_at[inv],
                        np.where(calls.llm_fail[inv], error_index("rate_limit"), error_index("context")), -1)
    n_tools = np.where(final | (fail_key >= 0), 0, 1 + rng.choice(4, len(inv), p=TOOLS_PER_CALL_P))
    iteration = np.repeat(np.arange(len(inv)), n_tools)
    tool = (rng.choice(4, len(inv), p=TOOL_P)[iteration] + position(n_tools)) % len(text.TOOLS)  # distinct per call
    tools = Tools(inv[iteration], calls.app[inv[iteration]], text.rotate(calls.cell[inv[iteration]], k[iteration]),
                  calls.partner[inv[iteration], (tool == text.CUSTOMER_TOOL).astype(np.int64)], tool)
    tool_dur, subtrees = tool_subtrees(rng, tools, env)
    stagger = position(n_tools) * 300
    busy = np.zeros(len(inv), np.int64)
    np.maximum.at(busy, iteration, tool_dur + stagger)
    llm_dur = np.where(final, durations(rng, len(inv), 1500, 0.6, 60_000), durations(rng, len(inv), 900, 0.6,
                                                                                      60_000))
    iter_dur = llm_dur + np.where(n_tools > 0, busy + 2 * MS, MS)
    iter_start = 2 * MS + excl_cumsum(iter_dur, it)
    offsets = np.concatenate([[0], np.cumsum(n_tools)])
    llm = _llm(rng, calls, inv, k, final, fail_key, offsets, tools.tool, tools.cell, iter_start, llm_dur)
    dur = np.zeros(n, np.int64)
    np.add.at(dur, inv, iter_dur)
    dur += 3 * MS
    tool_start = iter_start[iteration] + llm_dur[iteration] + MS + stagger
    failed = np.zeros(n, bool)
    np.logical_or.at(failed, inv, fail_key >= 0)
    agent = _agent(calls, env.names, dur, failed, fail_key, inv)
    tool_batch = _tool_batch(rng, tools, tool_start, tool_dur, subtrees.failed, subtrees.error)
    llm.parent, llm.parent_row = agent, inv
    tool_batch.parent, tool_batch.parent_row = agent, tools.inv
    children = subtrees.make(tool_batch, tool_start)
    return Loop(agent, [agent, llm, tool_batch, *children], dur, failed)


def _agent(calls: Calls, names: list[str], dur: np.ndarray, failed: np.ndarray, fail_key: np.ndarray,
           inv: np.ndarray) -> SpanBatch:
    n = len(dur)
    key = np.zeros(n, np.int64)
    has = fail_key >= 0
    key[inv[has]] = fail_key[has]
    outputs = text.agent_outputs(calls.cell)
    attributes = {
        "gen_ai.operation.name": fixed("invoke_agent", n), "gen_ai.agent.name": pick(names, calls.app),
        "mlflow.spanType": fixed("AGENT", n), "mlflow.spanInputs": text.agent_inputs(calls.cell),
        "mlflow.spanOutputs": _unless(failed, outputs),
    }
    return SpanBatch(np.arange(n), "invoke_agent", "SPAN_KIND_INTERNAL", np.full(n, MS), MS + dur - 2 * MS,
                     failed, attributes, error=error_of(key))


def _tool_batch(rng: np.random.Generator, tools: Tools, start: np.ndarray, dur: np.ndarray,
                failed: np.ndarray, error: np.ndarray) -> SpanBatch:
    n = len(start)
    name = pick(text.TOOLS, tools.tool)
    result = text.tool_result(tools.cell, tools.tool)
    attributes = {
        "gen_ai.operation.name": fixed("execute_tool", n), "gen_ai.tool.name": name,
        "gen_ai.tool.call.id": hex_ids(rng, n, 12), "mlflow.spanType": fixed("TOOL", n),
        "mlflow.spanInputs": text.tool_arguments(tools.cell, tools.tool),
        "mlflow.spanOutputs": _unless(failed, result),
    }
    return SpanBatch(tools.inv, "execute_tool", "SPAN_KIND_INTERNAL", start, start + dur, failed, attributes,
                     name_suffix=name, error=error_of(error), frames="tools.py")
