"""OpenTelemetry span trees for agent-style apps, in the generation-B "OTel v1" table layout.

Each request is a trace: a SERVER root (`POST /api/chat`, HTTP attributes) → an agent span →
an optional retrieval span, an LLM call (`gen_ai.*` attributes with token counts), 0–3 tool
calls each with a CLIENT HTTP child (SQL Statement API), and a final LLM call when tools ran.
LLM failures (rate limits, more during incidents) fail the trace up to the root; tool failures
are recovered by the agent. Failing spans carry STATUS_CODE_ERROR and an `exception` event.
Roots have `parent_span_id = ''` (the empty id of OTLP, as the collector stores it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from telemetry.mirror.audit_apps import Logins, app_urls
from telemetry.mirror.ids import hex_ids, pick
from telemetry.mirror.spans_write import SpanBatch, write_spans
from telemetry.mirror.timeline import US, heavy_durations_ms
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

MODELS = ("databricks-claude-sonnet-4", "databricks-meta-llama-3-3-70b-instruct", "databricks-gpt-oss-120b")
TOOLS = ("run_sql_query", "lookup_customer", "search_knowledge_base", "get_forecast")
MS = 1000  # µs per ms


@dataclass
class Traces:
    """Per-trace facts shared by its spans."""

    app: np.ndarray
    person: np.ndarray
    start: np.ndarray  # µs
    trace_id: pa.Array
    has_retrieval: np.ndarray
    tools: np.ndarray
    llm_fail: np.ndarray
    model: np.ndarray


def _traces(world: World, logins: Logins, rng: np.random.Generator) -> Traces:
    sel = np.flatnonzero(world.apps.telemetry[logins.app])
    per = 1 + rng.poisson(2.5, len(sel))
    rows = np.repeat(sel, per)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(per) - per, per)
    start = logins.ts[rows] + 4 * US + k * rng.lognormal(np.log(80 * US), 0.8, len(rows)).astype(np.int64)
    n = len(rows)
    fail_p = np.full(n, 0.02)
    for inc in world.incidents:
        if inc.kind == "llm":
            hit = (start >= inc.start_us) & (start < inc.end_us)
            fail_p = np.where(
                hit
                & (
                    logins.app[rows]
                    == np.flatnonzero(world.apps.telemetry)[inc.target % max(1, world.apps.telemetry.sum())]
                ),
                0.45,
                np.where(hit, 0.08, fail_p),
            )
    llm_fail = rng.random(n) < fail_p
    tools = np.where(llm_fail, 0, rng.choice(4, n, p=[0.35, 0.35, 0.2, 0.1]))
    return Traces(
        logins.app[rows],
        logins.person[rows],
        start,
        hex_ids(rng, n, 16),
        rng.random(n) < 0.7,
        tools,
        llm_fail,
        logins.app[rows] % len(MODELS),
    )


def _llm(rng: np.random.Generator, t: Traces, idx: np.ndarray, start: np.ndarray, final: bool) -> SpanBatch:
    n = len(idx)
    dur = heavy_durations_ms(rng, n, 1700 if final else 1100, 0.6, 60_000)
    fail = t.llm_fail[idx] & (not final)
    inp = rng.integers(600, 9000, n) + (2500 if final else 0)
    out = rng.integers(40, 900, n)
    model = pick(MODELS, t.model[idx])
    return SpanBatch(
        idx,
        "chat",
        "SPAN_KIND_CLIENT",
        start,
        start + dur * MS,
        fail,
        {
            "gen_ai.system": pick(["databricks"], np.zeros(n, np.int32)),
            "gen_ai.operation.name": pick(["chat"], np.zeros(n, np.int32)),
            "gen_ai.request.model": model,
            "gen_ai.response.model": model,
            "gen_ai.usage.input_tokens": pa.array(inp.astype(str)),
            "gen_ai.usage.output_tokens": pa.array(np.where(fail, 0, out).astype(str)),
            "gen_ai.response.finish_reasons": pick(
                ['["stop"]', '["tool_calls"]'], ((t.tools[idx] > 0) & (not final)).astype(np.int32)
            ),
            "mlflow.spanType": pick(["CHAT_MODEL"], np.zeros(n, np.int32)),
        },
        name_suffix=model,
        error=(
            "openai.RateLimitError",
            "Error code: 429 - REQUEST_LIMIT_EXCEEDED: rate limit exceeded for endpoint",
        ),
    )


def _retrieval(rng: np.random.Generator, t: Traces, idx: np.ndarray, start: np.ndarray) -> SpanBatch:
    n = len(idx)
    dur = heavy_durations_ms(rng, n, 140, 0.7, 10_000)
    return SpanBatch(
        idx,
        "retrieve_documents",
        "SPAN_KIND_INTERNAL",
        start,
        start + dur * MS,
        np.zeros(n, bool),
        {
            "mlflow.spanType": pick(["RETRIEVER"], np.zeros(n, np.int32)),
            "db.system": pick(["databricks_vector_search"], np.zeros(n, np.int32)),
            "retrieval.index": pick(["main.rag.docs_index", "main.rag.policies_index"], idx % 2),
            "retrieval.top_k": pick(["5"], np.zeros(n, np.int32)),
            "retrieval.documents.count": pa.array(rng.integers(0, 6, n).astype(str)),
        },
    )


def _tools(
    rng: np.random.Generator, t: Traces, start_after: np.ndarray
) -> tuple[SpanBatch, SpanBatch, np.ndarray]:
    """Tool spans (sequential within a trace) and their HTTP children; returns the end of the last tool."""
    trace = np.repeat(np.arange(len(t.tools)), t.tools)
    dur = heavy_durations_ms(rng, len(trace), 700, 0.9, 120_000) * MS + 2 * MS
    excl = np.cumsum(dur) - dur
    has = t.tools > 0
    before = excl - np.repeat(excl[(np.cumsum(t.tools) - t.tools)[has]], t.tools[has])
    start = start_after[trace] + before + MS
    end = start + dur - MS
    fail = rng.random(len(trace)) < 0.04
    tool = rng.integers(0, len(TOOLS), len(trace))
    n = len(trace)
    tools = SpanBatch(
        trace,
        "execute_tool",
        "SPAN_KIND_INTERNAL",
        start,
        end,
        fail,
        {
            "gen_ai.operation.name": pick(["execute_tool"], np.zeros(n, np.int32)),
            "gen_ai.tool.name": pick(TOOLS, tool),
            "gen_ai.tool.call.id": hex_ids(rng, n, 12),
            "mlflow.spanType": pick(["TOOL"], np.zeros(n, np.int32)),
        },
        name_suffix=pick(TOOLS, tool),
        error=(
            "databricks.sql.exc.ServerOperationError",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`sales`.`orders_v2` cannot be found.",
        ),
    )
    http = SpanBatch(
        trace,
        "POST /api/2.0/sql/statements",
        "SPAN_KIND_CLIENT",
        start + MS,
        end - MS // 2,
        fail,
        {
            "http.request.method": pick(["POST"], np.zeros(n, np.int32)),
            "http.response.status_code": pick(["200", "400"], fail.astype(np.int32)),
            "server.address": pick(["dbc-workspace.cloud.databricks.com"], np.zeros(n, np.int32)),
            "url.path": pick(["/api/2.0/sql/statements"], np.zeros(n, np.int32)),
        },
        parent_batch=tools,
        per_span_parent=True,
    )
    last_end = np.where(t.tools > 0, np.zeros(len(t.tools), np.int64), start_after)
    np.maximum.at(last_end, trace, end)
    return tools, http, last_end


def write_traces(writer: Writer, world: World, logins: Logins) -> None:
    """Build every span tree and insert it (in batches per span type)."""
    rng = world.streams("spans")
    t = _traces(world, logins, rng)
    idx = np.arange(len(t.start))
    agent_start = t.start + 3 * MS
    ret = _retrieval(rng, t, idx[t.has_retrieval], agent_start[t.has_retrieval] + MS)
    llm_start = agent_start + MS
    llm_start[t.has_retrieval] = ret.end + 2 * MS
    llm1 = _llm(rng, t, idx, llm_start, final=False)
    tools, http, tools_end = _tools(rng, t, llm1.end)
    has2 = t.tools > 0
    llm2 = _llm(rng, t, idx[has2], tools_end[has2] + 2 * MS, final=True)
    agent_end = llm1.end.copy()
    agent_end[has2] = llm2.end + MS
    agent_end = np.maximum(agent_end, llm1.end) + MS
    status = np.where(t.llm_fail, "500", "200")
    urls = app_urls(world)
    n = len(idx)
    root = SpanBatch(
        idx,
        "POST /api/chat",
        "SPAN_KIND_SERVER",
        t.start,
        agent_end + 2 * MS,
        t.llm_fail,
        {
            "http.request.method": pick(["POST"], np.zeros(n, np.int32)),
            "http.route": pick(["/api/chat"], np.zeros(n, np.int32)),
            "http.response.status_code": pa.array(status),
            "url.path": pick(["/api/chat"], np.zeros(n, np.int32)),
            "server.address": pick([u.removeprefix("https://") for u in urls], t.app),
            "enduser.id": pick(world.people.email, t.person),
        },
        root=True,
        error=llm1.error,
    )
    agent = SpanBatch(
        idx,
        "invoke_agent",
        "SPAN_KIND_INTERNAL",
        t.start + 3 * MS,
        agent_end,
        t.llm_fail,
        {
            "gen_ai.operation.name": pick(["invoke_agent"], np.zeros(n, np.int32)),
            "gen_ai.agent.name": pick(world.apps.name, t.app),
            "mlflow.spanType": pick(["AGENT"], np.zeros(n, np.int32)),
        },
        parent_batch=root,
        error=llm1.error,
    )
    for child in (ret, llm1, tools, llm2):
        child.parent_batch = agent
    write_spans(writer, world, rng, t.trace_id, t.app, [root, agent, ret, llm1, llm2, tools, http])
    writer.progress("OpenTelemetry spans", 1.0)
