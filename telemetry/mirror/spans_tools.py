"""What an agent's tool calls do underneath, as span subtrees (times relative to the tool's start).

- run_sql_query / lookup_customer call another app's API (its *partner*, a data service): an HTTP
  CLIENT span, the partner's SERVER span (a different `service.name` in the same trace), a cache
  lookup and a SQL warehouse or Lakebase query. Slow queries hit the 30 s tool timeout: the client
  times out, the partner sees the request cancelled, the query is cancelled.
- search_knowledge_base runs a retriever: an embedding call then a vector-search query.
- get_forecast calls a model-serving endpoint.
Durations are drawn bottom-up; `make` places the spans once the tool's start is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import spans_text as text
from telemetry.mirror import vocab
from telemetry.mirror.ids import pick
from telemetry.mirror.spans_time import MS, durations, error_index, error_of
from telemetry.mirror.spans_write import SpanBatch, fixed, numbers

TIMEOUT = 30_000 * MS
EMBEDDING_MODEL = "databricks-gte-large-en"
_HTTPX = "python-httpx/0.27.2"


@dataclass
class Env:
    """Per-app facts spans need: name, app host, workspace host, business domain; people's e-mails."""

    names: list[str]
    hosts: list[str]
    ws_hosts: list[str]
    domain: np.ndarray
    emails: list[str]


@dataclass
class Tools:
    """Tool calls: invocation, app, question cell, partner app and tool kind (spans_text.TOOLS)."""

    inv: np.ndarray
    app: np.ndarray
    cell: np.ndarray
    partner: np.ndarray
    tool: np.ndarray


Maker = Callable[[SpanBatch, np.ndarray], list[SpanBatch]]


@dataclass
class Subtrees:
    """Per tool call: failed and error index; `makers` build the child spans."""

    failed: np.ndarray
    error: np.ndarray
    makers: list[Maker] = field(default_factory=list)

    def make(self, tool_batch: SpanBatch, tool_start: np.ndarray) -> list[SpanBatch]:
        """Every child batch, placed under its tool span."""
        return [batch for maker in self.makers for batch in maker(tool_batch, tool_start)]


@dataclass
class _Remote:
    """One kind of call into the partner app."""

    method: str
    route: str
    path: Callable[[np.ndarray], pa.Array]
    leaf: Callable[[Env, Tools, np.ndarray], tuple[str | pa.Array, dict[str, pa.Array]]]
    leaf_scope: str
    leaf_median_ms: float
    cache: bool
    fail_p: float
    timeout_p: float
    fail_keys: tuple[str, str | None, str, str]  # leaf, server (None: a 4xx, not a server error), client, tool
    fail_status: str


def _sql_leaf(env: Env, tools: Tools, rows: np.ndarray) -> tuple[pa.Array, dict[str, pa.Array]]:
    n = len(rows)
    table = pick([d.table for d in vocab.DOMAINS], env.domain[tools.app[rows]])
    return (pc.binary_join_element_wise(fixed("SELECT", n).cast(pa.string()), table.cast(pa.string()),
                                                " "),
            {"db.system": fixed("databricks", n), "db.operation.name": fixed("SELECT", n),
             "db.collection.name": table, "db.statement": text.sql(tools.cell[rows]),
             "server.address": pick(env.ws_hosts, tools.partner[rows])})


def _customer_leaf(env: Env, tools: Tools, rows: np.ndarray) -> tuple[str, dict[str, pa.Array]]:
    n = len(rows)
    return ("SELECT app.customers",
            {"db.system": fixed("postgresql", n), "db.operation.name": fixed("SELECT", n),
             "db.collection.name": fixed("app.customers", n), "db.namespace": fixed("databricks_postgres", n),
             "db.statement": fixed("SELECT id, name, segment, region, owner_email FROM app.customers "
                                   "WHERE id = %(customer_id)s", n)})


_SQL = _Remote("POST", "/api/query", lambda cell: fixed("/api/query", len(cell)), _sql_leaf,
               "opentelemetry.instrumentation.sqlalchemy", 700, True, 0.035, 0.015,
               ("table", "table", "http_500", "table"), "500")
_CUSTOMER = _Remote("GET", "/api/customers/{customer_id}",
                    lambda cell: pick([f"/api/customers/C-{10000 + int(h) % 90000}" for h in range(97)], cell % 97),
                    _customer_leaf, "opentelemetry.instrumentation.psycopg", 6, False, 0.04, 0.0,
                    ("customer", None, "not_found", "customer"), "404")


def _remote(rng: np.random.Generator, tools: Tools, rows: np.ndarray, env: Env,
            spec: _Remote) -> tuple[np.ndarray, np.ndarray, np.ndarray, Maker]:
    """Tool → HTTP CLIENT → partner SERVER → (cache) → query; returns (dur, failed, error, maker)."""
    n = len(rows)
    net, pre, post = (durations(rng, n, m, 0.5, 50) for m in (3, 1.5, 2))
    cache_d = durations(rng, n, 0.5, 0.5, 10) if spec.cache else np.zeros(n, np.int64)
    hit = (rng.random(n) < 0.3) & spec.cache
    fail = ~hit & (rng.random(n) < spec.fail_p)
    timeout = ~hit & ~fail & (rng.random(n) < spec.timeout_p)
    leaf = np.where(fail, durations(rng, n, 120, 0.5, 5000), durations(rng, n, spec.leaf_median_ms, 0.9, 25_000))
    leaf = np.where(hit, 0, leaf)
    server = pre + cache_d + 100 + leaf + post
    client = np.where(timeout, TIMEOUT, server + 2 * net)
    server = np.where(timeout, TIMEOUT - 2 * net, server)
    leaf = np.where(timeout, server - pre - cache_d - 100 - post, leaf)
    leaf_key, server_key, client_key, tool_key = spec.fail_keys
    error = np.where(timeout, error_index("timeout"), error_index(tool_key))

    def make(tool_batch: SpanBatch, tool_start: np.ndarray) -> list[SpanBatch]:
        t0 = tool_start[rows] + MS
        partner, inv = tools.partner[rows], tools.inv[rows]
        status = pick(["200", spec.fail_status], fail.astype(np.int32), mask=timeout)
        path = spec.path(tools.cell[rows])
        host = pick(env.hosts, partner)
        c_key = np.where(timeout, error_index("read_timeout"), error_index(client_key))
        c_span = SpanBatch(inv, f"{spec.method} {spec.route}", "SPAN_KIND_CLIENT", t0, t0 + client, fail | timeout, {
            "http.request.method": fixed(spec.method, n), "server.address": host, "url.path": path,
            "http.response.status_code": status,
            "error.type": pick(["ReadTimeout", spec.fail_status], fail.astype(np.int32), mask=~(fail | timeout))},
            tool_batch, rows, error=error_of(c_key), frames="http.py", ok_code="STATUS_CODE_UNSET",
            scope="opentelemetry.instrumentation.httpx")
        s0 = t0 + net
        s_fail = timeout | (fail & (server_key is not None))
        s_key = np.where(timeout, error_index("cancelled"), error_index(server_key or "cancelled"))
        s_span = SpanBatch(inv, f"{spec.method} {spec.route}", "SPAN_KIND_SERVER", s0, s0 + server, s_fail, {
            "http.request.method": fixed(spec.method, n), "http.route": fixed(spec.route, n), "url.path": path,
            "url.scheme": fixed("https", n), "server.address": host, "http.response.status_code": status,
            "user_agent.original": fixed(_HTTPX, n)}, c_span, np.arange(n), error=error_of(s_key),
            frames="app.py", service=partner, ok_code="STATUS_CODE_UNSET",
            scope="opentelemetry.instrumentation.fastapi")
        out = [c_span, s_span]
        q0 = s0 + pre
        if spec.cache:
            out.append(SpanBatch(inv, "cache.get", "SPAN_KIND_INTERNAL", q0, q0 + cache_d, np.zeros(n, bool), {
                "cache.hit": pick(["false", "true"], hit.astype(np.int32)),
                "cache.key": pc.binary_join_element_wise(fixed("query:", n).cast(pa.string()),
                                                                  numbers(tools.cell[rows] % 9973), "")},
                s_span, np.arange(n), service=partner, scope="app"))
        miss = np.flatnonzero(~hit)
        name, attributes = spec.leaf(env, tools, rows[miss])
        l0 = q0 + cache_d + 100
        l_fail = (fail & (server_key is not None)) | timeout
        l_key = np.where(timeout, error_index("query_cancelled"), error_index(leaf_key))
        attributes["db.response.returned_rows"] = numbers(np.where(fail | timeout, 0, 3 + tools.cell[rows] % 37)[miss])
        out.append(SpanBatch(inv[miss], name, "SPAN_KIND_CLIENT", l0[miss], l0[miss] + leaf[miss], l_fail[miss],
                             attributes, s_span, miss, error=error_of(l_key[miss]), frames="db.py",
                             service=partner[miss], ok_code="STATUS_CODE_UNSET", scope=spec.leaf_scope))
        return out

    return client + 2 * MS, fail | timeout, error, make


def _kb(rng: np.random.Generator, tools: Tools, rows: np.ndarray,
        env: Env) -> tuple[np.ndarray, np.ndarray, np.ndarray, Maker]:
    """Tool → retriever → (embedding call, vector-search query)."""
    n = len(rows)
    emb, vs = durations(rng, n, 55, 0.6, 5000), durations(rng, n, 110, 0.7, 10_000)
    fail = rng.random(n) < 0.02
    retr = 500 + emb + 300 + vs + 500
    error = np.full(n, error_index("vs_unavailable"))

    def make(tool_batch: SpanBatch, tool_start: np.ndarray) -> list[SpanBatch]:
        t0, inv, cell = tool_start[rows] + MS, tools.inv[rows], tools.cell[rows]
        kb = np.full(n, text.KB_TOOL)
        index = pick(["main.rag.docs_index", "main.rag.policies_index"], cell % 2)
        r_span = SpanBatch(inv, "retrieve_documents", "SPAN_KIND_INTERNAL", t0, t0 + retr, fail, {
            "mlflow.spanType": fixed("RETRIEVER", n), "retrieval.index": index, "retrieval.top_k": fixed("5", n),
            "mlflow.spanInputs": text.tool_arguments(cell, kb),
            "mlflow.spanOutputs": pc.if_else(pa.array(fail), pa.scalar(None, pa.string()),
                                                     text.tool_result(cell, kb).cast(pa.string()))},
            tool_batch, rows, error=error_of("vs_unavailable", n), frames="tools.py")
        e0 = t0 + 500
        e_span = SpanBatch(inv, "embeddings", "SPAN_KIND_CLIENT", e0, e0 + emb, np.zeros(n, bool), {
            "gen_ai.system": fixed("databricks", n), "gen_ai.operation.name": fixed("embeddings", n),
            "gen_ai.request.model": fixed(EMBEDDING_MODEL, n), "gen_ai.response.model": fixed(EMBEDDING_MODEL, n),
            "gen_ai.usage.input_tokens": numbers(rng.integers(8, 60, n)), "mlflow.spanType": fixed("EMBEDDING", n)},
            r_span, np.arange(n), name_suffix=fixed(EMBEDDING_MODEL, n))
        v0 = e0 + emb + 300
        v_span = SpanBatch(inv, "POST /api/2.0/vector-search/indexes/{index_name}/query", "SPAN_KIND_CLIENT", v0,
                           v0 + vs, fail, {
            "http.request.method": fixed("POST", n), "server.address": pick(env.ws_hosts, tools.app[rows]),
            "http.response.status_code": pick(["200", "503"], fail.astype(np.int32)),
            "db.system": fixed("databricks_vector_search", n), "db.collection.name": index},
            r_span, np.arange(n), error=error_of("vs_unavailable", n), frames="http.py", ok_code="STATUS_CODE_UNSET",
            scope="opentelemetry.instrumentation.httpx")
        return [r_span, e_span, v_span]

    return retr + 2 * MS, fail, error, make


def _forecast(rng: np.random.Generator, tools: Tools, rows: np.ndarray,
              env: Env) -> tuple[np.ndarray, np.ndarray, np.ndarray, Maker]:
    """Tool → a model-serving endpoint call."""
    n = len(rows)
    fail = rng.random(n) < 0.03
    call = np.where(fail, 20_000 * MS, durations(rng, n, 380, 0.8, 20_000))
    error = np.full(n, error_index("serving"))

    def make(tool_batch: SpanBatch, tool_start: np.ndarray) -> list[SpanBatch]:
        t0 = tool_start[rows] + MS
        return [SpanBatch(tools.inv[rows], "POST /serving-endpoints/demand-forecast/invocations", "SPAN_KIND_CLIENT",
                          t0, t0 + call, fail, {
            "http.request.method": fixed("POST", n), "server.address": pick(env.ws_hosts, tools.app[rows]),
            "url.path": fixed("/serving-endpoints/demand-forecast/invocations", n),
            "http.response.status_code": pick(["200", "504"], fail.astype(np.int32))},
            tool_batch, rows, error=error_of("serving", n), frames="http.py", ok_code="STATUS_CODE_UNSET",
            scope="opentelemetry.instrumentation.httpx")]

    return call + 2 * MS, fail, error, make


def tool_subtrees(rng: np.random.Generator, tools: Tools, env: Env) -> tuple[np.ndarray, Subtrees]:
    """(duration per tool call, their subtrees)."""
    n = len(tools.tool)
    dur = np.zeros(n, np.int64)
    out = Subtrees(np.zeros(n, bool), np.zeros(n, np.int64))
    builders = {text.SQL_TOOL: lambda r: _remote(rng, tools, r, env, _SQL),
                text.KB_TOOL: lambda r: _kb(rng, tools, r, env),
                text.CUSTOMER_TOOL: lambda r: _remote(rng, tools, r, env, _CUSTOMER),
                text.FORECAST_TOOL: lambda r: _forecast(rng, tools, r, env)}
    for kind, build in builders.items():
        rows = np.flatnonzero(tools.tool == kind)
        dur[rows], out.failed[rows], out.error[rows], maker = build(rows)
        out.makers.append(maker)
    return dur, out
