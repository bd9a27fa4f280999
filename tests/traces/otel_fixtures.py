"""Spans made by the real opentelemetry-sdk, and the OTLP files and bodies the tests feed the console.

`sdk_spans()` records a small two-trace workload with everything the loader must keep: nested
spans, attributes of every type the SDK accepts, events, a recorded exception, a link to a span of
the other trace, an ERROR status with a message, resource attributes and an instrumentation scope
with attributes. The files are written the way the Collector's file exporter writes them.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from pathlib import Path

import duckdb
from google.protobuf import json_format
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

RESOURCE = {"service.name": "orders-api", "service.version": "2.4.1", "deployment.environment": "test",
            "host.cores": 2}
EVERY_TYPE = {
    "http.route": "/orders/{id}", "app.cached": True, "http.response.status_code": 200, "app.ratio": 0.25,
    "app.tags": ["a", "b"], "app.flags": [True, False], "app.sizes": [1, 2, 3], "app.weights": [0.5, 1.5],
    "app.blob": b"\x00\xffbytes", "app.nested": {"user": "ana", "tries": 2, "ok": True},
}


def provider(exporter, resource: dict | None = None) -> TracerProvider:
    """A TracerProvider exporting every span at once to `exporter` (a SimpleSpanProcessor)."""
    tracer_provider = TracerProvider(resource=Resource.create(resource or RESOURCE))
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return tracer_provider


def record_workload(tracer_provider: TracerProvider) -> None:
    """Two traces: a background job, and a request whose failing child links to the job's span."""
    tracer = tracer_provider.get_tracer("tests.traces", "1.0.0", schema_url="https://opentelemetry.io/schemas/1.26.0",
                                        attributes={"scope.owner": "tests"})
    with tracer.start_as_current_span("refresh-cache", kind=SpanKind.CONSUMER) as job:
        job.set_attribute("messaging.system", "kafka")
        job_context = job.get_span_context()
    with tracer.start_as_current_span("GET /orders/{id}", kind=SpanKind.SERVER) as root:
        for key, value in EVERY_TYPE.items():
            root.set_attribute(key, value)
        root.add_event("request.received", {"size": 512, "compressed": False, "codec": "gzip"})
        with tracer.start_as_current_span("SELECT orders", kind=SpanKind.CLIENT) as query:
            query.set_attribute("db.system", "postgresql")
            query.set_status(Status(StatusCode.OK))
        with tracer.start_as_current_span("charge", links=[Link(job_context, {"link.reason": "cache"})]) as charge:
            charge.set_attribute("payment.amount", 12.5)
            try:
                raise ValueError("card declined: insufficient funds")
            except ValueError as err:
                charge.record_exception(err, {"payment.provider": "acme"})
            charge.set_status(Status(StatusCode.ERROR, "card declined"))


def sdk_spans() -> list[ReadableSpan]:
    """The workload's spans as the SDK finished them (parents after children)."""
    exporter = InMemorySpanExporter()
    tracer_provider = provider(exporter)
    record_workload(tracer_provider)
    tracer_provider.shutdown()
    return list(exporter.get_finished_spans())


def request_of(spans: Sequence[ReadableSpan]) -> ExportTraceServiceRequest:
    """The ExportTraceServiceRequest the SDK's OTLP exporter would send for these spans."""
    return encode_spans(spans)


# --- OTLP/JSON as the Collector's file exporter writes it (the spec's JSON mapping differences) ----

_ID_KEYS = ("traceId", "spanId", "parentSpanId")


def _hex_ids(node) -> None:
    """Proto3 JSON writes bytes as base64; OTLP/JSON writes trace and span ids as hex."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _ID_KEYS and isinstance(value, str):
                node[key] = base64.b64decode(value).hex()
            else:
                _hex_ids(value)
    elif isinstance(node, list):
        for item in node:
            _hex_ids(item)


def to_otlp_json(request: ExportTraceServiceRequest, enum_names: bool = False) -> dict:
    """OTLP/JSON: lowerCamelCase keys, hex ids, int64 as strings, enums as integers (or names)."""
    body = json_format.MessageToDict(request, use_integers_for_enums=not enum_names)
    _hex_ids(body)
    return body


def write_files(folder: Path, spans: Sequence[ReadableSpan]) -> dict[str, Path]:
    """Every file form the loader reads, from the same spans (one request per span, as a collector
    batching one span at a time would write them)."""
    requests = [request_of([span]) for span in spans]
    lines = [json.dumps(to_otlp_json(r), separators=(",", ":")) for r in requests]
    files = {
        "pb": folder / "spans.pb", "framed": folder / "spans-framed.pb", "json": folder / "spans.json",
        "names": folder / "spans-names.json", "pretty": folder / "spans-pretty.json",
        "malformed": folder / "spans-malformed.jsonl",
    }
    files["pb"].write_bytes(request_of(spans).SerializeToString())
    files["framed"].write_bytes(b"".join(len(b).to_bytes(4, "big") + b for b in
                                         (r.SerializeToString() for r in requests)))
    files["json"].write_text("\n".join(lines) + "\n")
    files["names"].write_text("\n".join(json.dumps(to_otlp_json(r, enum_names=True)) for r in requests) + "\n")
    files["pretty"].write_text("\n".join(json.dumps(to_otlp_json(r), indent=2) for r in requests) + "\n")
    middle = len(lines) // 2
    files["malformed"].write_text("\n".join([*lines[:middle], lines[middle][:-7], *lines[middle + 1:]]) + "\n")
    return files


# --- what a stored span must look like ----------------------------------------------------------------

def expected_text(value) -> str:
    """The MAP<STRING,STRING> text of an SDK attribute value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    plain = value if isinstance(value, dict) else list(value)
    return json.dumps(plain, separators=(",", ":"))


def expected_map(attributes) -> dict[str, str]:
    return {key: expected_text(value) for key, value in (attributes or {}).items()}


def stored_spans(db: Path, table: str) -> dict[str, dict]:
    """Every stored span by span id, read back with duckdb (maps as dicts)."""
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {row["span_id"]: row for row in rows}


def assert_span_matches(row: dict, span: ReadableSpan) -> None:
    """Every field of a stored row equals what the SDK recorded."""
    context = span.get_span_context()
    assert row["trace_id"] == f"{context.trace_id:032x}"
    assert row["parent_span_id"] == (f"{span.parent.span_id:016x}" if span.parent else "")
    assert row["name"] == span.name
    assert row["kind"] == f"SPAN_KIND_{span.kind.name}"
    assert (row["start_time_unix_nano"], row["end_time_unix_nano"]) == (span.start_time, span.end_time)
    assert row["attributes"] == expected_map(span.attributes)
    assert row["status"] == {"code": f"STATUS_CODE_{span.status.status_code.name}",
                             "message": span.status.description or ""}
    assert row["resource"]["attributes"] == expected_map(span.resource.attributes)
    scope = span.instrumentation_scope
    assert row["instrumentation_scope"]["name"] == scope.name
    assert row["instrumentation_scope"]["version"] == scope.version
    assert row["instrumentation_scope"]["attributes"] == expected_map(scope.attributes)
    assert row["span_schema_url"] == scope.schema_url
    assert [(e["name"], e["time_unix_nano"], e["attributes"]) for e in row["events"]] == [
        (e.name, e.timestamp, expected_map(e.attributes)) for e in span.events]
    assert [(ln["trace_id"], ln["span_id"], ln["attributes"]) for ln in row["links"]] == [
        (f"{ln.context.trace_id:032x}", f"{ln.context.span_id:016x}", expected_map(ln.attributes))
        for ln in span.links]
