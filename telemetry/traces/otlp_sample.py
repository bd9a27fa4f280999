"""Synthetic OTLP requests of typical ~1 KB spans, for the ingest benchmark.

A batch is one ExportTraceServiceRequest (one resource, one scope) of traces of eight spans: an HTTP
server root, an agent span, LLM and tool calls, an HTTP client span; a dozen attributes per span
(strings, ints, a double, a bool, a string array), an event on one span in four. Built with the
opentelemetry-proto message classes (the runtime dependency), not the SDK (a test dependency).
"""

from __future__ import annotations

import base64
import random

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

_SHAPE = (  # (name, kind, parent index in the trace, relative start/end in ms)
    ("POST /api/chat", Span.SPAN_KIND_SERVER, None, 0, 2400),
    ("agent.invoke", Span.SPAN_KIND_INTERNAL, 0, 5, 2390),
    ("retriever.search", Span.SPAN_KIND_CLIENT, 1, 10, 180),
    ("chat databricks-claude-sonnet-4", Span.SPAN_KIND_CLIENT, 1, 190, 1300),
    ("execute_tool lookup_order", Span.SPAN_KIND_INTERNAL, 1, 1310, 1500),
    ("GET orders-service/orders/{id}", Span.SPAN_KIND_CLIENT, 4, 1320, 1490),
    ("chat databricks-claude-sonnet-4", Span.SPAN_KIND_CLIENT, 1, 1510, 2350),
    ("serialize.response", Span.SPAN_KIND_INTERNAL, 0, 2391, 2398),
)


def _kv(key: str, value) -> KeyValue:
    if isinstance(value, bool):
        return KeyValue(key=key, value=AnyValue(bool_value=value))
    if isinstance(value, int):
        return KeyValue(key=key, value=AnyValue(int_value=value))
    if isinstance(value, float):
        return KeyValue(key=key, value=AnyValue(double_value=value))
    if isinstance(value, list):
        items = [AnyValue(string_value=v) for v in value]
        return KeyValue(key=key, value=AnyValue(array_value=ArrayValue(values=items)))
    return KeyValue(key=key, value=AnyValue(string_value=value))


_CONSTANT = {
    "http.request.method": "POST", "url.path": "/api/chat", "server.address": "agent.example.com",
    "http.response.status_code": 200, "user.id": "", "session.id": "", "gen_ai.system": "databricks",
    "gen_ai.request.model": "databricks-claude-sonnet-4", "gen_ai.usage.input_tokens": 0,
    "gen_ai.usage.output_tokens": 0, "gen_ai.request.temperature": 0.2, "app.cached": False, "app.tags": [],
    "mlflow.spanType": "UNKNOWN",
    "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
    "server.port": 443, "http.request.body.size": 0, "gen_ai.response.id": "",
    "code.function": "support_agent.tools.lookup_order", "code.lineno": 0, "thread.name": "asyncio-worker-3",
}
_VARYING = {key: i for i, key in enumerate(_CONSTANT)}  # positions of the per-span values


def _templates() -> list[Span]:
    """One span per position in the trace shape, with the attributes every trace shares."""
    made = []
    for index, (name, kind, _, _, _) in enumerate(_SHAPE):
        values = {**_CONSTANT, "app.cached": bool(index % 2), "app.tags": ["prod", "eu-west-1", f"shard-{index % 4}"],
                  "mlflow.spanType": "CHAT_MODEL" if index in (3, 6) else "UNKNOWN", "code.lineno": 40 + index}
        span = Span(name=name, kind=kind, flags=0x101, attributes=[_kv(k, v) for k, v in values.items()])
        if index % 4 == 3:
            span.events.add(name="gen_ai.choice",
                            attributes=[_kv("gen_ai.response.finish_reasons", ["stop"]), _kv("index", 0)])
        span.status.CopyFrom(Status(code=Status.STATUS_CODE_OK if index else Status.STATUS_CODE_UNSET))
        made.append(span)
    return made


def _trace(rng: random.Random, start_ns: int, templates: list[Span], spans) -> None:
    trace_id = rng.randbytes(16)
    ids = [rng.randbytes(8) for _ in _SHAPE]
    user = f"user-{rng.randrange(5000):05d}@example.com"
    for index, (_, _, parent, begin_ms, end_ms) in enumerate(_SHAPE):
        span = spans.add()
        span.CopyFrom(templates[index])
        span.trace_id, span.span_id = trace_id, ids[index]
        span.parent_span_id = b"" if parent is None else ids[parent]
        span.start_time_unix_nano = start_ns + begin_ms * 1_000_000
        span.end_time_unix_nano = start_ns + end_ms * 1_000_000 + rng.randrange(1_000_000)
        attrs = span.attributes
        attrs[_VARYING["user.id"]].value.string_value = user
        attrs[_VARYING["session.id"]].value.string_value = f"sess-{rng.getrandbits(48):012x}"
        attrs[_VARYING["gen_ai.usage.input_tokens"]].value.int_value = rng.randint(200, 4000)
        attrs[_VARYING["gen_ai.usage.output_tokens"]].value.int_value = rng.randint(20, 800)
        attrs[_VARYING["http.request.body.size"]].value.int_value = rng.randint(200, 20_000)
        attrs[_VARYING["gen_ai.response.id"]].value.string_value = f"chatcmpl-{rng.getrandbits(96):024x}"
        if span.events:
            span.events[0].time_unix_nano = span.start_time_unix_nano + 1000


def sample_request(spans: int, seed: int = 7, start_ns: int = 1_750_000_000_000_000_000) -> ExportTraceServiceRequest:
    """One request of about `spans` spans (a multiple of eight), deterministic for a seed."""
    rng = random.Random(seed)
    request = ExportTraceServiceRequest()
    rs = request.resource_spans.add()
    rs.resource.attributes.extend([_kv("service.name", "support-agent"), _kv("service.version", "1.8.0"),
                                   _kv("telemetry.sdk.language", "python"), _kv("deployment.environment", "prod")])
    ss = rs.scope_spans.add()
    ss.scope.name, ss.scope.version = "opentelemetry.instrumentation.fastapi", "0.48b0"
    templates = _templates()
    for number in range(max(1, spans // len(_SHAPE))):
        _trace(rng, start_ns + number * 3_000_000_000, templates, ss.spans)
    return request


def _value_json(value) -> dict:
    which = value.WhichOneof("value")
    if which == "string_value":
        return {"stringValue": value.string_value}
    if which == "int_value":
        return {"intValue": str(value.int_value)}
    if which == "double_value":
        return {"doubleValue": value.double_value}
    if which == "bool_value":
        return {"boolValue": value.bool_value}
    if which == "array_value":
        return {"arrayValue": {"values": [_value_json(v) for v in value.array_value.values]}}
    if which == "kvlist_value":
        return {"kvlistValue": {"values": _attributes_json(value.kvlist_value.values)}}
    if which == "bytes_value":
        return {"bytesValue": base64.b64encode(value.bytes_value).decode()}
    return {}


def _attributes_json(items) -> list[dict]:
    return [{"key": kv.key, "value": _value_json(kv.value)} for kv in items]


def _span_json(span) -> dict:
    body = {"traceId": span.trace_id.hex(), "spanId": span.span_id.hex(), "name": span.name, "kind": span.kind,
            "startTimeUnixNano": str(span.start_time_unix_nano), "endTimeUnixNano": str(span.end_time_unix_nano),
            "attributes": _attributes_json(span.attributes), "status": {}}
    if span.parent_span_id:
        body["parentSpanId"] = span.parent_span_id.hex()
    if span.flags:
        body["flags"] = span.flags
    if span.events:
        body["events"] = [{"timeUnixNano": str(ev.time_unix_nano), "name": ev.name,
                           "attributes": _attributes_json(ev.attributes)} for ev in span.events]
    if span.status.code:
        body["status"]["code"] = span.status.code
    if span.status.message:
        body["status"]["message"] = span.status.message
    return body


def to_otlp_json(request: ExportTraceServiceRequest) -> dict:
    """The request as the Collector's file exporter writes it: OTLP/JSON (hex ids, int64 as strings,
    enums as integers, default values left out) — for what otlp_sample makes (no links)."""
    return {"resourceSpans": [
        {"resource": {"attributes": _attributes_json(rs.resource.attributes)},
         "scopeSpans": [{"scope": {"name": ss.scope.name, "version": ss.scope.version},
                         "spans": [_span_json(span) for span in ss.spans]} for ss in rs.scope_spans]}
        for rs in request.resource_spans]}
