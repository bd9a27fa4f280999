"""Turning batches of spans (one span type each) into rows of the OTel v1 spans table.

Each `SpanBatch` holds one span per row: its trace (an index into the group's trace ids), its
parent (a row of another batch), times in µs, attributes as string columns (OTel v1 stores every
attribute value as a string in a MAP<STRING,STRING>; a NULL value leaves the key out), what to say
when it failed, optionally the service that emitted it (another app than the trace's, for the
server side of a cross-service call) and one link to a span of another trace. Span ids are drawn
lazily, so parents and link targets may be written in any order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror.ids import as_strings, hex_ids, pick
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

_SELECT = """
  trace_id, span_id, '' AS trace_state, parent_span_id, 1 AS flags, name, kind,
  start_ns AS start_time_unix_nano, end_ns AS end_time_unix_nano, attributes, 0 AS dropped_attributes_count,
  CASE WHEN failed THEN [struct_pack(time_unix_nano := end_ns - 1000, name := 'exception',
       attributes := MAP {'exception.type': ex_type, 'exception.message': status_message,
                          'exception.stacktrace': ex_stack, 'exception.escaped': 'False'},
       dropped_attributes_count := 0)] ELSE [] END AS events,
  0 AS dropped_events_count, links, 0 AS dropped_links_count,
  struct_pack(message := status_message, code := status_code) AS status,
  struct_pack(attributes := r.resource_attributes, dropped_attributes_count := 0) AS resource,
  '' AS resource_schema_url,
  struct_pack(name := scope_name, version := scope_version, attributes := MAP {},
              dropped_attributes_count := 0)
    AS instrumentation_scope,
  '' AS span_schema_url
"""
# (exception type, message) by key; a span's error is an index into this list.
ERRORS = {
    "rate_limit": ("openai.RateLimitError",
                   "Error code: 429 - REQUEST_LIMIT_EXCEEDED: rate limit exceeded for endpoint"),
    "context": ("openai.BadRequestError",
                "Error code: 400 - This model's maximum context length is 128000 tokens; the messages "
                "resulted in 131072 tokens"),
    "table": ("databricks.sql.exc.ServerOperationError",
              "[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`sales`.`orders_v2` cannot be found."),
    "http_500": ("httpx.HTTPStatusError", "Server error '500 Internal Server Error' for url '/api/query'"),
    "timeout": ("TimeoutError", "tool call exceeded its 30 s timeout"),
    "read_timeout": ("httpx.ReadTimeout", "The read operation timed out"),
    "cancelled": ("asyncio.CancelledError", "request cancelled: the client disconnected"),
    "query_cancelled": ("databricks.sql.exc.RequestError", "Query was cancelled by the client"),
    "vs_unavailable": ("databricks.vector_search.exceptions.TemporarilyUnavailable",
                       "503 TEMPORARILY_UNAVAILABLE: the vector search endpoint is scaling up"),
    "not_found": ("httpx.HTTPStatusError", "Client error '404 Not Found' for url '/api/customers/C-48213'"),
    "customer": ("tools.CustomerNotFound", "no customer with that id"),
    "serving": ("mlflow.exceptions.MlflowException",
                "504 Upstream request timeout from serving endpoint demand-forecast"),
    "warehouse": ("databricks.sql.exc.ServerOperationError",
                  "[WAREHOUSE_UNAVAILABLE] The SQL warehouse is starting or overloaded; retry later."),
    "sql_timeout": ("databricks.sql.exc.RequestError", "Statement timed out after 30 s and was cancelled"),
    "gateway_timeout": ("starlette.exceptions.HTTPException", "504 Gateway Timeout: upstream query timed out"),
    "judge": ("mlflow.exceptions.MlflowException", "Judge response could not be parsed as a rating"),
}
_RESOURCES = "span_resources"
_RESOURCE_KEYS = (
    "service.name",
    "service.version",
    "telemetry.sdk.language",
    "telemetry.sdk.name",
    "deployment.environment",
)
SCOPES = {
    "mlflow": "3.6.0",
    "opentelemetry.instrumentation.fastapi": "0.48b0",
    "opentelemetry.instrumentation.httpx": "0.48b0",
    "opentelemetry.instrumentation.sqlalchemy": "0.48b0",
    "opentelemetry.instrumentation.psycopg": "0.48b0",
    "app": "1.0.0",
}
_MAP = pa.map_(pa.string(), pa.string())
_LINK = pa.struct([("trace_id", pa.string()), ("span_id", pa.string()), ("trace_state", pa.string()),
                   ("attributes", _MAP), ("dropped_attributes_count", pa.int32()), ("flags", pa.int32())])


@dataclass
class Link:
    """One link per span where `target_row >= 0`: to row `target_row` of `target` (another trace)."""

    trace_ids: pa.Array  # the trace ids of the target's group (indexed by target.trace)
    target: SpanBatch
    target_row: np.ndarray
    attributes: dict[str, pa.Array]


@dataclass
class SpanBatch:
    """Spans of one type: row i belongs to trace `trace[i]` and hangs under `parent` row `parent_row[i]`."""

    trace: np.ndarray
    name: str | pa.Array
    kind: str
    start: np.ndarray
    end: np.ndarray
    failed: np.ndarray
    attributes: dict[str, pa.Array]
    parent: SpanBatch | None = None
    parent_row: np.ndarray | None = None
    name_suffix: pa.Array | None = None
    error: np.ndarray | int = 0  # index into ERRORS, per span or for all
    frames: str = "agent.py"
    service: np.ndarray | None = None  # app index per span; None: the trace's app
    link: Link | None = None
    ok_code: str = "STATUS_CODE_OK"
    scope: str = "mlflow"
    span_id: pa.Array | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.trace)

    def ids(self, rng: np.random.Generator) -> pa.Array:
        """This batch's span ids (drawn on first use)."""
        if self.span_id is None:
            self.span_id = hex_ids(rng, len(self.trace), 8)
        return self.span_id


def fixed(value: str, n: int) -> pa.Array:
    """The same string n times (cheap dictionary array)."""
    return pick([value], np.zeros(n, np.int32))


def numbers(values: np.ndarray) -> pa.Array:
    """Integers as attribute strings."""
    return pa.array(np.asarray(values).astype(np.int64).astype(str))


def attribute_map(attributes: dict[str, pa.Array], n: int) -> pa.MapArray:
    """A MAP<STRING,STRING> of the columns, row by row; NULL values leave their key out."""
    keys = list(attributes)
    if not keys:
        return pa.MapArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], pa.string()),
                                       pa.array([], pa.string()))
    k = len(keys)
    stacked = pa.concat_arrays([as_strings(attributes[key], n) for key in keys])
    order = (np.arange(k)[None, :] * n + np.arange(n)[:, None]).ravel()  # row-major (row, key)
    items = stacked.take(pa.array(order))
    valid = np.asarray(items.is_valid())
    counts = valid.reshape(n, k).sum(axis=1)
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(counts, out=offsets[1:])
    key_idx = np.tile(np.arange(k, dtype=np.int32), n)[valid]
    return pa.MapArray.from_arrays(pa.array(offsets), pa.array(keys, pa.string()).take(pa.array(key_idx)),
                                   items.filter(pa.array(valid)))


def _parent_ids(rng: np.random.Generator, batch: SpanBatch) -> pa.Array:
    if batch.parent is None:
        return fixed("", len(batch)).cast(pa.string())
    assert batch.parent_row is not None, "a child batch needs parent_row"
    return batch.parent.ids(rng).take(pa.array(batch.parent_row.astype(np.int64)))


def _links(rng: np.random.Generator, batch: SpanBatch) -> pa.Array:
    """ARRAY<STRUCT> of the span's links: one where the batch links, else empty."""
    n = len(batch)
    link = batch.link
    has = np.zeros(n, bool) if link is None else link.target_row >= 0
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(has, out=offsets[1:])
    if link is None or not has.any():
        return pa.ListArray.from_arrays(pa.array(offsets), pa.array([], _LINK))
    rows = np.flatnonzero(has)
    m = len(rows)
    attrs = {k: v.take(pa.array(rows)) for k, v in link.attributes.items()}
    structs = pa.StructArray.from_arrays(
        [link.trace_ids.take(pa.array(link.target.trace[link.target_row[rows]].astype(np.int64))),
         link.target.ids(rng).take(pa.array(link.target_row[rows].astype(np.int64))),
         pa.array([""] * m, pa.string()), attribute_map(attrs, m),
         pa.array(np.zeros(m, np.int32)), pa.array(np.ones(m, np.int32))],
        fields=list(_LINK))
    return pa.ListArray.from_arrays(pa.array(offsets), structs)


def _text(value: str | pa.Array, n: int) -> pa.Array:
    return fixed(value, n).cast(pa.string()) if isinstance(value, str) else as_strings(value, n)


def _names(batch: SpanBatch, n: int) -> pa.Array:
    base = _text(batch.name, n)
    if batch.name_suffix is None:
        return base
    return pc.binary_join_element_wise(base, as_strings(batch.name_suffix, n), " ")


def _columns(rng: np.random.Generator, trace_ids: pa.Array, app: np.ndarray,
             batch: SpanBatch) -> dict[str, pa.Array]:
    """Flat columns of one batch; the resource map is joined by app (see _create_resources)."""
    n = len(batch)
    key = np.broadcast_to(np.asarray(batch.error, np.int64), (n,))
    ok = ~batch.failed
    stacks = [f"{_STACKS[batch.frames]}{kind}: {message}" for kind, message in ERRORS.values()]
    service = app[batch.trace] if batch.service is None else batch.service
    return {
        "trace_id": trace_ids.take(pa.array(batch.trace)), "span_id": batch.ids(rng),
        "parent_span_id": _parent_ids(rng, batch), "name": _names(batch, n), "kind": fixed(batch.kind, n),
        "start_ns": pa.array(batch.start.astype(np.int64) * 1000 + rng.integers(0, 1000, n)),
        "end_ns": pa.array(batch.end.astype(np.int64) * 1000 + 999),
        "attributes": attribute_map(batch.attributes, n), "links": _links(rng, batch),
        "failed": pa.array(batch.failed), "ex_type": pick([e[0] for e in ERRORS.values()], key, mask=ok),
        "ex_stack": pick(stacks, key, mask=ok),
        "status_message": pick([e[1] for e in ERRORS.values()], key, mask=ok),
        "status_code": pick([batch.ok_code, "STATUS_CODE_ERROR"], batch.failed.astype(np.int32)),
        "app": pa.array(service.astype(np.int64)),
        "scope_name": fixed(batch.scope, n), "scope_version": fixed(SCOPES[batch.scope], n),
    }


def _stack(*frames: tuple[str, int, str, str]) -> str:
    lines = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        lines += [f'  File "/app/python/source_code/{path}", line {line}, in {func}', f"    {code}"]
    return "\n".join(lines) + "\n"


_STACKS = {
    "agent.py": _stack(("agent.py", 88, "invoke", "response = self.client.chat.completions.create(**request)"),
                       ("llm.py", 41, "create", "return self._post(path, body=body, cast_to=ChatCompletion)")),
    "tools.py": _stack(("agent.py", 131, "run_tool", "result = tool.call(**arguments)"),
                       ("tools.py", 41, "call", "return handler(**arguments)")),
    "http.py": _stack(("tools.py", 57, "call_api", "response = self.http.post(url, json=payload, timeout=30)"),
                      ("http.py", 22, "post", "return self._client.send(request)")),
    "app.py": _stack(("app.py", 64, "handler", "rows = await run_in_threadpool(db.query, sql, params)"),
                     ("db.py", 29, "query", "cursor.execute(sql, params)")),
    "db.py": _stack(("db.py", 29, "query", "cursor.execute(sql, params)"),
                    ("databricks/sql/client.py", 812, "execute",
                     "execute_response = self.thrift_backend.execute_command(")),
    "eval.py": _stack(("evaluate.py", 203, "evaluate_dataset", "results = pool.map(self._evaluate_row, rows)"),
                      ("evaluate.py", 144, "_evaluate_row", "return self.scorers.run(row, output)")),
}


def _create_resources(writer: Writer, world: World) -> None:
    """A temporary table of each app's OTel resource map (service.name = the app name)."""
    n = world.apps.n
    app = np.arange(n)
    values = [pa.array(world.apps.name), pa.array([f"1.{v % 7}.{v % 3}" for v in range(n)]),
              fixed("python", n), fixed("opentelemetry", n),
              pick(["prod", "staging"], (app % 5 == 0).astype(np.int32))]
    maps = attribute_map(dict(zip(_RESOURCE_KEYS, values, strict=True)), n)
    writer.con.register("resources_view", pa.table({"app": pa.array(app), "resource_attributes": maps}))
    writer.con.execute(f"CREATE OR REPLACE TEMP TABLE {_RESOURCES} AS SELECT * FROM resources_view")
    writer.con.unregister("resources_view")


def late_traces(world: World, n_traces: int, batches: list[SpanBatch]) -> np.ndarray:
    """Traces with a span still running at `now` (left out whole, as a collector would not have them)."""
    now_ns = world.window.end_us * 1000
    late = np.zeros(n_traces, bool)
    for batch in batches:
        np.logical_or.at(late, batch.trace, batch.end * 1000 + 999 > now_ns)
    return late


def write_spans(writer: Writer, world: World, rng: np.random.Generator, trace_ids: pa.Array, app: np.ndarray,
                batches: list[SpanBatch], late: np.ndarray | None = None) -> None:
    """Insert every batch; traces still running at `now` are left out whole."""
    if late is None:
        late = late_traces(world, len(trace_ids), batches)
    _create_resources(writer, world)
    pending: list[pa.Table] = []
    for batch in batches:
        if len(batch):
            table = pa.table(_columns(rng, trace_ids, app, batch)).filter(pa.array(~late[batch.trace]))
            pending.append(table.cast(_plain(table.schema)))
        if sum(t.num_rows for t in pending) >= _ROWS_PER_INSERT or batch is batches[-1]:
            _insert(writer, pending)
            pending = []
    writer.con.execute(f"DROP TABLE {_RESOURCES}")


_ROWS_PER_INSERT = 150_000  # fewer, bigger INSERTs are faster; this bounds the memory they hold


def _insert(writer: Writer, tables: list[pa.Table]) -> None:
    if not tables:
        return
    table = pa.concat_tables(tables)
    writer.insert("spans", dict(zip(table.column_names, table.columns, strict=True)), _SELECT,
                  f" AS f JOIN {_RESOURCES} AS r ON r.app = f.app")


def _plain(schema: pa.Schema) -> pa.Schema:
    """The schema with dictionary columns decoded, so batches of different span types concatenate."""
    return pa.schema([pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
                      for f in schema])
