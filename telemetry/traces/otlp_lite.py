"""A wire-compatible view of OTLP traces whose span, event and link attributes stay serialized.

Walking a parsed `Span.attributes` costs a Python wrapper object per KeyValue and per AnyValue,
which is most of the time a protobuf decoder spends. This module registers a copy of
opentelemetry-proto's trace.proto in which those three `repeated KeyValue attributes` fields are
declared `repeated bytes` instead (the same wire format: length-delimited), so upb hands them over
as plain `bytes`. The decoder then looks each one up in a cache of already-decoded pairs (attribute
pairs repeat across spans: the same route, model, method, service) and parses only the new ones
with the real `KeyValue` class. Everything else (ids, times, status, resource, scope) is the real
schema, so a body that parses here is a valid ExportTraceServiceRequest.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from opentelemetry.proto.common.v1.common_pb2 import KeyValue
from opentelemetry.proto.trace.v1 import trace_pb2

_REAL, _LITE = "opentelemetry.proto.trace.v1", "telemetry.otlp_lite.v1"
_CACHE_LIMIT = 100_000  # decoded pairs kept (about 20 MB); cleared when full


def _lite_file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto()
    trace_pb2.DESCRIPTOR.CopyToProto(proto)
    proto.name, proto.package = "telemetry/traces/otlp_lite.proto", _LITE

    def rewrite(message: descriptor_pb2.DescriptorProto) -> None:
        for fld in message.field:
            if fld.type_name.startswith(f".{_REAL}."):
                fld.type_name = f".{_LITE}." + fld.type_name.removeprefix(f".{_REAL}.")
            if fld.name == "attributes":  # Span, Span.Event, Span.Link
                fld.type = descriptor_pb2.FieldDescriptorProto.TYPE_BYTES
                fld.ClearField("type_name")
        for nested in message.nested_type:
            rewrite(nested)

    for message in proto.message_type:
        rewrite(message)
    return proto


def _traces_class():
    pool = descriptor_pool.Default()
    try:
        descriptor = pool.FindMessageTypeByName(f"{_LITE}.TracesData")
    except KeyError:
        pool.AddSerializedFile(_lite_file().SerializeToString())
        descriptor = pool.FindMessageTypeByName(f"{_LITE}.TracesData")
    return message_factory.GetMessageClass(descriptor)


# ExportTraceServiceRequest and TracesData share their wire format (field 1: repeated ResourceSpans).
TracesLite = _traces_class()
_pairs: dict[bytes, tuple[str, str | None]] = {}


def attributes(items, value_text) -> dict:
    """Serialized KeyValues → {key: text}, decoding each distinct pair once (DecodeError if broken).

    The look-ups run in C (`map` of the cache's `get`, then `dict` of the pairs); only pairs not seen
    before go through Python, and a repeated key keeps its last value as MAP keys must be unique."""
    raws = list(items)
    pairs = list(map(_pairs.get, raws))
    if None in pairs:
        if len(_pairs) >= _CACHE_LIMIT:
            _pairs.clear()
        i = -1
        for _ in range(pairs.count(None)):  # count and index find the misses in C
            i = pairs.index(None, i + 1)
            kv = KeyValue.FromString(raws[i])
            pairs[i] = _pairs[raws[i]] = (kv.key, value_text(kv.value))
    return dict(pairs)


def clear_cache() -> None:
    """Forget the decoded pairs (benchmarks measure a cold start)."""
    _pairs.clear()
