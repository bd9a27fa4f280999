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
LLM_ERROR = ("openai.RateLimitError",
             "Error code: 429 - REQUEST_LIMIT_EXCEEDED: rate limit exceeded for endpoint")
TOOL_ERROR = ("databricks.sql.exc.ServerOperationError",
              "[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`sales`.`orders_v2` cannot be found.")


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


def _fixed(value: str, n: int) -> pa.Array:
    """The same string n times (cheap dictionary array)."""
    return pick([value], np.zeros(n, np.int32))


def _llm_fail_p(world: World, app: np.ndarray, start: np.ndarray) -> np.ndarray:
    """2% LLM failures; during an "llm" incident 45% on the target app and 8% elsewhere."""
    fail_p = np.full(len(start), 0.02)
    instrumented = np.flatnonzero(world.apps.telemetry)
    for inc in world.incidents:
        if inc.kind == "llm" and len(instrumented):
            hit = (start >= inc.start_us) & (start < inc.end_us)
            target = app == instrumented[inc.target % len(instrumented)]
            fail_p = np.where(hit & target, 0.45, np.where(hit, 0.08, fail_p))
    return fail_p


def _traces(world: World, logins: Logins, rng: np.random.Generator) -> Traces:
    """A few requests after each login to an instrumented app."""
    sel = np.flatnonzero(world.apps.telemetry[logins.app])
    per = 1 + rng.poisson(2.5, len(sel))
    rows = np.repeat(sel, per)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(per) - per, per)
    start = logins.ts[rows] + 4 * US + k * rng.lognormal(np.log(80 * US), 0.8, len(rows)).astype(np.int64)
    n, app = len(rows), logins.app[rows]
    llm_fail = rng.random(n) < _llm_fail_p(world, app, start)
    tools = np.where(llm_fail, 0, rng.choice(4, n, p=[0.35, 0.35, 0.2, 0.1]))
    return Traces(app, logins.person[rows], start, hex_ids(rng, n, 16), rng.random(n) < 0.7, tools, llm_fail,
                  app % len(MODELS))


def _llm(rng: np.random.Generator, t: Traces, idx: np.ndarray, start: np.ndarray, final: bool) -> SpanBatch:
    """LLM chat spans with gen_ai.* attributes; the first call of a trace may fail (rate limit)."""
    n = len(idx)
    dur = heavy_durations_ms(rng, n, 1700 if final else 1100, 0.6, 60_000)
    fail = t.llm_fail[idx] & (not final)
    tokens_in = rng.integers(600, 9000, n) + (2500 if final else 0)
    tokens_out = np.where(fail, 0, rng.integers(40, 900, n))
    model = pick(MODELS, t.model[idx])
    calls_tools = ((t.tools[idx] > 0) & (not final)).astype(np.int32)
    attributes = {
        "gen_ai.system": _fixed("databricks", n), "gen_ai.operation.name": _fixed("chat", n),
        "gen_ai.request.model": model, "gen_ai.response.model": model,
        "gen_ai.usage.input_tokens": pa.array(tokens_in.astype(str)),
        "gen_ai.usage.output_tokens": pa.array(tokens_out.astype(str)),
        "gen_ai.response.finish_reasons": pick(['["stop"]', '["tool_calls"]'], calls_tools),
        "mlflow.spanType": _fixed("CHAT_MODEL", n)}
    return SpanBatch(idx, "chat", "SPAN_KIND_CLIENT", start, start + dur * MS, fail, attributes,
                     name_suffix=model, error=LLM_ERROR)


def _retrieval(rng: np.random.Generator, idx: np.ndarray, start: np.ndarray) -> SpanBatch:
    """Vector-search retrieval spans."""
    n = len(idx)
    dur = heavy_durations_ms(rng, n, 140, 0.7, 10_000)
    attributes = {
        "mlflow.spanType": _fixed("RETRIEVER", n), "db.system": _fixed("databricks_vector_search", n),
        "retrieval.index": pick(["main.rag.docs_index", "main.rag.policies_index"], idx % 2),
        "retrieval.top_k": _fixed("5", n),
        "retrieval.documents.count": pa.array(rng.integers(0, 6, n).astype(str))}
    return SpanBatch(idx, "retrieve_documents", "SPAN_KIND_INTERNAL", start, start + dur * MS,
                     np.zeros(n, bool), attributes)


def _tools(rng: np.random.Generator, t: Traces,
           start_after: np.ndarray) -> tuple[SpanBatch, SpanBatch, np.ndarray]:
    """Tool spans (one after another within a trace) with HTTP children; and each trace's last tool end."""
    trace = np.repeat(np.arange(len(t.tools)), t.tools)
    n = len(trace)
    dur = heavy_durations_ms(rng, n, 700, 0.9, 120_000) * MS + 2 * MS
    before = np.cumsum(dur) - dur
    has = t.tools > 0
    before -= np.repeat(before[(np.cumsum(t.tools) - t.tools)[has]], t.tools[has])
    start = start_after[trace] + before + MS
    end = start + dur - MS
    fail = rng.random(n) < 0.04
    tool = pick(TOOLS, rng.integers(0, len(TOOLS), n))
    tools = SpanBatch(trace, "execute_tool", "SPAN_KIND_INTERNAL", start, end, fail, {
        "gen_ai.operation.name": _fixed("execute_tool", n), "gen_ai.tool.name": tool,
        "gen_ai.tool.call.id": hex_ids(rng, n, 12), "mlflow.spanType": _fixed("TOOL", n)},
        name_suffix=tool, error=TOOL_ERROR)
    http = SpanBatch(trace, "POST /api/2.0/sql/statements", "SPAN_KIND_CLIENT", start + MS, end - MS // 2,
                     fail, {
        "http.request.method": _fixed("POST", n),
        "http.response.status_code": pick(["200", "400"], fail.astype(int)),
        "server.address": _fixed("dbc-workspace.cloud.databricks.com", n),
        "url.path": _fixed("/api/2.0/sql/statements", n)},
        parent_batch=tools, per_span_parent=True, error=TOOL_ERROR)
    last_end = np.where(has, 0, start_after)
    np.maximum.at(last_end, trace, end)
    return tools, http, last_end


def _root_and_agent(world: World, t: Traces, agent_end: np.ndarray) -> tuple[SpanBatch, SpanBatch]:
    """The SERVER span of the HTTP request and the agent span under it."""
    n, idx = len(t.start), np.arange(len(t.start))
    hosts = [u.removeprefix("https://") for u in app_urls(world)]
    root = SpanBatch(idx, "POST /api/chat", "SPAN_KIND_SERVER", t.start, agent_end + 2 * MS, t.llm_fail, {
        "http.request.method": _fixed("POST", n), "http.route": _fixed("/api/chat", n),
        "http.response.status_code": pick(["200", "500"], t.llm_fail.astype(int)),
        "url.path": _fixed("/api/chat", n), "server.address": pick(hosts, t.app),
        "enduser.id": pick(world.people.email, t.person)}, root=True, error=LLM_ERROR)
    agent = SpanBatch(idx, "invoke_agent", "SPAN_KIND_INTERNAL", t.start + 3 * MS, agent_end, t.llm_fail, {
        "gen_ai.operation.name": _fixed("invoke_agent", n), "gen_ai.agent.name": pick(world.apps.name, t.app),
        "mlflow.spanType": _fixed("AGENT", n)}, parent_batch=root, error=LLM_ERROR)
    return root, agent


def write_traces(writer: Writer, world: World, logins: Logins) -> None:
    """Build every span tree and insert it (in batches per span type, parents first)."""
    rng = world.streams("spans")
    t = _traces(world, logins, rng)
    idx = np.arange(len(t.start))
    llm_start = t.start + 4 * MS
    ret = _retrieval(rng, idx[t.has_retrieval], llm_start[t.has_retrieval])
    llm_start[t.has_retrieval] = ret.end + 2 * MS
    llm1 = _llm(rng, t, idx, llm_start, final=False)
    tools, http, tools_end = _tools(rng, t, llm1.end)
    has2 = t.tools > 0
    llm2 = _llm(rng, t, idx[has2], tools_end[has2] + 2 * MS, final=True)
    agent_end = llm1.end + MS
    agent_end[has2] = llm2.end + MS
    root, agent = _root_and_agent(world, t, agent_end)
    for child in (ret, llm1, tools, llm2):
        child.parent_batch = agent
    write_spans(writer, world, rng, t.trace_id, t.app, [root, agent, ret, llm1, llm2, tools, http])
    writer.progress("OpenTelemetry spans", 1.0)
