"""Turning batches of spans (one span type each) into rows of the OTel v1 spans table.

Each `SpanBatch` holds one span per entry of `trace` (or per entry of its parent batch when
`per_span_parent`), its attributes as string columns (OTel v1 stores every attribute value as a
string in a MAP<STRING,STRING>), and what to say when it failed. Span ids are assigned here in
list order, so parents must come before their children.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror.ids import as_strings, hex_ids, pick, string_map
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

_SELECT = """
  trace_id, span_id, '' AS trace_state, parent_span_id, 1 AS flags, name, kind,
  start_ns AS start_time_unix_nano, end_ns AS end_time_unix_nano, attributes, 0 AS dropped_attributes_count,
  CASE WHEN failed THEN [struct_pack(time_unix_nano := end_ns - 1000, name := 'exception',
       attributes := MAP {'exception.type': ex_type, 'exception.message': status_message,
                          'exception.stacktrace': ex_stack, 'exception.escaped': 'False'},
       dropped_attributes_count := 0)] ELSE [] END AS events,
  0 AS dropped_events_count, [] AS links, 0 AS dropped_links_count,
  struct_pack(message := status_message, code := status_code) AS status,
  struct_pack(attributes := r.resource_attributes, dropped_attributes_count := 0) AS resource,
  '' AS resource_schema_url,
  struct_pack(name := scope_name, version := scope_version, attributes := MAP {},
              dropped_attributes_count := 0)
    AS instrumentation_scope,
  '' AS span_schema_url
"""
_STACK = (
    'Traceback (most recent call last):\n  File "/app/python/source_code/agent.py", line 88, in invoke\n'
    '    response = self.client.chat.completions.create(**request)\n'
    '  File "/app/python/source_code/tools.py", '
    "line 41, in call\n    return handler(**arguments)\n{type}: {message}"
)
_RESOURCES = "span_resources"
_RESOURCE_KEYS = (
    "service.name",
    "service.version",
    "telemetry.sdk.language",
    "telemetry.sdk.name",
    "deployment.environment",
)


@dataclass
class SpanBatch:
    """Spans of one type: `trace[i]` is the trace of span i; times are in µs."""

    trace: np.ndarray
    name: str
    kind: str
    start: np.ndarray
    end: np.ndarray
    failed: np.ndarray
    attributes: dict[str, pa.Array]
    name_suffix: pa.Array | None = None
    error: tuple[str, str] = ("RuntimeError", "request failed")
    parent_batch: SpanBatch | None = None
    per_span_parent: bool = False
    root: bool = False
    span_id: pa.Array | None = field(default=None, repr=False)


def _parent_ids(batch: SpanBatch) -> pa.Array:
    n = len(batch.trace)
    if batch.root or batch.parent_batch is None:
        return pa.array([""] * n, pa.string())
    parent = batch.parent_batch
    assert parent.span_id is not None, "parents must be written before their children"
    if batch.per_span_parent:
        return parent.span_id
    return parent.span_id.take(pa.array(batch.trace))


def _fixed(value: str, n: int) -> pa.Array:
    return pick([value], np.zeros(n, np.int32))


def _names(batch: SpanBatch, n: int) -> pa.Array:
    base = _fixed(batch.name, n).cast(pa.string())
    if batch.name_suffix is None:
        return base
    return pc.binary_join_element_wise(base, as_strings(batch.name_suffix, n), " ")


def _columns(rng: np.random.Generator, trace_ids: pa.Array, app: np.ndarray,
             batch: SpanBatch) -> dict[str, pa.Array]:
    """Flat columns of one batch; the resource map is joined by app (see _create_resources)."""
    n = len(batch.trace)
    batch.span_id = hex_ids(rng, n, 8)
    keys = tuple(batch.attributes)
    server = batch.kind == "SPAN_KIND_SERVER"
    ok_code = "STATUS_CODE_UNSET" if server or batch.per_span_parent else "STATUS_CODE_OK"
    return {
        "trace_id": trace_ids.take(pa.array(batch.trace)), "span_id": batch.span_id,
        "parent_span_id": _parent_ids(batch), "name": _names(batch, n), "kind": _fixed(batch.kind, n),
        "start_ns": pa.array(batch.start.astype(np.int64) * 1000 + rng.integers(0, 1000, n)),
        "end_ns": pa.array(batch.end.astype(np.int64) * 1000 + 999),
        "attributes": string_map([keys], np.zeros(n, np.int64), [batch.attributes[k] for k in keys]),
        "failed": pa.array(batch.failed), "ex_type": _fixed(batch.error[0], n),
        "ex_stack": _fixed(_STACK.format(type=batch.error[0], message=batch.error[1]), n),
        "status_message": pick([batch.error[1]], np.zeros(n, np.int32), mask=~batch.failed),
        "status_code": pick([ok_code, "STATUS_CODE_ERROR"], batch.failed.astype(np.int32)),
        "app": pa.array(app[batch.trace].astype(np.int64)),
        "scope_name": _fixed("opentelemetry.instrumentation.fastapi" if server else "mlflow", n),
        "scope_version": _fixed("0.48b0" if server else "3.6.0", n),
    }


def _create_resources(writer: Writer, world: World) -> None:
    """A temporary table of each app's OTel resource map (service.name = the app name)."""
    n = world.apps.n
    app = np.arange(n)
    values = [pa.array(world.apps.name), pa.array([f"1.{v % 7}.{v % 3}" for v in range(n)]),
              _fixed("python", n), _fixed("opentelemetry", n),
              pick(["prod", "staging"], (app % 5 == 0).astype(np.int32))]
    maps = string_map([_RESOURCE_KEYS], np.zeros(n, np.int64), values)
    writer.con.register("resources_view", pa.table({"app": pa.array(app), "resource_attributes": maps}))
    writer.con.execute(f"CREATE OR REPLACE TEMP TABLE {_RESOURCES} AS SELECT * FROM resources_view")
    writer.con.unregister("resources_view")


def write_spans(writer: Writer, world: World, rng: np.random.Generator, trace_ids: pa.Array, app: np.ndarray,
                batches: list[SpanBatch]) -> None:
    """Insert batches in order (parents first); traces still running at `now` are left out whole."""
    now_ns = world.window.end_us * 1000
    late = np.zeros(len(trace_ids), bool)
    for batch in batches:
        np.logical_or.at(late, batch.trace, batch.end * 1000 + 999 > now_ns)
    _create_resources(writer, world)
    for batch in batches:
        table = pa.table(_columns(rng, trace_ids, app, batch)).filter(pa.array(~late[batch.trace]))
        writer.insert("spans", dict(zip(table.column_names, table.columns, strict=True)), _SELECT,
                      f" AS f JOIN {_RESOURCES} AS r ON r.app = f.app")
    writer.con.execute(f"DROP TABLE {_RESOURCES}")
