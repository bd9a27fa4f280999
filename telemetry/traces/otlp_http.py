"""The OTLP/HTTP protocol pieces the receiver needs: bounded bodies, and the response messages.

Kept apart from the server so each rule of the spec (docs/specification.md, "OTLP/HTTP") sits in
one small function: bodies are limited before and after decompression (413), a failure body is a
google.rpc.Status (encoded here by hand: two fields, no extra dependency), a success body is an
ExportTraceServiceResponse, both in the request's own encoding.
"""

from __future__ import annotations

import json
import zlib

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

PROTOBUF, JSON = "application/x-protobuf", "application/json"
# google.rpc.Code values (the spec lets a server omit them; clients may log them)
INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, UNIMPLEMENTED, UNAVAILABLE = 3, 5, 8, 12, 14
_CHUNK = 64 * 1024


class TooLarge(Exception):
    """The body is over the limit (before or after decompression)."""


class BadBody(Exception):
    """The body cannot be decoded (corrupt gzip, not OTLP)."""


class LengthRequired(Exception):
    """No Content-Length (a chunked body): the limit must be checked before reading."""


def gunzip(body: bytes, limit: int) -> bytes:
    """Decompress a gzip body, refusing to produce more than `limit` bytes (a gzip bomb stops at
    the limit: output is produced in bounded chunks, never all at once)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts, size, data = [], 0, body
    try:
        while True:
            chunk = inflater.decompress(data, _CHUNK)
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"the decompressed body is over {limit:,} bytes")
            parts.append(chunk)
            data = inflater.unconsumed_tail
            if not data and (len(chunk) < _CHUNK or inflater.eof):
                break
    except zlib.error as err:
        raise BadBody(f"the gzip body cannot be decompressed ({err})") from None
    if not inflater.eof:
        raise BadBody("the gzip body is truncated")
    return b"".join(parts)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def status_body(content_type: str, code: int, message: str) -> bytes:
    """A google.rpc.Status {code, message} in the request's encoding."""
    if content_type == JSON:
        return json.dumps({"code": code, "message": message}).encode()
    text = message.encode()
    return b"\x08" + _varint(code) + b"\x12" + _varint(len(text)) + text


def success_body(content_type: str, rejected: int, message: str) -> bytes:
    """An ExportTraceServiceResponse; `partial_success` set only when spans were rejected."""
    if content_type == JSON:
        if not rejected:
            return b"{}"
        return json.dumps({"partialSuccess": {"rejectedSpans": str(rejected), "errorMessage": message}}).encode()
    response = ExportTraceServiceResponse()
    if rejected:
        response.partial_success.rejected_spans = rejected
        response.partial_success.error_message = message
    return response.SerializeToString()
