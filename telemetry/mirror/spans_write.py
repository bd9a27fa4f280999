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
  struct_pack(attributes := resource_attributes, dropped_attributes_count := 0) AS resource,
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


def _columns(
    world: World, rng: np.random.Generator, trace_ids: pa.Array, app: np.ndarray, batch: SpanBatch
) -> dict[str, pa.Array]:
    n = len(batch.trace)
    batch.span_id = hex_ids(rng, n, 8)
    base = pick([batch.name], np.zeros(n, np.int32)).cast(pa.string())
    name = (
        base
        if batch.name_suffix is None
        else pc.binary_join_element_wise(base, as_strings(batch.name_suffix, n), " ")
    )
    keys = tuple(batch.attributes)
    instrumented = batch.kind in ("SPAN_KIND_SERVER",) or batch.per_span_parent
    ok_code = "STATUS_CODE_UNSET" if instrumented else "STATUS_CODE_OK"
    a = app[batch.trace]
    versions = [f"1.{v % 7}.{v % 3}" for v in range(world.apps.n)]
    return {
        "trace_id": trace_ids.take(pa.array(batch.trace)),
        "span_id": batch.span_id,
        "parent_span_id": _parent_ids(batch),
        "name": name,
        "kind": pick([batch.kind], np.zeros(n, np.int32)),
        "start_ns": pa.array(batch.start.astype(np.int64) * 1000 + rng.integers(0, 1000, n)),
        "end_ns": pa.array(batch.end.astype(np.int64) * 1000 + 999),
        "attributes": string_map([keys], np.zeros(n, np.int64), [batch.attributes[k] for k in keys]),
        "failed": pa.array(batch.failed),
        "ex_type": pick([batch.error[0]], np.zeros(n, np.int32)),
        "ex_stack": pick([_STACK.format(type=batch.error[0], message=batch.error[1])], np.zeros(n, np.int32)),
        "status_message": pick([batch.error[1]], np.zeros(n, np.int32), mask=~batch.failed),
        "status_code": pick([ok_code, "STATUS_CODE_ERROR"], batch.failed.astype(np.int32)),
        "resource_attributes": string_map(
            [_RESOURCE_KEYS],
            np.zeros(n, np.int64),
            [
                pick(world.apps.name, a),
                pick(versions, a),
                pick(["python"], np.zeros(n, np.int32)),
                pick(["opentelemetry"], np.zeros(n, np.int32)),
                pick(["prod", "staging"], (a % 5 == 0).astype(np.int32)),
            ],
        ),
        "scope_name": pick(
            ["opentelemetry.instrumentation.fastapi" if batch.kind == "SPAN_KIND_SERVER" else "mlflow"],
            np.zeros(n, np.int32),
        ),
        "scope_version": pick(
            ["0.48b0" if batch.kind == "SPAN_KIND_SERVER" else "3.6.0"], np.zeros(n, np.int32)
        ),
    }


def write_spans(
    writer: Writer,
    world: World,
    rng: np.random.Generator,
    trace_ids: pa.Array,
    app: np.ndarray,
    batches: list[SpanBatch],
) -> None:
    """Insert batches in order (parents first); spans ending after now are dropped with their trace."""
    now_ns = world.window.end_us * 1000
    late = np.zeros(len(trace_ids), bool)
    for batch in batches:
        np.logical_or.at(late, batch.trace, batch.end * 1000 + 999 > now_ns)
    for batch in batches:
        cols = _columns(world, rng, trace_ids, app, batch)
        keep = ~late[batch.trace]
        table = pa.table(cols).filter(pa.array(keep))
        writer.insert("spans", dict(zip(table.column_names, table.columns, strict=False)), _SELECT)
